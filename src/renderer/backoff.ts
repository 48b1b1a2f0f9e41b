// The renderer's one backoff schedule and its one sleep: every retry loop here (reconnects, the end's
// interview.finish, the handoff) waits through these, so the schedule is a pure function tests can read.

export interface BackoffSchedule {
  baseMs: number;
  maxMs: number;
  /** ± fraction of jitter, so many kiosks that lost the same network do not retry in lock-step. */
  jitter?: number;
}

/** Delay before retry `attempt` (0-based): base·2^attempt, capped, with optional jitter from `random`. */
export function backoffDelayMs(schedule: BackoffSchedule, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(schedule.maxMs, schedule.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  const jitter = schedule.jitter ?? 0;
  if (jitter === 0) return exponential;
  return Math.round(exponential * (1 - jitter + 2 * jitter * random()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
