import { describe, expect, it } from 'vitest';
import { DisplayWatcher, type ScreenLike } from '../../../../src/main/lockdown/display-watcher.electron';

function fakeScreen(count: number) {
  const listeners = new Map<string, () => void>();
  const fake = {
    count,
    screen: {
      getAllDisplays: () => Array.from({ length: fake.count }, () => ({})),
      on: (event: string, listener: () => void) => listeners.set(event, listener),
    } as unknown as ScreenLike,
    emit: (event: string) => listeners.get(event)!(),
  };
  return fake;
}

describe('display watcher', () => {
  it('pauses the interview when a display is plugged in and resumes when it is removed, logging both', () => {
    const fake = fakeScreen(1);
    const paused: Array<[boolean, string | null]> = [];
    const logged: Array<[string, unknown]> = [];
    const watcher = new DisplayWatcher(fake.screen, {
      allowExtraDisplays: () => false,
      lockdown: () => ({ record: (type, detail) => logged.push([type, detail]) }),
      setPaused: (on, reason) => paused.push([on, reason]),
    });
    watcher.start();
    fake.count = 2;
    fake.emit('display-added');
    fake.count = 1;
    fake.emit('display-removed');
    expect(paused.map(([on]) => on)).toEqual([false, true, false]);
    expect(paused[1]![1]).toMatch(/extra display/);
    expect(logged).toEqual([
      ['display_added', { count: 2 }],
      ['display_removed', { count: 1 }],
    ]);
  });

  it('keeps running with two displays where the tenant allows them', () => {
    const fake = fakeScreen(2);
    const paused: boolean[] = [];
    new DisplayWatcher(fake.screen, { allowExtraDisplays: () => true, lockdown: () => null, setPaused: (on) => paused.push(on) }).start();
    expect(paused).toEqual([false]);
  });
});
