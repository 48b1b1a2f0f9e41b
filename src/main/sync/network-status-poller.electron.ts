// Electron reports no "online" event in main, so the sync engine learns the machine is back online
// by polling `net.isOnline()`; uploads then resume at once instead of at the next backoff step.
import type { net } from 'electron';

export type NetLike = Pick<typeof net, 'isOnline'>;

export class NetworkStatusPoller {
  private online: boolean;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly network: NetLike,
    private readonly onChange: (online: boolean) => void,
  ) {
    this.online = network.isOnline();
  }

  start(intervalMs = 5_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref?.();
  }

  /** Tells the listener only about changes, never the same state twice. */
  poll(): void {
    const now = this.network.isOnline();
    if (now === this.online) return;
    this.online = now;
    this.onChange(now);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
