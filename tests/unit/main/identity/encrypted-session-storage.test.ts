import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAesGcmEncryptor } from '../../../../src/main/identity/aes-gcm-encryptor';
import { createEncryptedSessionStorage } from '../../../../src/main/identity/encrypted-session-storage';
import { silentLogger } from '../../../../src/main/platform/logger';
import { createSafeStorageEncryptor, type SafeStorageLike } from '../../../../src/main/identity/token-encryptor';

const secret = JSON.stringify({ access_token: 'a.b.c', refresh_token: 'refresh-secret-value' });

/** Electron's safeStorage at its interface: reversible, and it says which Linux backend it uses. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike & { asyncCalls: number } {
  const mask = (data: Buffer) => Buffer.from(data.map((byte) => byte ^ 0x5a));
  const api = {
    asyncCalls: 0,
    isEncryptionAvailable: () => available,
    encryptString: (text: string) => mask(Buffer.from(text)),
    decryptString: (data: Buffer) => mask(data).toString(),
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (text: string) => {
      api.asyncCalls++;
      return mask(Buffer.from(text));
    },
    decryptStringAsync: async (data: Buffer) => ({ result: mask(data).toString(), shouldReEncrypt: false }),
    getSelectedStorageBackend: () => backend,
  };
  return api;
}

describe('encrypted session storage', () => {
  it('persists sessions encrypted with the async safeStorage API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'));
    const safeStorage = fakeSafeStorage('gnome_libsecret');
    const encryptor = createSafeStorageEncryptor(safeStorage, 'linux');
    await createEncryptedSessionStorage({ dir, encryptor, logger: silentLogger }).setItem('kiosk-auth-device', secret);
    expect(safeStorage.asyncCalls).toBe(1);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0]!)).toString()).not.toContain('refresh-secret-value');
    const reopened = createEncryptedSessionStorage({ dir, encryptor, logger: silentLogger });
    expect(await reopened.getItem('kiosk-auth-device')).toBe(secret);
  });

  it('writes nothing to disk when the backend is basic_text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'));
    const storage = createEncryptedSessionStorage({ dir, encryptor: createSafeStorageEncryptor(fakeSafeStorage('basic_text'), 'linux'), logger: silentLogger });
    await storage.setItem('kiosk-auth-proctor', secret);
    expect(await storage.getItem('kiosk-auth-proctor')).toBe(secret);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats a file it cannot decrypt as signed out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'));
    await createEncryptedSessionStorage({ dir, encryptor: createAesGcmEncryptor(randomBytes(32)), logger: silentLogger }).setItem('k', secret);
    const otherKey = createEncryptedSessionStorage({ dir, encryptor: createAesGcmEncryptor(randomBytes(32)), logger: silentLogger });
    expect(await otherKey.getItem('k')).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});
