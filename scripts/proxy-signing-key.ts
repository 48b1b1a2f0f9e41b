// Operator tool for the backend's proxy signing key and the tenants' proxy encryption keys
// (docs/deploy.md, "Proxy token keys"):
//   npx tsx scripts/proxy-signing-key.ts generate [kid]   → a P-256 private JWK for PROXY_SIGNING_KEY
//   npx tsx scripts/proxy-signing-key.ts jwks FILE...      → the public JWKS for the proxies' JWT_JWKS
//   npx tsx scripts/proxy-signing-key.ts encryption [kid] → one tenant's encryption key pair: the private
//       JWK for that proxy's PROXY_DECRYPTION_KEY and the public JWK for tenants.proxy_encryption_key
// `jwks` takes private keys, public keys or JWKS documents and keeps only the public parts, so the
// rollover JWKS is `jwks new-key.json current-jwks.json`. Keys are printed, never written anywhere.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';

const coordinate = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const p256Key = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: coordinate,
  y: coordinate,
  d: coordinate.optional(),
  kid: z.string().min(1).max(128),
});
const keyFile = z.union([z.object({ keys: z.array(p256Key).min(1) }), p256Key]);

export async function generateSigningJwk(kid = `proxy-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
}

/**
 * A tenant proxy's encryption key pair. The private half goes only into that tenant's proxy app; the
 * public half is what the backend seals session configs to.
 */
export async function generateEncryptionKeyPair(
  kid = `proxy-enc-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`,
): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ECDH-ES+A256KW', { extractable: true, crv: 'P-256' });
  const meta = { kid, alg: 'ECDH-ES+A256KW', use: 'enc' };
  return { privateJwk: { ...(await exportJWK(privateKey)), ...meta }, publicJwk: { ...(await exportJWK(publicKey)), ...meta } };
}

/** The public JWKS of the given keys (private or public JWKs, or JWKS documents), first occurrence of a kid wins. */
export function publicJwksOf(documents: unknown[]): { keys: JWK[] } {
  const keys = new Map<string, JWK>();
  for (const [index, document] of documents.entries()) {
    const parsed = keyFile.safeParse(document);
    if (!parsed.success) throw new Error(`input ${index + 1} is not a P-256 JWK with a kid, nor a JWKS of them`);
    for (const { kty, crv, x, y, kid } of 'keys' in parsed.data ? parsed.data.keys : [parsed.data]) {
      if (!keys.has(kid)) keys.set(kid, { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' });
    }
  }
  return { keys: [...keys.values()] };
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'generate' && rest.length <= 1) {
    console.log(JSON.stringify(await generateSigningJwk(rest[0])));
    return;
  }
  if (command === 'encryption' && rest.length <= 1) {
    const { privateJwk, publicJwk } = await generateEncryptionKeyPair(rest[0]);
    console.log(JSON.stringify({ PROXY_DECRYPTION_KEY: privateJwk, proxy_encryption_key: publicJwk }));
    return;
  }
  if (command === 'jwks' && rest.length > 0) {
    console.log(JSON.stringify(publicJwksOf(rest.map((file) => JSON.parse(readFileSync(file, 'utf8')) as unknown))));
    return;
  }
  console.error('usage: proxy-signing-key.ts generate [kid] | jwks FILE... | encryption [kid]');
  process.exitCode = 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`proxy-signing-key: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
