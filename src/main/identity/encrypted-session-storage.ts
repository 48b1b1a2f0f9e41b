// supabase-js's storage adapter, backed by one encrypted file per identity. When the encryptor refuses
// (no OS keyring, or Linux's basic_text backend) sessions live in memory only and the refusal is logged:
// the kiosk then signs in again after a restart instead of keeping a readable token on disk.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../platform/logger';
import type { EncryptorAvailability, TokenEncryptor } from './token-encryptor';

export interface SupabaseStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

export interface EncryptedSessionStorage extends SupabaseStorage {
  availability(): Promise<EncryptorAvailability>;
}

export function createEncryptedSessionStorage(options: { dir: string; encryptor: TokenEncryptor; logger: Logger }): EncryptedSessionStorage {
  const memory = new Map<string, string>();
  let warned = false;
  const fileFor = (key: string) => join(options.dir, `${key.replace(/[^A-Za-z0-9_.-]/g, '_')}.bin`);

  async function persistent(): Promise<boolean> {
    const state = await options.encryptor.availability();
    if (!state.ok && !warned) {
      warned = true;
      options.logger.warn({ code: state.code }, state.reason);
    }
    return state.ok;
  }

  return {
    availability: () => options.encryptor.availability(),
    async getItem(key) {
      if (memory.has(key)) return memory.get(key)!;
      if (!(await persistent())) return null;
      let cipher: Buffer;
      try {
        cipher = readFileSync(fileFor(key));
      } catch {
        return null;
      }
      try {
        const value = await options.encryptor.decrypt(cipher);
        memory.set(key, value);
        return value;
      } catch (error) {
        // A key rotated away or a file from another machine: treat as signed out, never crash.
        options.logger.warn({ err: error, key }, 'a stored session could not be decrypted; it is discarded');
        rmSync(fileFor(key), { force: true });
        return null;
      }
    },
    async setItem(key, value) {
      memory.set(key, value);
      if (!(await persistent())) return;
      const cipher = await options.encryptor.encrypt(value);
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      const target = fileFor(key);
      const temporary = `${target}.tmp`;
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, cipher);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, target);
    },
    async removeItem(key) {
      memory.delete(key);
      rmSync(fileFor(key), { force: true });
    },
  };
}
