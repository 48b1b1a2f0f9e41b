// Verifies the proxy token (at the WebSocket upgrade) and the signed session config (with each offer).
// Only HS256 with JWT_SECRET, or ES256/EdDSA with JWT_JWKS; the algorithm picks the key source, so a
// public key can never be tried as an HMAC secret and `alg: none` never reaches a verifier.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { z } from 'zod';

export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'bad_algorithm'
  | 'bad_signature'
  | 'expired'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_tenant'
  | 'wrong_session'
  | 'bad_claims';

export class AuthError extends Error {
  constructor(readonly reason: AuthFailureReason, message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export const tokenIssuer = 'interview-kiosk';
export const proxyAudience = 'sdp-proxy';
export const sessionConfigAudience = 'sdp-proxy/session-config';
/** Proxy tokens are short-lived by contract; a longer one was not minted by interview-start. */
const maxTokenLifetimeS = 900;
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
  jwtSecret: string;
  jwtJwks?: string;
}

export interface TokenVerifier {
  verifyProxyToken(token: string | undefined): Promise<ProxyClaims>;
  verifySessionConfig(token: string, sessionId: string): Promise<SessionConfig>;
}

function jwksSource(jwks: string | undefined): JWTVerifyGetKey | null {
  if (!jwks) return null;
  if (jwks.trimStart().startsWith('{')) return createLocalJWKSet(JSON.parse(jwks) as Parameters<typeof createLocalJWKSet>[0]);
  return createRemoteJWKSet(new URL(jwks), { cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
}

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const secret = new TextEncoder().encode(options.jwtSecret);
  const jwks = jwksSource(options.jwtJwks);

  async function verify(token: string | undefined, audience: string): Promise<JWTPayload> {
    if (!token) throw new AuthError('missing', 'A token is required.');
    if (!compactJws.test(token)) throw new AuthError('malformed', 'The token is not a signed JWT.');
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthError('malformed', 'The token header cannot be read.');
    }
    let result;
    try {
      if (alg === 'HS256') {
        result = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: tokenIssuer, audience, clockTolerance: clockToleranceS, requiredClaims: ['exp', 'iat', 'sub', 'jti'] });
      } else if ((alg === 'ES256' || alg === 'EdDSA') && jwks) {
        result = await jwtVerify(token, jwks, { algorithms: ['ES256', 'EdDSA'], issuer: tokenIssuer, audience, clockTolerance: clockToleranceS, requiredClaims: ['exp', 'iat', 'sub', 'jti'] });
      } else {
        throw new AuthError('bad_algorithm', `Tokens signed with ${alg ?? 'no algorithm'} are not accepted.`);
      }
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthError('expired', 'The token has expired.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        if (error.claim === 'aud') throw new AuthError('wrong_audience', 'The token is not meant for this service.');
        if (error.claim === 'iss') throw new AuthError('wrong_issuer', 'The token was not issued by the interview backend.');
        throw new AuthError('bad_claims', `The token's ${error.claim} claim is missing or invalid.`);
      }
      if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
        throw new AuthError('bad_signature', 'The token signature is not valid.');
      }
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
      const claims = checkClaims(await verify(token, proxyAudience));
      return { sessionId: claims.sub, tenantId: claims.tenant_id, jti: claims.jti, expiresAt: new Date(claims.exp * 1000) };
    },
    async verifySessionConfig(token, sessionId) {
      const payload = await verify(token, sessionConfigAudience);
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
