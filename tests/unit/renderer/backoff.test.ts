import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../src/renderer/backoff';
import { defaultReconnectPolicy, reconnectDelayMs } from '../../../src/renderer/realtime/reconnect-policy';

describe('renderer backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    const schedule = { baseMs: 500, maxMs: 8_000 };
    expect([0, 1, 2, 3, 4, 5, 40].map((attempt) => backoffDelayMs(schedule, attempt))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('spreads retries within the jitter band and nowhere else', () => {
    const schedule = { baseMs: 1_000, maxMs: 10_000, jitter: 0.2 };
    expect(backoffDelayMs(schedule, 0, () => 0)).toBe(800);
    expect(backoffDelayMs(schedule, 0, () => 1)).toBe(1_200);
    expect(backoffDelayMs(schedule, 0, () => 0.5)).toBe(1_000);
  });

  it('keeps the reconnect schedule: an immediate first re-offer, then doubling to the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6].map((attempt) => reconnectDelayMs(defaultReconnectPolicy, attempt, () => 0.5));
    expect(delays).toEqual([0, 500, 1_000, 2_000, 4_000, 8_000, 8_000]);
  });
});
