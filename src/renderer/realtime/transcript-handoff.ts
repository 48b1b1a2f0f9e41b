// Hands committed transcript entries to main in seq order, at most 100 per call, one call at a time.
// Main answers only once the entries are durable; until then they are "not yet saved" on screen.
// A failed call is retried (same ids, so main's outbox stays idempotent) until it goes through —
// unless main refused it for good (a malformed entry, or an interview that has already ended): those
// entries are reported once and dropped, so one bad entry never holds back everything after it.
import type { TranscriptEntry } from '../../shared/domain/transcript';
import { codeOf } from '../error-fields';

export const MAX_ENTRIES_PER_CALL = 100;

/** Error codes a retry can never get past. */
const REFUSED_FOR_GOOD = new Set(['ipc.bad_request', 'interview.ended']);

export interface TranscriptHandoffOptions {
  append: (entries: TranscriptEntry[]) => Promise<{ savedIds: string[] }>;
  onSaved: (ids: string[]) => void;
  onError?: (error: unknown, attempt: number) => void;
  /** Entries main refused for good; they will never be saved. */
  onRejected?: (entries: TranscriptEntry[], error: unknown) => void;
  retryDelayMs?: (attempt: number) => number;
  /** The seq every earlier entry is already saved through (the launch's `nextSeq - 1`). */
  savedThroughSeq?: number;
}

export class TranscriptHandoff {
  private readonly queue: TranscriptEntry[] = [];
  private running: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];
  /** Entries left to send one per call, to find which of a refused batch main will not take. */
  private isolating = 0;
  private savedThrough: number;
  /** A refused or unacknowledged entry leaves a gap: nothing after it counts as saved through. */
  private gap = false;

  constructor(private readonly options: TranscriptHandoffOptions) {
    this.savedThrough = options.savedThroughSeq ?? -1;
  }

  push(entries: readonly TranscriptEntry[]): void {
    if (entries.length === 0) return;
    this.queue.push(...entries.map(withoutEmptyItemId));
    this.running ??= this.drain().finally(() => {
      this.running = null;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /** The last seq up to which every entry is saved: all an interview end may claim. */
  get savedThroughSeq(): number {
    return this.savedThrough;
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
      const batch = this.queue.slice(0, this.isolating > 0 ? 1 : MAX_ENTRIES_PER_CALL);
      try {
        const { savedIds } = await this.options.append(batch);
        this.queue.splice(0, batch.length);
        this.isolating = Math.max(0, this.isolating - batch.length);
        attempt = 0;
        this.noteSaved(batch, savedIds);
        this.options.onSaved(savedIds);
      } catch (error) {
        const code = codeOf(error);
        if (code !== null && REFUSED_FOR_GOOD.has(code)) {
          attempt = 0;
          if (code === 'interview.ended') {
            // Nothing more can be added to this interview: every entry still queued is refused alike.
            this.reject(this.queue.splice(0), error);
          } else if (batch.length > 1) {
            this.isolating = batch.length;
          } else {
            this.queue.splice(0, 1);
            this.isolating = Math.max(0, this.isolating - 1);
            this.reject(batch, error);
          }
          continue;
        }
        attempt++;
        this.options.onError?.(error, attempt);
        const delay = this.options.retryDelayMs?.(attempt) ?? Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private noteSaved(batch: readonly TranscriptEntry[], savedIds: readonly string[]): void {
    const saved = new Set(savedIds);
    for (const entry of batch) {
      // A correction rewrites a seq already saved (its failed stand-in): it neither extends nor breaks the run.
      if (entry.corrects !== undefined) continue;
      if (this.gap || !saved.has(entry.id)) {
        this.gap = true;
        return;
      }
      this.savedThrough = entry.seq;
    }
  }

  private reject(entries: TranscriptEntry[], error: unknown): void {
    if (entries.length === 0) return;
    // A refused correction leaves its stand-in in place: the seq is still saved.
    if (entries.some((entry) => entry.corrects === undefined)) this.gap = true;
    this.options.onRejected?.(entries, error);
  }
}

/** Main refuses an empty item id; the entry is whole without one. */
function withoutEmptyItemId(entry: TranscriptEntry): TranscriptEntry {
  if (entry.itemId !== '') return entry;
  const { itemId: _empty, ...rest } = entry;
  return rest;
}
