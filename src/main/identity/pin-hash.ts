// The proctor PIN is stored as an scrypt hash (a memory-hard KDF), never as a bare digest, in a
// self-describing format that carries its own cost: `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`.
//
// A PIN has few possible values, so the hash's cost is the only thing between someone holding the
// tenant config and the PIN: a 4-digit PIN under the old N = 2^15 fell to a full search in 93 s on
// two cores. PINs are now at least 6 digits and the default cost is N = 2^18, r = 8, p = 1 (256 MiB
// per guess), which puts a full 6-digit search at days on a laptop (`npm run bench pin` measures
// it) while one check stays around a second for the proctor.
//
// Hashes keep verifying whatever cost they were made with (within the bounds below), but one below
// PIN_HASH_MINIMUM is refused where a hash is configured (`pinHashSchema`), so an old weak hash in a
// tenant config stops the kiosk with an error that says to re-hash, instead of staying crackable.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { proctorPinSchema } from '../../shared/domain/proctor';

export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

/** What `hashPin` uses: about a second per guess on a 2-core laptop, 256 MiB of memory. */
export const PIN_HASH_DEFAULT: ScryptParams = { logN: 18, r: 8, p: 1 };

/** The weakest parameters a configured hash may have: N ≥ 2^18 and r ≥ 8 (≥ 256 MiB per guess). */
export const PIN_HASH_MINIMUM = { logN: 18, r: 8 } as const;

// Outer bounds for any hash we verify, weak or not: a hash is config input, and one with a huge cost
// would stall (or exhaust the memory of) every PIN check.
const BOUNDS = { logN: { min: 14, max: 20 }, r: { min: 8, max: 16 }, p: { min: 1, max: 4 }, maxMemoryBytes: 2 ** 30 } as const;

const PIN_HASH_PATTERN = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/]{22,}={0,2})\$([A-Za-z0-9+/]{43}=)$/;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

interface ParsedPinHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

const memoryBytes = ({ logN, r }: ScryptParams) => 128 * 2 ** logN * r;

function outOfBounds(params: ScryptParams): string | null {
  if (params.logN < BOUNDS.logN.min || params.logN > BOUNDS.logN.max) return `scrypt N must be between 2^${BOUNDS.logN.min} and 2^${BOUNDS.logN.max}`;
  if (params.r < BOUNDS.r.min || params.r > BOUNDS.r.max) return `scrypt r must be between ${BOUNDS.r.min} and ${BOUNDS.r.max}`;
  if (params.p < BOUNDS.p.min || params.p > BOUNDS.p.max) return `scrypt p must be between ${BOUNDS.p.min} and ${BOUNDS.p.max}`;
  if (memoryBytes(params) > BOUNDS.maxMemoryBytes) return 'scrypt memory (128·N·r) must be at most 1 GiB';
  return null;
}

function belowMinimum(params: ScryptParams): string | null {
  if (params.logN < PIN_HASH_MINIMUM.logN || params.r < PIN_HASH_MINIMUM.r) {
    return (
      `the PIN hash's cost (scrypt N = 2^${params.logN}, r = ${params.r}) is below the minimum (N = 2^${PIN_HASH_MINIMUM.logN}, r = ${PIN_HASH_MINIMUM.r}) ` +
      'and a full search of the PIN space would be quick: re-hash the PIN with `npx tsx scripts/hash-pin.ts`'
    );
  }
  return null;
}

function parse(stored: string): ParsedPinHash | null {
  const match = PIN_HASH_PATTERN.exec(stored);
  if (!match) return null;
  const [, logN, r, p, salt, key] = match;
  const parsed = { logN: Number(logN), r: Number(r), p: Number(p), salt: Buffer.from(salt!, 'base64'), key: Buffer.from(key!, 'base64') };
  if (outOfBounds(parsed) || parsed.key.length !== KEY_BYTES || parsed.salt.length < SALT_BYTES) return null;
  return parsed;
}

/**
 * Why a stored hash must not be configured, or null when it is fine: unparseable, out of bounds, or
 * below PIN_HASH_MINIMUM.
 */
export function pinHashProblem(stored: string): string | null {
  const match = PIN_HASH_PATTERN.exec(stored);
  if (!match) return `must be an scrypt PIN hash (scrypt$${PIN_HASH_DEFAULT.logN}$${PIN_HASH_DEFAULT.r}$${PIN_HASH_DEFAULT.p}$<salt>$<hash>), made with scripts/hash-pin.ts`;
  const params = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const bounds = outOfBounds(params);
  if (bounds) return bounds;
  if (!parse(stored)) return 'the PIN hash has a salt shorter than 16 bytes or a key other than 32 bytes';
  return belowMinimum(params);
}

export const pinHashSchema = z.string().superRefine((value, context) => {
  const problem = pinHashProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

function derive(pin: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      pin.normalize('NFKC'),
      salt,
      KEY_BYTES,
      { N: 2 ** params.logN, r: params.r, p: params.p, maxmem: memoryBytes(params) + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/**
 * Hashes a new proctor PIN. The PIN must be 6 to 64 digits, and the parameters at least
 * PIN_HASH_MINIMUM: a weak hash is not something this function makes.
 */
export async function hashPin(pin: string, params: ScryptParams = PIN_HASH_DEFAULT): Promise<string> {
  const checked = proctorPinSchema.safeParse(pin);
  if (!checked.success) throw new RangeError(checked.error.issues[0]!.message);
  const problem = outOfBounds(params) ?? belowMinimum(params);
  if (problem) throw new RangeError(problem);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(checked.data, salt, params);
  return `scrypt$${params.logN}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Whether `pin` matches `stored`. Any well-formed hash within the outer bounds verifies, including
 * one below the minimum (the config refuses those before they get here); a malformed one is false.
 */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await derive(pin, parsed.salt, parsed);
  return timingSafeEqual(parsed.key, actual);
}
