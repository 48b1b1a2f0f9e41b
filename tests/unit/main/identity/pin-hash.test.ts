import { randomBytes, scryptSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPin, PIN_HASH_DEFAULT, pinHashProblem, pinHashSchema, verifyPin } from '../../../../src/main/identity/pin-hash';

// A hash made the way the kiosk made them before issue 11 (N = 2^15, r = 8, p = 1), computed here with
// node:crypto directly so the test does not depend on the code under test to produce it.
function legacyHash(pin: string, logN = 15, r = 8, p = 1): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, 32, { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r });
  return `scrypt$${logN}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

let pinHash: string;
beforeAll(async () => {
  pinHash = await hashPin('482913');
});

describe('proctor PIN hash', () => {
  it('verifies the right PIN and refuses others', async () => {
    expect(await verifyPin('482913', pinHash)).toBe(true);
    expect(await verifyPin('482914', pinHash)).toBe(false);
    expect(await verifyPin('482913', 'garbage')).toBe(false);
  });

  it('carries its parameters in the hash and meets the configured minimum', () => {
    const { logN, r, p } = PIN_HASH_DEFAULT;
    expect(pinHash.startsWith(`scrypt$${logN}$${r}$${p}$`)).toBe(true);
    expect(pinHashProblem(pinHash)).toBeNull();
    expect(pinHashSchema.safeParse(pinHash).success).toBe(true);
  });

  it('salts every hash', async () => {
    const [first, second] = await Promise.all([hashPin('111111'), hashPin('111111')]);
    expect(first).not.toBe(second);
  });

  it.each([
    ['4 digits', '2468'],
    ['5 digits', '24680'],
    ['letters', 'abcdef'],
    ['digits with a space', '482 913'],
    ['Arabic-Indic digits', '٤٨٢٩١٣'],
    ['65 digits', '1'.repeat(65)],
    ['nothing', ''],
  ])('attack: a 4-digit PIN is refused — hashPin refuses %s', async (_name, pin) => {
    await expect(hashPin(pin)).rejects.toThrow(/PIN/);
  });

  it('attack: a hash with weak parameters is refused — the old N = 2^15 hash still verifies but cannot be configured', async () => {
    const old = legacyHash('482913');
    expect(await verifyPin('482913', old)).toBe(true);
    expect(await verifyPin('482914', old)).toBe(false);
    expect(pinHashProblem(old)).toMatch(/below the minimum.*re-hash the PIN with `npx tsx scripts\/hash-pin.ts`/);
    const parsed = pinHashSchema.safeParse(old);
    expect(parsed.success).toBe(false);
    await expect(hashPin('482913', { logN: 15, r: 8, p: 1 })).rejects.toThrow(/below the minimum/);
    await expect(hashPin('482913', { logN: 17, r: 8, p: 4 })).rejects.toThrow(/below the minimum/);
  });

  it.each([
    ['N above 2^20', 'scrypt$21$8$1$'],
    ['p above 4', 'scrypt$18$8$9$'],
    ['r below 8', 'scrypt$20$1$1$'],
    ['more than 1 GiB of memory', 'scrypt$20$16$1$'],
  ])('refuses, without running it, a hash whose cost is out of bounds: %s', async (_name, prefix) => {
    // Salt and key of the right sizes, so only the parameters are wrong.
    const stored = `${prefix}${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
    expect(pinHashProblem(stored)).toMatch(/must be/);
    expect(await verifyPin('482913', stored)).toBe(false);
  });

  it.each([
    ['a bare SHA-256 digest', 'a'.repeat(64)],
    ['a salt shorter than 16 bytes', `scrypt$18$8$1$${randomBytes(15).toString('base64')}$${randomBytes(32).toString('base64')}`],
    ['a truncated key', `scrypt$18$8$1$${randomBytes(16).toString('base64')}$${randomBytes(16).toString('base64')}`],
    ['another KDF', `argon2id$18$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`],
  ])('refuses %s', async (_name, stored) => {
    expect(pinHashProblem(stored)).not.toBeNull();
    expect(await verifyPin('482913', stored)).toBe(false);
  });
});
