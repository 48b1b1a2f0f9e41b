// The interview's clock as a value: when the room opened, the time limit, the breaks the proctor
// called and the extra time granted. Pure functions of a state and a time, so the room, the time
// limit and the tests (with a controlled clock) all read the same answer.

export interface InterviewClock {
  /** Epoch ms when the room opened. */
  startedAt: number;
  limitMs: number;
  /** Extra time granted live (accommodations); added to the limit. */
  extraMs: number;
  /** Breaks in order; the last may still be running (`to` null). */
  pauses: ReadonlyArray<{ from: number; to: number | null }>;
}

export function startClock(startedAt: number, limitMs: number): InterviewClock {
  return { startedAt, limitMs, extraMs: 0, pauses: [] };
}

export function isPaused(clock: InterviewClock): boolean {
  return clock.pauses.at(-1)?.to === null;
}

/** A break from `at`; a clock already paused stays as it is. */
export function pauseClock(clock: InterviewClock, at: number): InterviewClock {
  if (isPaused(clock)) return clock;
  return { ...clock, pauses: [...clock.pauses, { from: Math.max(at, clock.startedAt), to: null }] };
}

/** Ends the running break at `at` (never before it began); a running clock stays as it is. */
export function resumeClock(clock: InterviewClock, at: number): InterviewClock {
  const last = clock.pauses.at(-1);
  if (!last || last.to !== null) return clock;
  return { ...clock, pauses: [...clock.pauses.slice(0, -1), { from: last.from, to: Math.max(at, last.from) }] };
}

export function grantExtraTime(clock: InterviewClock, ms: number): InterviewClock {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('Extra time is a positive number of milliseconds.');
  return { ...clock, extraMs: clock.extraMs + ms };
}

/** Time spent in breaks up to `now`. */
export function pausedMs(clock: InterviewClock, now: number): number {
  return clock.pauses.reduce((sum, pause) => sum + Math.max(0, Math.min(pause.to ?? now, now) - pause.from), 0);
}

/** Interview time used: wall time since the start, breaks excluded. */
export function elapsedMs(clock: InterviewClock, now: number): number {
  return Math.max(0, now - clock.startedAt - pausedMs(clock, now));
}

export function remainingMs(clock: InterviewClock, now: number): number {
  return Math.max(0, clock.limitMs + clock.extraMs - elapsedMs(clock, now));
}

/** When the time limit falls if the clock keeps running from `now`; null during a break. */
export function deadlineAt(clock: InterviewClock, now: number): number | null {
  return isPaused(clock) ? null : now + remainingMs(clock, now);
}
