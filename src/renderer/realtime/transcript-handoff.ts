// Hands committed transcript entries to main in seq order, at most 100 per call, one call at a time.
// Main answers only once the entries are durable; until then they are "not yet saved" on screen.
// A failed call is retried (same ids, so main's outbox stays idempotent) until it goes through.
import type { TranscriptEntry } from '../../shared/domain/transcript';

export const MAX_ENTRIES_PER_CALL = 100;

export interface TranscriptHandoffOptions {
  append: (entries: TranscriptEntry[]) => Promise<{ savedIds: string[] }>;
  onSaved: (ids: string[]) => void;
  onError?: (error: unknown, attempt: number) => void;
  retryDelayMs?: (attempt: number) => number;
}

export class TranscriptHandoff {
  private readonly queue: TranscriptEntry[] = [];
  private running: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: TranscriptHandoffOptions) {}

  push(entries: readonly TranscriptEntry[]): void {
    if (entries.length === 0) return;
    this.queue.push(...entries);
    this.running ??= this.drain().finally(() => {
      this.running = null;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /** Resolves when every pushed entry has been acknowledged by main, or after `timeoutMs`. */
  flush(timeoutMs = 10_000): Promise<boolean> {
    if (!this.running && this.queue.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.queue.length === 0), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.queue.length === 0);
      });
    });
  }

  private async drain(): Promise<void> {
    let attempt = 0;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, MAX_ENTRIES_PER_CALL);
      try {
        const { savedIds } = await this.options.append(batch);
        this.queue.splice(0, batch.length);
        attempt = 0;
        this.options.onSaved(savedIds);
      } catch (error) {
        attempt++;
        this.options.onError?.(error, attempt);
        const delay = this.options.retryDelayMs?.(attempt) ?? Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
