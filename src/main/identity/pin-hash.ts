// The proctor PIN is stored as an scrypt hash (a memory-hard KDF), never as a bare digest:
// `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const PIN_HASH_PATTERN = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/]{16,}={0,2})\$([A-Za-z0-9+/]{43,}={0,2})$/;

export const pinHashSchema = z.string().regex(PIN_HASH_PATTERN, 'must be an scrypt PIN hash (scrypt$15$8$1$<salt>$<hash>)').refine((value) => {
  const match = PIN_HASH_PATTERN.exec(value);
  return match !== null && Number(match[1]) >= 14 && Number(match[1]) <= 20;
}, 'scrypt cost must be between 2^14 and 2^20');

const KEY_BYTES = 32;

function derive(pin: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFKC'), salt, KEY_BYTES, { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPin(pin: string, options: { logN?: number } = {}): Promise<string> {
  const logN = options.logN ?? 15;
  const salt = randomBytes(16);
  const key = await derive(pin, salt, logN, 8, 1);
  return `scrypt$${logN}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const match = PIN_HASH_PATTERN.exec(stored);
  if (!match) return false;
  const [, logN, r, p, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64');
  const actual = await derive(pin, Buffer.from(salt!, 'base64'), Number(logN), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
