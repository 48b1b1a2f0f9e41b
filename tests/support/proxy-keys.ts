// The backend's proxy signing keys for tests and the local stack: a P-256 key pair with a kid, the
// private JWK the backend gets as PROXY_SIGNING_KEY, and the public JWKS a proxy gets as JWT_JWKS.
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface ProxySigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** For PROXY_SIGNING_KEY (JSON). */
  privateJwk: JWK;
  /** What a proxy's JWT_JWKS lists for this key. */
  publicJwk: JWK;
}

export async function generateProxySigningKey(kid = `proxy-${randomBytes(6).toString('hex')}`): Promise<ProxySigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
  return { kid, privateKey, privateJwk, publicJwk };
}

/** The JWT_JWKS value trusting these keys (two during a rollover). */
export function publicJwks(...keys: ProxySigningKey[]): string {
  return JSON.stringify({ keys: keys.map((key) => key.publicJwk) });
}

/** A tenant proxy's encryption key pair: session configs are encrypted to the public half. */
export interface ProxyEncryptionKey {
  kid: string;
  publicKey: CryptoKey;
  /** For the proxy's PROXY_DECRYPTION_KEY (JSON). */
  privateJwk: JWK;
  /** What the backend keeps as the tenant's proxy_encryption_key. */
  publicJwk: JWK;
}

export async function generateProxyEncryptionKey(kid = `proxy-enc-${randomBytes(6).toString('hex')}`): Promise<ProxyEncryptionKey> {
  const { privateKey, publicKey } = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ECDH-ES+A256KW', use: 'enc' };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'ECDH-ES+A256KW', use: 'enc' };
  return { kid, publicKey, privateJwk, publicJwk };
}

/** The PROXY_DECRYPTION_KEY value holding these keys (two during a rollover). */
export function decryptionKeys(...keys: ProxyEncryptionKey[]): string {
  return keys.length === 1 ? JSON.stringify(keys[0]!.privateJwk) : JSON.stringify({ keys: keys.map((key) => key.privateJwk) });
}
