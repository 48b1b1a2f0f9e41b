// Slows down PIN guessing at the kiosk: after 5 wrong PINs, each further try waits, doubling to 5 minutes.
// One PIN is checked at a time, so a burst of guesses typed while the (deliberately slow) KDF runs
// cannot slip past the count.
import { KioskError } from '../../shared/kiosk-error';

export function pinLockoutMs(failures: number): number {
  if (failures < 5) return 0;
  return Math.min(5 * 60_000, 30_000 * 2 ** (failures - 5));
}

export function createPinThrottle(clock: { now(): number }) {
  let failures = 0;
  let lockedUntil = 0;
  let checking = false;
  return {
    /** Runs one PIN check under the throttle; resolves whether the PIN was right. */
    async attempt(verify: () => Promise<boolean>): Promise<boolean> {
      const wait = lockedUntil - clock.now();
      if (wait > 0) throw new KioskError('proctor.pin_locked', `Too many wrong PINs. Try again in ${Math.ceil(wait / 1000)} s.`);
      if (checking) throw new KioskError('proctor.pin_busy', 'A PIN is already being checked; wait for its answer.');
      checking = true;
      try {
        const right = await verify();
        if (right) {
          failures = 0;
          lockedUntil = 0;
        } else {
          failures++;
          lockedUntil = clock.now() + pinLockoutMs(failures);
        }
        return right;
      } finally {
        checking = false;
      }
    },
  };
}
