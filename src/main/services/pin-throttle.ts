// Slows down PIN guessing at the kiosk: after 5 wrong PINs, each further try waits, doubling to 5 minutes.
import { KioskError } from '../../shared/kiosk-error';

export function pinLockoutMs(failures: number): number {
  if (failures < 5) return 0;
  return Math.min(5 * 60_000, 30_000 * 2 ** (failures - 5));
}

export function createPinThrottle(clock: { now(): number }) {
  let failures = 0;
  let lockedUntil = 0;
  return {
    check() {
      const wait = lockedUntil - clock.now();
      if (wait > 0) throw new KioskError('proctor.pin_locked', `Too many wrong PINs. Try again in ${Math.ceil(wait / 1000)} s.`);
    },
    failed() {
      failures++;
      lockedUntil = clock.now() + pinLockoutMs(failures);
    },
    succeeded() {
      failures = 0;
      lockedUntil = 0;
    },
  };
}
