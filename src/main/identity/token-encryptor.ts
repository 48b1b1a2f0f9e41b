// Encryption at rest for tokens, behind one small interface so the vault never knows whether it runs
// in Electron (safeStorage, backed by the OS keychain) or under plain Node (tests, browser host).
import { KioskError } from '../../shared/kiosk-error';

export type EncryptorAvailability = { ok: true; backend: string } | { ok: false; code: string; reason: string };

export interface TokenEncryptor {
  /** Whether tokens may be persisted; when not, the vault keeps them in memory only and says why. */
  availability(): Promise<EncryptorAvailability>;
  encrypt(plainText: string): Promise<Uint8Array>;
  decrypt(cipherText: Uint8Array): Promise<string>;
}

export const ENCRYPTION_ERROR = {
  unavailable: 'vault.encryption_unavailable',
  plainTextBackend: 'vault.plain_text_backend',
} as const;

/** The subset of Electron's `safeStorage` the vault uses (async API first, sync API as a fallback). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  isAsyncEncryptionAvailable?: () => Promise<boolean>;
  encryptStringAsync?: (plainText: string) => Promise<Buffer>;
  decryptStringAsync?: (encrypted: Buffer) => Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend?: () => string;
}

/**
 * Pure decision: may tokens be persisted with this safeStorage? On Linux, `basic_text` means Chromium
 * "encrypts" with a hard-coded key, which is no protection at all, so we refuse rather than pretend.
 */
export function safeStorageAvailability(platform: string, backend: string | undefined, available: boolean): EncryptorAvailability {
  if (platform === 'linux' && backend === 'basic_text') {
    return {
      ok: false,
      code: ENCRYPTION_ERROR.plainTextBackend,
      reason: 'No OS keyring is available (Linux safeStorage backend is basic_text); sign-ins are kept in memory only and end when the kiosk restarts.',
    };
  }
  if (!available) {
    return { ok: false, code: ENCRYPTION_ERROR.unavailable, reason: 'OS encryption is not available; sign-ins are kept in memory only.' };
  }
  return { ok: true, backend: backend ?? platform };
}

export function createSafeStorageEncryptor(safeStorage: SafeStorageLike, platform: string): TokenEncryptor {
  const useAsync = typeof safeStorage.encryptStringAsync === 'function' && typeof safeStorage.decryptStringAsync === 'function';
  let cached: Promise<EncryptorAvailability> | undefined;
  const availability = () =>
    (cached ??= (async () => {
      const available = safeStorage.isAsyncEncryptionAvailable ? await safeStorage.isAsyncEncryptionAvailable() : safeStorage.isEncryptionAvailable();
      const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
      return safeStorageAvailability(platform, backend, available);
    })());
  const requireAvailable = async () => {
    const state = await availability();
    if (!state.ok) throw new KioskError(state.code, state.reason);
  };
  return {
    availability,
    async encrypt(plainText) {
      await requireAvailable();
      return useAsync ? safeStorage.encryptStringAsync!(plainText) : safeStorage.encryptString(plainText);
    },
    async decrypt(cipherText) {
      await requireAvailable();
      const buffer = Buffer.from(cipherText);
      return useAsync ? (await safeStorage.decryptStringAsync!(buffer)).result : safeStorage.decryptString(buffer);
    },
  };
}

/** For hosts with no OS keychain: nothing is ever persisted. */
export function createMemoryOnlyEncryptor(reason: string): TokenEncryptor {
  const refuse = async (): Promise<never> => {
    throw new KioskError(ENCRYPTION_ERROR.unavailable, reason);
  };
  return {
    availability: async () => ({ ok: false, code: ENCRYPTION_ERROR.unavailable, reason }),
    encrypt: refuse,
    decrypt: refuse,
  };
}
