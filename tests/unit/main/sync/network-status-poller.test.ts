import { describe, expect, it, vi } from 'vitest';
import { NetworkStatusPoller } from '../../../../src/main/sync/network-status-poller.electron';

describe('network status poller', () => {
  it('tells the sync engine only when the machine goes offline or comes back', () => {
    let online = true;
    const changes: boolean[] = [];
    const poller = new NetworkStatusPoller({ isOnline: () => online }, (now) => changes.push(now));
    poller.poll();
    online = false;
    poller.poll();
    poller.poll();
    online = true;
    poller.poll();
    expect(changes).toEqual([false, true]);
  });

  it('polls on its interval once started, and not after it is stopped', () => {
    vi.useFakeTimers();
    try {
      let online = true;
      const changes: boolean[] = [];
      const poller = new NetworkStatusPoller({ isOnline: () => online }, (now) => changes.push(now));
      poller.start(5_000);
      poller.start(5_000);
      online = false;
      vi.advanceTimersByTime(5_000);
      poller.stop();
      online = true;
      vi.advanceTimersByTime(20_000);
      expect(changes).toEqual([false]);
    } finally {
      vi.useRealTimers();
    }
  });
});
