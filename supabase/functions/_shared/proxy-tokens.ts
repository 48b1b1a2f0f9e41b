// Tokens for the tenant's SDP proxy. They are signed ES256 with PROXY_SIGNING_KEY, a P-256 private key
// that only the backend holds; each proxy verifies them against the public keys in its JWT_JWKS, so a
// proxy's secrets cannot mint tokens. Each token's audience names the one tenant whose proxy may accept
// it. The session config carries the interviewer's instructions (the brief, the plan, the candidate's
// name): it is signed, so the kiosk cannot change what the interviewer is told, and then encrypted to
// the tenant's proxy encryption key (tenants.proxy_encryption_key), so the kiosk that carries it to the
// proxy cannot read it either.
import { CompactEncrypt, importJWK, SignJWT } from 'npm:jose@6.2.18';
import { z } from 'npm:zod@4.6.7';
import { ApiError } from './api-error.ts';

/**
 * Every signalling socket gets its own pass (main asks interview-start per connection, and the kiosk
 * renews its socket before the pass runs out), and the proxy closes a socket when its pass expires. The
 * backend refuses a pass once the interview has ended, so this lifetime bounds how long an open socket,
 * or a token captured from the kiosk, stays usable after the end. Long enough for a slow renewal round
 * trip with retries; the proxy refuses anything longer (token-verifier.ts, maxTokenLifetimeS).
 */
const proxyTokenTtlSeconds = 120;

export interface RealtimeSessionConfig {
  instructions: string;
  voice?: string;
  model?: string;
  transcription_model?: string;
  max_duration_s?: number;
}

const coordinate = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
/** A tenant proxy's public encryption key (the database checks its shape too). */
const encryptionKeySchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: coordinate,
  y: coordinate,
  kid: z.string().min(1).max(128),
});

/** JWE algorithms of the session config; the proxy accepts these and nothing else. */
export const sessionConfigKeyAlgorithm = 'ECDH-ES+A256KW';
export const sessionConfigEncryption = 'A256GCM';

/** A P-256 private JWK; the kid goes into every token's header so proxies can hold two keys during a rollover. */
const signingKeySchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: coordinate,
  y: coordinate,
  d: coordinate,
  kid: z.string().min(1).max(128),
  alg: z.literal('ES256').optional(),
});

interface SigningKey {
  kid: string;
  key: CryptoKey;
}

let cached: { source: string; key: Promise<SigningKey> } | undefined;

async function importSigningKey(source: string): Promise<SigningKey> {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch {
    json = undefined;
  }
  const parsed = signingKeySchema.safeParse(json);
  if (!parsed.success) throw new Error('PROXY_SIGNING_KEY is not a P-256 private JWK with a kid.');
  const { kty, crv, x, y, d, kid } = parsed.data;
  return { kid, key: (await importJWK({ kty, crv, x, y, d }, 'ES256')) as CryptoKey };
}

function signingKey(): Promise<SigningKey> {
  const source = Deno.env.get('PROXY_SIGNING_KEY')?.trim();
  if (!source) return Promise.reject(new ApiError(500, 'server_misconfigured', 'The backend has no proxy signing key.'));
  if (cached?.source !== source) cached = { source, key: importSigningKey(source) };
  return cached.key.catch(() => {
    // Never echo the key material: the message names the setting only.
    throw new ApiError(500, 'server_misconfigured', 'The backend proxy signing key is not a P-256 private JWK with a kid.');
  });
}

/** `aud` values, one per tenant: a token for one tenant's proxy is refused by every other proxy. */
export const proxyAudience = (tenantId: string) => `sdp-proxy:${tenantId}`;
export const sessionConfigAudience = (tenantId: string) => `sdp-proxy/session-config:${tenantId}`;

async function sign(claims: Record<string, unknown>, audience: string, subject: string, issuedAt: number, expiresAt: number): Promise<string> {
  const { kid, key } = await signingKey();
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer('interview-kiosk')
    .setAudience(audience)
    .setSubject(subject)
    .setJti(crypto.randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key);
}

export async function signProxyToken(
  interviewSessionId: string,
  tenantId: string,
  nowSeconds: number,
): Promise<{ token: string; expiresAt: string }> {
  const exp = nowSeconds + proxyTokenTtlSeconds;
  const token = await sign({ tenant_id: tenantId }, proxyAudience(tenantId), interviewSessionId, nowSeconds, exp);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Checks the tenant's proxy encryption key before anything is started: without one no session config can
 * be sealed, and an interview must not begin that its proxy could never accept.
 */
export async function proxyEncryptionKey(value: unknown): Promise<{ kid: string; key: CryptoKey }> {
  const parsed = encryptionKeySchema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(503, 'proxy_unavailable', "This assessment centre's proxy has no encryption key configured (tenants.proxy_encryption_key).");
  }
  const { kty, crv, x, y, kid } = parsed.data;
  try {
    return { kid, key: (await importJWK({ kty, crv, x, y }, sessionConfigKeyAlgorithm)) as CryptoKey };
  } catch {
    throw new ApiError(503, 'proxy_unavailable', "This assessment centre's proxy encryption key is not a P-256 public key.");
  }
}

/**
 * Valid for the interview's length plus a margin, so a reconnect late in the interview still works.
 * Signed, then encrypted (a nested JWT, `cty: JWT`): the proxy decrypts with its private key and then
 * verifies the backend's signature, so neither the kiosk nor another tenant's proxy reads it, and a
 * proxy's encryption key alone cannot forge one.
 */
export async function sealSessionConfig(
  interviewSessionId: string,
  tenantId: string,
  session: RealtimeSessionConfig,
  encryptionKey: { kid: string; key: CryptoKey },
  nowSeconds: number,
): Promise<string> {
  const lifetime = (session.max_duration_s ?? 3600) + 600;
  const signed = await sign({ tenant_id: tenantId, session }, sessionConfigAudience(tenantId), interviewSessionId, nowSeconds, nowSeconds + lifetime);
  return await new CompactEncrypt(new TextEncoder().encode(signed))
    .setProtectedHeader({ alg: sessionConfigKeyAlgorithm, enc: sessionConfigEncryption, kid: encryptionKey.kid, cty: 'JWT' })
    .encrypt(encryptionKey.key);
}
