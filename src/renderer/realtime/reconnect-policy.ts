// How long to wait before each re-offer after the call broke: a quick first try (most drops are a
// blip), then doubling with jitter, for a bounded number of attempts before the interview is ended.
import { backoffDelayMs } from '../backoff';

export interface ReconnectPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Grace given to a `disconnected` peer connection to come back by itself before re-offering. */
  disconnectGraceMs: number;
}

export const defaultReconnectPolicy: ReconnectPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  disconnectGraceMs: 5_000,
};

/** Delay before attempt `attempt` (0-based); `random` is injected so the schedule is testable. */
export function reconnectDelayMs(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number {
  if (attempt <= 0) return 0;
  // ±20 % so many kiosks that lost the same network do not re-offer in lock-step.
  return backoffDelayMs({ baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: 0.2 }, attempt - 1, random);
}

/** Rotate the provider call this long before its hard cap, so the switch happens on our terms. */
export const PROVIDER_CALL_CAP_MS = 60 * 60_000;
export const ROTATE_BEFORE_CAP_MS = 3 * 60_000;
