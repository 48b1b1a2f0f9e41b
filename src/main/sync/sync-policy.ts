// The sync engine's decisions as pure functions: what to do with a failure, how long to wait.
import type { BackendFailure } from './backend-client';

export type FailureDecision =
  /** Keep the batch, wait with backoff, try again (network trouble, 5xx, rate limits). */
  | 'retry'
  /** Refresh the device session, then try again at once. */
  | 'reauth'
  /** The batch as a whole was refused for its content: halve it to find the entry at fault. */
  | 'split'
  /** Give up on these operations: move them to the dead-letter table and keep the queue moving. */
  | 'reject';

/**
 * How many times an interview-end refused for missing entries is tried before it is dead-lettered: the
 * entries may still be on their way, but an end that can never close must not hold the lane for ever.
 */
export const MISSING_ENTRIES_ATTEMPTS = 12;

export function classifyFailure(failure: Pick<BackendFailure, 'kind' | 'status' | 'code'>, batchSize: number, attempts = 1): FailureDecision {
  if (failure.kind === 'network' || failure.status === null) return 'retry';
  const status = failure.status;
  if (status === 409 && failure.code === 'missing_entries') return attempts < MISSING_ENTRIES_ATTEMPTS ? 'retry' : 'reject';
  if (status >= 500 || status === 408 || status === 429) return 'retry';
  if (status === 401) return 'reauth';
  // A reply we cannot read came with a 2xx: the server may have stored the data, and retrying is
  // safe because uploads are idempotent.
  if (status < 400) return 'retry';
  // Content refusals that may concern one entry only (validation, an id/seq clash, a correction whose
  // target is gone or whose grace ran out while plain entries in the batch are fine): find it by halving.
  const entryLevel =
    status === 400 ||
    status === 413 ||
    status === 422 ||
    (status === 409 && (failure.code === 'entry_conflict' || failure.code === 'correction_target_invalid' || failure.code === 'session_not_in_progress'));
  if (entryLevel && batchSize > 1) return 'split';
  return 'reject';
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** "Full jitter" exponential backoff: uniform in [base/2, min(max, base·2^attempt)]. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const floor = Math.min(ceiling, options.baseMs / 2);
  return Math.round(floor + random() * (ceiling - floor));
}
