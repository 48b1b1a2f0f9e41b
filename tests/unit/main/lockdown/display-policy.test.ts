import { describe, expect, it } from 'vitest';
import { decideDisplays, shouldBlockPowerSave } from '../../../../src/main/lockdown/display-policy';

describe('display rules', () => {
  it('pauses the interview when an extra display is connected', () => {
    expect(decideDisplays({ count: 1 }, { allowExtraDisplays: false })).toEqual({ paused: false });
    const decision = decideDisplays({ count: 2 }, { allowExtraDisplays: false });
    expect(decision.paused).toBe(true);
    expect(decision.paused && decision.reason).toMatch(/2 displays/);
  });
  it('allows extra displays where the tenant allows them, or when they only mirror', () => {
    expect(decideDisplays({ count: 3 }, { allowExtraDisplays: true })).toEqual({ paused: false });
    expect(decideDisplays({ count: 2, allMirrored: true }, { allowExtraDisplays: false })).toEqual({ paused: false });
  });
  it('keeps the display awake only during an interview', () => {
    expect(shouldBlockPowerSave('00000000-0000-4000-8000-000000000501')).toBe(true);
    expect(shouldBlockPowerSave(null)).toBe(false);
  });
});
