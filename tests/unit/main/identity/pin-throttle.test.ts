import { describe, expect, it } from 'vitest';
import { createPinThrottle, pinLockoutMs } from '../../../../src/main/identity/pin-throttle';

describe('PIN throttle', () => {
  it('locks out after five wrong PINs, doubling up to five minutes', async () => {
    let now = 0;
    const throttle = createPinThrottle({ now: () => now });
    for (let i = 0; i < 5; i++) await expect(throttle.attempt(async () => false)).resolves.toBe(false);
    await expect(throttle.attempt(async () => true)).rejects.toMatchObject({ code: 'proctor.pin_locked' });
    now += pinLockoutMs(5);
    await expect(throttle.attempt(async () => true)).resolves.toBe(true);
    expect(pinLockoutMs(20)).toBe(5 * 60_000);
  });

  it('checks one PIN at a time, so guesses typed during a slow check are refused, not counted later', async () => {
    const throttle = createPinThrottle({ now: () => 0 });
    let finish!: (right: boolean) => void;
    const first = throttle.attempt(() => new Promise<boolean>((resolve) => (finish = resolve)));
    await expect(throttle.attempt(async () => true)).rejects.toMatchObject({ code: 'proctor.pin_busy' });
    finish(false);
    await expect(first).resolves.toBe(false);
    await expect(throttle.attempt(async () => true)).resolves.toBe(true);
  });
});
