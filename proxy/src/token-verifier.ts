// Verifies the proxy token (at the WebSocket upgrade) and the session config (with each offer). The
// session config is signed by the backend and then encrypted to this proxy's PROXY_DECRYPTION_KEY, so the
// kiosk carrying it cannot read the interviewer's instructions and another tenant's proxy cannot either.
// The backend signs with a P-256 key that never leaves it; this proxy holds only public keys (JWT_JWKS),
// so nothing in a tenant's proxy app can mint a token. Only ES256 is accepted: an HMAC or `alg: none`
// token never reaches a verifier, so a public key can never be tried as a shared secret. Every token
// names its tenant in the audience, so a token minted for one tenant's proxy is refused by the others.
import {
  compactDecrypt,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  importJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { z } from 'zod';

export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'bad_algorithm'
  | 'bad_signature'
  | 'unknown_key'
  | 'keys_unavailable'
  | 'expired'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_tenant'
  | 'wrong_session'
  | 'bad_claims'
  | 'not_encrypted'
  | 'undecryptable';

export class AuthError extends Error {
  constructor(readonly reason: AuthFailureReason, message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export const tokenIssuer = 'interview-kiosk';
/** The one algorithm tokens are signed with (ECDSA P-256 / SHA-256). */
export const tokenAlgorithm = 'ES256';
/** `aud` of a proxy token for one tenant's proxy. */
export const proxyAudience = (tenantId: string) => `sdp-proxy:${tenantId}`;
/** `aud` of a session config for one tenant's proxy. */
export const sessionConfigAudience = (tenantId: string) => `sdp-proxy/session-config:${tenantId}`;
/** How a session config is encrypted to the proxy (ECDH-ES key agreement on P-256, AES-256-GCM content). */
export const sessionConfigKeyAlgorithm = 'ECDH-ES+A256KW';
export const sessionConfigEncryption = 'A256GCM';
/**
 * Proxy tokens are short-lived by contract (interview-start mints them for 120 s, proxyTokenTtlSeconds):
 * the proxy closes a socket when its token runs out, so this is how long a socket can outlive the end of
 * its interview. A longer token was not minted by interview-start.
 */
const maxTokenLifetimeS = 120;
/** A session config lives for its interview plus a margin for a late reconnect, and never longer. */
const sessionConfigMarginS = 900;
const maxSessionConfigLifetimeS = 5 * 3600;
const clockToleranceS = 5;

const baseClaims = z.object({
  sub: z.string().min(1).max(200),
  tenant_id: z.string().min(1),
  jti: z.string().min(1).max(200),
  iat: z.number(),
  exp: z.number(),
});

export const sessionConfigSchema = z.object({
  instructions: z.string().min(1).max(32_000),
  voice: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(128).optional(),
  transcription_model: z.string().min(1).max(128).optional(),
  max_duration_s: z.number().int().positive().optional(),
});
export type SessionConfig = z.infer<typeof sessionConfigSchema>;

export interface ProxyClaims {
  sessionId: string;
  tenantId: string;
  jti: string;
  expiresAt: Date;
}

export interface TokenVerifierOptions {
  tenantId: string;
  /** The backend's public keys: a JWKS document (checked by config.ts) or the https URL serving it. */
  jwks: JSONWebKeySet | URL;
  /** With a JWKS URL: seconds a fetched set is used before it is fetched again (600 when absent). */
  jwksCacheS?: number;
  /** This proxy's private P-256 JWKs (with kids) that session configs are encrypted to. */
  decryptionKeys: Array<{ kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string; kid: string }>;
}

export interface TokenVerifier {
  verifyProxyToken(token: string | undefined): Promise<ProxyClaims>;
  verifySessionConfig(token: string, sessionId: string): Promise<SessionConfig>;
}

function jwksSource(jwks: JSONWebKeySet | URL, cacheS: number): JWTVerifyGetKey {
  // An unknown kid refetches at most every 30 s (a new key is picked up at once); a removed key stays
  // trusted until the cached set is older than cacheS.
  if (jwks instanceof URL) return createRemoteJWKSet(jwks, { cacheMaxAge: cacheS * 1000, cooldownDuration: Math.min(30_000, cacheS * 1000), timeoutDuration: 5_000 });
  return createLocalJWKSet(jwks);
}

/** The audience of the same kind of token for some other tenant's proxy (signed by the backend, misrouted or replayed). */
function forAnotherTenant(aud: unknown, expected: string, tenantId: string): boolean {
  const kind = expected.slice(0, expected.length - tenantId.length);
  const values = Array.isArray(aud) ? aud : [aud];
  return values.some((value) => typeof value === 'string' && value.startsWith(kind) && value !== expected);
}

/** What jose throws when JWT_JWKS is a URL that cannot be fetched or does not serve a JWKS. */
function isKeyFetchFailure(error: unknown): boolean {
  return (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    (error instanceof joseErrors.JOSEError && error.code === joseErrors.JOSEError.code) ||
    error instanceof TypeError
  );
}

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// ECDH-ES+A256KW always has an encrypted key, an IV and a tag; only the ciphertext may be long.
const compactJwe = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const jwks = jwksSource(options.jwks, options.jwksCacheS ?? 600);
  const remoteKeys = options.jwks instanceof URL;
  const decryptionKeys = new Map(
    options.decryptionKeys.map(({ kty, crv, x, y, d, kid }) => [kid, importJWK({ kty, crv, x, y, d }, sessionConfigKeyAlgorithm)]),
  );

  /** The signed session config inside the JWE; a plain JWS (readable by whoever carried it) is refused. */
  async function unseal(token: string): Promise<string> {
    if (compactJws.test(token)) throw new AuthError('not_encrypted', 'The session config is not encrypted for this proxy.');
    if (!compactJwe.test(token)) throw new AuthError('malformed', 'The session config is not an encrypted JWT.');
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AuthError('malformed', 'The session config header cannot be read.');
    }
    if (header.alg !== sessionConfigKeyAlgorithm || header.enc !== sessionConfigEncryption) {
      throw new AuthError('bad_algorithm', `Session configs encrypted with ${header.alg ?? 'no algorithm'}/${header.enc ?? 'no encryption'} are not accepted.`);
    }
    const key = typeof header.kid === 'string' ? decryptionKeys.get(header.kid) : undefined;
    // Another tenant's proxy key, or one this proxy retired: it could not be opened here anyway.
    if (!key) throw new AuthError('unknown_key', 'The session config is encrypted for a key this proxy does not hold.');
    try {
      const { plaintext } = await compactDecrypt(token, await key, {
        keyManagementAlgorithms: [sessionConfigKeyAlgorithm],
        contentEncryptionAlgorithms: [sessionConfigEncryption],
      });
      return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
    } catch {
      // A changed byte anywhere fails the GCM tag; a kid reused by another key fails the key unwrap.
      throw new AuthError('undecryptable', 'The session config cannot be decrypted by this proxy.');
    }
  }

  async function verify(token: string | undefined, audience: string): Promise<JWTPayload> {
    if (!token) throw new AuthError('missing', 'A token is required.');
    if (!compactJws.test(token)) throw new AuthError('malformed', 'The token is not a signed JWT.');
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AuthError('malformed', 'The token header cannot be read.');
    }
    if (header.alg !== tokenAlgorithm) throw new AuthError('bad_algorithm', `Tokens signed with ${header.alg ?? 'no algorithm'} are not accepted.`);
    // Without a kid the JWKS would be tried key by key; naming the key keeps a rollover unambiguous.
    if (typeof header.kid !== 'string' || header.kid === '') throw new AuthError('unknown_key', 'The token names no signing key (kid).');
    let result;
    try {
      result = await jwtVerify(token, jwks, {
        algorithms: [tokenAlgorithm],
        issuer: tokenIssuer,
        audience,
        clockTolerance: clockToleranceS,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthError('expired', 'The token has expired.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        if (error.claim === 'aud') {
          if (forAnotherTenant(error.payload.aud, audience, options.tenantId)) throw new AuthError('wrong_tenant', 'The token belongs to another tenant.');
          throw new AuthError('wrong_audience', 'The token is not meant for this service.');
        }
        if (error.claim === 'iss') throw new AuthError('wrong_issuer', 'The token was not issued by the interview backend.');
        throw new AuthError('bad_claims', `The token's ${error.claim} claim is missing or invalid.`);
      }
      if (error instanceof joseErrors.JWKSNoMatchingKey) throw new AuthError('unknown_key', 'The token is signed with a key this proxy does not trust.');
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw new AuthError('bad_signature', 'The token signature is not valid.');
      if (remoteKeys && isKeyFetchFailure(error)) throw new AuthError('keys_unavailable', 'The proxy cannot load its verification keys; try again shortly.');
      throw new AuthError('malformed', 'The token cannot be verified.');
    }
    // jose accepts any past-or-future iat; a token "issued" tomorrow was minted by someone who can sign,
    // to outlive a key rotation or a revocation, and is refused.
    if (typeof result.payload.iat === 'number' && result.payload.iat > Date.now() / 1000 + clockToleranceS) {
      throw new AuthError('bad_claims', 'The token claims to be issued in the future.');
    }
    return result.payload;
  }

  function checkClaims(payload: JWTPayload): z.infer<typeof baseClaims> {
    const claims = baseClaims.safeParse(payload);
    if (!claims.success) throw new AuthError('bad_claims', 'The token lacks the session or tenant claims.');
    if (claims.data.tenant_id !== options.tenantId) throw new AuthError('wrong_tenant', 'The token belongs to another tenant.');
    if (claims.data.exp - claims.data.iat > maxTokenLifetimeS) throw new AuthError('bad_claims', 'The token lives longer than allowed.');
    return claims.data;
  }

  return {
    async verifyProxyToken(token) {
      const claims = checkClaims(await verify(token, proxyAudience(options.tenantId)));
      // jose allows exp a few seconds of clock tolerance; the socket would be closed for expiry at once.
      if (claims.exp * 1000 <= Date.now()) throw new AuthError('expired', 'The token has expired.');
      return { sessionId: claims.sub, tenantId: claims.tenant_id, jti: claims.jti, expiresAt: new Date(claims.exp * 1000) };
    },
    async verifySessionConfig(token, sessionId) {
      const payload = await verify(await unseal(token), sessionConfigAudience(options.tenantId));
      const claims = baseClaims.safeParse(payload);
      if (!claims.success) throw new AuthError('bad_claims', 'The session config lacks the session or tenant claims.');
      if (claims.data.tenant_id !== options.tenantId) throw new AuthError('wrong_tenant', 'The session config belongs to another tenant.');
      if (claims.data.sub !== sessionId) throw new AuthError('wrong_session', 'The session config belongs to another interview session.');
      const session = sessionConfigSchema.safeParse(payload.session);
      if (!session.success) throw new AuthError('bad_claims', 'The session config has no valid session settings.');
      const lifetime = claims.data.exp - claims.data.iat;
      if (lifetime > Math.min(maxSessionConfigLifetimeS, (session.data.max_duration_s ?? 3600) + sessionConfigMarginS)) {
        throw new AuthError('bad_claims', 'The session config lives longer than its interview.');
      }
      return session.data;
    },
  };
}
