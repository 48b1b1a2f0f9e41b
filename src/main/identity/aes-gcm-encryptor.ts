// Token encryption for hosts without Electron's safeStorage (the browser host, tests): AES-256-GCM with
// a key the operator supplies from outside the data directory. A key stored beside the tokens would
// protect nothing, so without one the Node platform keeps sessions in memory only.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TokenEncryptor } from './token-encryptor';

const VERSION = 1;

export function createAesGcmEncryptor(key: Uint8Array): TokenEncryptor {
  if (key.byteLength !== 32) throw new Error('The token key must be 32 bytes (AES-256).');
  const secret = Buffer.from(key);
  return {
    availability: async () => ({ ok: true, backend: 'aes-256-gcm (operator key)' }),
    async encrypt(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    async decrypt(cipherText) {
      const data = Buffer.from(cipherText);
      if (data[0] !== VERSION || data.length < 29) throw new Error('unknown token file format');
      const decipher = createDecipheriv('aes-256-gcm', secret, data.subarray(1, 13));
      decipher.setAuthTag(data.subarray(13, 29));
      return Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]).toString('utf8');
    },
  };
}
