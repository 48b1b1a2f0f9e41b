// Tokens for the tenant's SDP proxy. They are signed ES256 with PROXY_SIGNING_KEY, a P-256 private key
// that only the backend holds; each proxy verifies them against the public keys in its JWT_JWKS, so a
// proxy's secrets cannot mint tokens. Each token's audience names the one tenant whose proxy may accept
// it. The session config carries the interviewer's instructions, so the kiosk can pass it along but
// neither read a provider key nor change what the interviewer is told.
import { importJWK, SignJWT } from 'npm:jose@6.2.18';
import { z } from 'npm:zod@4.6.7';
import { ApiError } from './api-error.ts';

const proxyTokenTtlSeconds = 900;

export interface RealtimeSessionConfig {
  instructions: string;
  voice?: string;
  model?: string;
  transcription_model?: string;
  max_duration_s?: number;
}

const coordinate = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
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

/** Valid for the interview's length plus a margin, so a reconnect late in the interview still works. */
export async function signSessionConfig(
  interviewSessionId: string,
  tenantId: string,
  session: RealtimeSessionConfig,
  nowSeconds: number,
): Promise<string> {
  const lifetime = (session.max_duration_s ?? 3600) + 600;
  return await sign({ tenant_id: tenantId, session }, sessionConfigAudience(tenantId), interviewSessionId, nowSeconds, nowSeconds + lifetime);
}
