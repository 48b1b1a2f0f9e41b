import { describe, expect, it } from 'vitest';
import { DisplaySleepBlocker, type PowerSaveBlockerLike } from '../../../../src/main/lockdown/display-sleep-blocker.electron';

function fakePowerSaveBlocker() {
  const started = new Set<number>();
  let next = 1;
  const calls: string[] = [];
  const blocker: PowerSaveBlockerLike = {
    start: (type) => {
      calls.push(`start:${type}`);
      started.add(next);
      return next++;
    },
    stop: (id) => {
      calls.push(`stop:${id}`);
      return started.delete(id);
    },
    isStarted: (id) => started.has(id),
  };
  return { blocker, calls, started };
}

describe('display sleep blocker', () => {
  it('only starts power blocking once while an interview runs', () => {
    const fake = fakePowerSaveBlocker();
    const sleep = new DisplaySleepBlocker(fake.blocker);
    sleep.update('interview-1');
    sleep.update('interview-1');
    expect(fake.calls).toEqual(['start:prevent-display-sleep']);
    expect(fake.started.size).toBe(1);
  });

  it('stops its blocker when the interview ends, and does nothing without one', () => {
    const fake = fakePowerSaveBlocker();
    const sleep = new DisplaySleepBlocker(fake.blocker);
    sleep.update(null);
    sleep.update('interview-1');
    sleep.update(null);
    sleep.update(null);
    expect(fake.calls).toEqual(['start:prevent-display-sleep', 'stop:1']);
    expect(fake.started.size).toBe(0);
  });
});
