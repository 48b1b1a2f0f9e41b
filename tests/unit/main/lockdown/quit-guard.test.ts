import { describe, expect, it } from 'vitest';
import { createQuitGuard } from '../../../../src/main/lockdown/quit-guard';

describe('quit guard', () => {
  it('lets an unlocked developer run quit freely', () => {
    expect(createQuitGuard(false).permit()).toBe('unlocked');
  });

  it('keeps a locked kiosk running until the PIN is entered', () => {
    const guard = createQuitGuard(true);
    expect(guard.mayQuit()).toBe(false);
    guard.permitByPin();
    expect(guard.permit()).toBe('pin');
  });

  it('lets the updater through for its install and takes it back when the install fails', () => {
    const guard = createQuitGuard(true);
    const update = guard.updatePermit();
    update.grant();
    expect(guard.permit()).toBe('update');
    update.withdraw();
    expect(guard.mayQuit()).toBe(false);
  });

  it('attack: the update permit is handed out once, so no second holder can skip the PIN with it', () => {
    const guard = createQuitGuard(true);
    guard.updatePermit();
    expect(() => guard.updatePermit()).toThrow(/already handed out/);
  });

  it('does not let a failed install withdraw the proctor’s PIN permit', () => {
    const guard = createQuitGuard(true);
    const update = guard.updatePermit();
    guard.permitByPin();
    update.grant();
    update.withdraw();
    expect(guard.permit()).toBe('pin');
  });
});

describe('quit guard changes', () => {
  it('tells the glue each time quitting becomes allowed or not, so the kiosk window is closable exactly then', () => {
    const guard = createQuitGuard(true);
    const closable: boolean[] = [];
    guard.onChange((mayQuit) => closable.push(mayQuit));
    const update = guard.updatePermit();
    update.grant();
    update.withdraw();
    guard.permitByPin();
    // A second permit while one holds changes nothing the window needs to know.
    update.grant();
    expect(closable).toEqual([true, false, true]);
  });
});
