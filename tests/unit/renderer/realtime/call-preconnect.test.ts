import { describe, expect, it } from 'vitest';
import { PRECONNECT_IDLE_MS, preconnectIdleMsFrom } from '../../../../src/renderer/realtime/call-preconnect';

describe('the idle bound override (test host URL only)', () => {
  it('takes a shorter bound from ?preconnectIdleMs=', () => {
    expect(preconnectIdleMsFrom('?preconnectIdleMs=1500')).toBe(1500);
    expect(preconnectIdleMsFrom(`?a=1&preconnectIdleMs=${PRECONNECT_IDLE_MS}`)).toBe(PRECONNECT_IDLE_MS);
  });

  it('ignores anything else: absent, not a whole number, too short, or longer than the production bound', () => {
    for (const search of ['', '?other=1', '?preconnectIdleMs=', '?preconnectIdleMs=abc', '?preconnectIdleMs=1.5e3x', '?preconnectIdleMs=12.5', '?preconnectIdleMs=-1', '?preconnectIdleMs=50', `?preconnectIdleMs=${PRECONNECT_IDLE_MS + 1}`, '?preconnectIdleMs=Infinity']) {
      expect(preconnectIdleMsFrom(search), search).toBeUndefined();
    }
  });
});
