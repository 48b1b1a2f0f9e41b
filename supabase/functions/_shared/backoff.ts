// The backend's one backoff schedule: Fly machine creation retries and the processing worker's job
// retries both wait through it, so there is one formula to read and to tune.

export interface BackoffSchedule {
  /** The first wait; doubled per attempt. */
  baseMs: number;
  maxMs: number;
}

/** Wait before retry `attempt` (1-based): base·2^(attempt−1), capped at maxMs. */
export function backoffMs(attempt: number, schedule: BackoffSchedule): number {
  return Math.min(schedule.baseMs * 2 ** Math.min(Math.max(0, attempt - 1), 30), schedule.maxMs);
}
