import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyFailure, MISSING_ENTRIES_ATTEMPTS } from '../../../../src/main/sync/sync-policy';

const http = (status: number) => ({ kind: 'http' as const, status, code: `http_${status}` });

describe('failure classification', () => {
  it.each([
    [{ kind: 'network' as const, status: null, code: 'sync.network' }, 10, 'retry'],
    [http(500), 10, 'retry'],
    [http(503), 1, 'retry'],
    [http(429), 10, 'retry'],
    [http(408), 10, 'retry'],
    [http(401), 10, 'reauth'],
    [http(422), 10, 'split'],
    [http(400), 2, 'split'],
    [http(400), 1, 'reject'],
    [http(413), 1, 'reject'],
    [http(409), 10, 'reject'],
    [{ kind: 'http' as const, status: 409, code: 'entry_conflict' }, 10, 'split'],
    [{ kind: 'http' as const, status: 409, code: 'entry_conflict' }, 1, 'reject'],
    [{ kind: 'http' as const, status: 409, code: 'correction_target_invalid' }, 10, 'split'],
    [{ kind: 'http' as const, status: 409, code: 'correction_target_invalid' }, 1, 'reject'],
    [{ kind: 'http' as const, status: 409, code: 'session_not_in_progress' }, 4, 'split'],
    [http(403), 10, 'reject'],
    [http(404), 1, 'reject'],
  ])('%o with a batch of %i → %s', (failure, size, decision) => {
    expect(classifyFailure(failure, size)).toBe(decision);
  });

  it('retries an end refused for missing entries with backoff, then gives up so the lane moves on', () => {
    const missing = { kind: 'http' as const, status: 409, code: 'missing_entries' };
    expect(classifyFailure(missing, 1, 1)).toBe('retry');
    expect(classifyFailure(missing, 1, MISSING_ENTRIES_ATTEMPTS - 1)).toBe('retry');
    expect(classifyFailure(missing, 1, MISSING_ENTRIES_ATTEMPTS)).toBe('reject');
  });
});

describe('backoff', () => {
  const options = { baseMs: 1_000, maxMs: 60_000 };
  it('grows exponentially up to the cap', () => {
    expect(backoffDelay(0, options, () => 1)).toBe(1_000);
    expect(backoffDelay(3, options, () => 1)).toBe(8_000);
    expect(backoffDelay(20, options, () => 1)).toBe(60_000);
  });
  it('spreads retries with jitter but never below half the base', () => {
    expect(backoffDelay(5, options, () => 0)).toBe(500);
    const samples = new Set(Array.from({ length: 50 }, () => backoffDelay(5, options, Math.random)));
    expect(samples.size).toBeGreaterThan(10);
    for (const value of samples) expect(value).toBeGreaterThanOrEqual(500);
  });
});
