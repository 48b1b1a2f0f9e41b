// The interview clock with a controlled clock: breaks stop it, extra time lengthens it, and the
// deadline moves accordingly.
import { describe, expect, it } from 'vitest';
import {
  deadlineAt,
  elapsedMs,
  grantExtraTime,
  isPaused,
  pauseClock,
  remainingMs,
  resumeClock,
  startClock,
} from '../../../src/shared/domain/interview-clock';

const minute = 60_000;
const t0 = Date.UTC(2026, 11, 4, 9);

describe('interview clock', () => {
  it('runs from the start to the limit', () => {
    const clock = startClock(t0, 30 * minute);
    expect(elapsedMs(clock, t0 + 10 * minute)).toBe(10 * minute);
    expect(remainingMs(clock, t0 + 10 * minute)).toBe(20 * minute);
    expect(deadlineAt(clock, t0 + 10 * minute)).toBe(t0 + 30 * minute);
    expect(remainingMs(clock, t0 + 45 * minute)).toBe(0);
  });

  it('stands still during a break and gives the break back to the deadline', () => {
    let clock = startClock(t0, 30 * minute);
    clock = pauseClock(clock, t0 + 10 * minute);
    expect(isPaused(clock)).toBe(true);
    // Five minutes into the break: nothing used, no deadline while paused.
    expect(elapsedMs(clock, t0 + 15 * minute)).toBe(10 * minute);
    expect(remainingMs(clock, t0 + 15 * minute)).toBe(20 * minute);
    expect(deadlineAt(clock, t0 + 15 * minute)).toBeNull();
    clock = resumeClock(clock, t0 + 17 * minute);
    expect(isPaused(clock)).toBe(false);
    expect(elapsedMs(clock, t0 + 20 * minute)).toBe(13 * minute);
    expect(deadlineAt(clock, t0 + 20 * minute)).toBe(t0 + 37 * minute);
  });

  it('adds extra time to what is left, also during a break', () => {
    let clock = startClock(t0, 30 * minute);
    clock = grantExtraTime(clock, 10 * minute);
    expect(deadlineAt(clock, t0)).toBe(t0 + 40 * minute);
    clock = pauseClock(clock, t0 + 20 * minute);
    clock = grantExtraTime(clock, 5 * minute);
    clock = resumeClock(clock, t0 + 22 * minute);
    expect(remainingMs(clock, t0 + 22 * minute)).toBe(25 * minute);
    expect(deadlineAt(clock, t0 + 22 * minute)).toBe(t0 + 47 * minute);
  });

  it('counts several breaks, and ignores a second pause or a resume with no break', () => {
    let clock = startClock(t0, 30 * minute);
    clock = resumeClock(clock, t0 + minute);
    expect(clock.pauses).toEqual([]);
    clock = pauseClock(clock, t0 + 5 * minute);
    const paused = clock;
    expect(pauseClock(clock, t0 + 6 * minute)).toBe(paused);
    clock = resumeClock(clock, t0 + 7 * minute);
    clock = pauseClock(clock, t0 + 10 * minute);
    clock = resumeClock(clock, t0 + 13 * minute);
    expect(elapsedMs(clock, t0 + 20 * minute)).toBe(15 * minute);
  });

  it('refuses extra time that is not a positive duration, and a resume cannot end a break before it began', () => {
    const clock = startClock(t0, 30 * minute);
    expect(() => grantExtraTime(clock, 0)).toThrow(RangeError);
    expect(() => grantExtraTime(clock, -minute)).toThrow(RangeError);
    expect(() => grantExtraTime(clock, Number.NaN)).toThrow(RangeError);
    const resumed = resumeClock(pauseClock(clock, t0 + 5 * minute), t0 + 4 * minute);
    expect(resumed.pauses).toEqual([{ from: t0 + 5 * minute, to: t0 + 5 * minute }]);
  });
});
