// Slows down PIN guessing at the kiosk: after 5 wrong PINs, each further try waits, doubling to 5 minutes.
// The count and the deadline live in the kiosk database, so restarting (or power-cycling) the kiosk
// does not hand out a fresh set of guesses. A try is counted as wrong before its check starts and
// cleared only when the PIN was right: cutting the power while the (deliberately slow) KDF runs
// still costs the guess. One PIN is checked at a time, so a burst of guesses typed during a check
// cannot slip past the count.
import { z } from 'zod';
import { KioskError } from '../../shared/kiosk-error';
import type { KioskDatabase } from '../platform/kiosk-database';
import type { Logger } from '../platform/logger';

const FREE_TRIES = 5;
const MAX_LOCKOUT_MS = 5 * 60_000;

export function pinLockoutMs(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(MAX_LOCKOUT_MS, 30_000 * 2 ** (failures - FREE_TRIES));
}

export interface PinThrottle {
  /** Runs one PIN check under the throttle; resolves whether the PIN was right. */
  attempt(verify: () => Promise<boolean>): Promise<boolean>;
  /** How long until the next try is allowed (0: now), so the proctor page can count it down. */
  lockedForMs(): number;
}

interface ThrottleState {
  failures: number;
  lockedUntil: number;
}

const rowSchema = z.object({
  failures: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  locked_until: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

export function createPinThrottle(options: { db: KioskDatabase; clock: { now(): number }; logger?: Pick<Logger, 'warn'> }): PinThrottle {
  const { db, clock, logger } = options;
  const select = db.prepare<[], unknown>('select failures, locked_until from pin_throttle where id = 1');
  const upsert = db.prepare<[number, number, number]>(
    `insert into pin_throttle (id, failures, locked_until, updated_at) values (1, ?, ?, ?)
     on conflict (id) do update set failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
  );
  const write = (state: ThrottleState) => upsert.run(state.failures, state.lockedUntil, clock.now());

  /** The stored state, repaired where it cannot be trusted (and the repair stored, so it holds). */
  const read = (now: number): ThrottleState => {
    let row: unknown;
    try {
      row = select.get();
    } catch (error) {
      // e.g. an integer beyond 2^53, which better-sqlite3 refuses to turn into a number.
      row = { unreadable: String(error) };
    }
    if (row === undefined) return { failures: 0, lockedUntil: 0 };
    const parsed = rowSchema.safeParse(row);
    if (!parsed.success) {
      // A damaged row is read as "just locked out", never as a clean slate: it waits one lockout.
      const repaired = { failures: FREE_TRIES, lockedUntil: now + pinLockoutMs(FREE_TRIES) };
      logger?.warn({ row }, 'the stored wrong-PIN throttle state is damaged; treating it as a fresh lockout');
      write(repaired);
      return repaired;
    }
    const state = { failures: parsed.data.failures, lockedUntil: parsed.data.locked_until };
    // No lockout is longer than MAX_LOCKOUT_MS; a deadline further out means the clock went back
    // (or the value is damaged). Cap it from now instead of locking the proctor out for that long.
    if (state.lockedUntil > now + MAX_LOCKOUT_MS) {
      state.lockedUntil = now + MAX_LOCKOUT_MS;
      write(state);
    }
    return state;
  };

  let checking = false;
  return {
    lockedForMs() {
      const now = clock.now();
      return Math.max(0, read(now).lockedUntil - now);
    },
    async attempt(verify) {
      if (checking) throw new KioskError('proctor.pin_busy', 'A PIN is already being checked; wait for its answer.');
      const now = clock.now();
      const state = read(now);
      const wait = state.lockedUntil - now;
      if (wait > 0) throw new KioskError('proctor.pin_locked', `Too many wrong PINs. Try again in ${Math.ceil(wait / 1000)} s.`);
      checking = true;
      try {
        const failures = state.failures + 1;
        write({ failures, lockedUntil: now + pinLockoutMs(failures) });
        const right = await verify();
        write(right ? { failures: 0, lockedUntil: 0 } : { failures, lockedUntil: clock.now() + pinLockoutMs(failures) });
        return right;
      } finally {
        checking = false;
      }
    },
  };
}
