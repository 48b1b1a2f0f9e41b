// Verifies the caller's Supabase access token: ES256 against the project's JWKS, or the legacy HS256
// secret while a project still signs with it. Nothing else (alg none, other algs, wrong audience) passes.
import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'npm:jose@6.2.18';
import { ApiError } from './api-error.ts';

export interface Caller {
  userId: string;
  email: string | null;
  /** The verified claims, handed to Postgres as request.jwt.claims. */
  claims: JWTPayload & Record<string, unknown>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let remoteKeys: ReturnType<typeof createRemoteJWKSet> | undefined;

function jwks(): ReturnType<typeof createRemoteJWKSet> {
  if (!remoteKeys) {
    const explicit = Deno.env.get('SUPABASE_JWKS_URL');
    const base = Deno.env.get('SUPABASE_URL');
    if (!explicit && !base) throw new ApiError(500, 'server_misconfigured', 'The function has no SUPABASE_URL.');
    const url = new URL(explicit ?? `${base!.replace(/\/$/, '')}/auth/v1/.well-known/jwks.json`);
    // jose caches the key set and refetches at most every 30 s when it meets an unknown kid.
    remoteKeys = createRemoteJWKSet(url, { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 });
  }
  return remoteKeys;
}

/**
 * The project's legacy HS256 JWT secret, while it still signs tokens. Hosted Supabase refuses custom
 * secrets named SUPABASE_*, so a deployment sets LEGACY_JWT_SECRET; the local stack sets either.
 */
function legacyJwtSecret(): string | undefined {
  return Deno.env.get('SUPABASE_JWT_SECRET') || Deno.env.get('LEGACY_JWT_SECRET') || undefined;
}

export async function verifyCaller(request: Request): Promise<Caller> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError(401, 'missing_token', 'Sign in first: the request carries no access token.');
  const token = match[1];

  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new ApiError(401, 'invalid_token', 'The access token is not a valid JWT.');
  }

  let payload: JWTPayload;
  try {
    if (alg === 'ES256') {
      ({ payload } = await jwtVerify(token, jwks(), { algorithms: ['ES256'], audience: 'authenticated' }));
    } else if (alg === 'HS256' && legacyJwtSecret()) {
      const secret = new TextEncoder().encode(legacyJwtSecret());
      ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], audience: 'authenticated' }));
    } else {
      throw new ApiError(401, 'invalid_token', 'The access token is signed with an algorithm this project does not accept.');
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof errors.JWTExpired) {
      throw new ApiError(401, 'token_expired', 'The access token has expired: refresh the session and retry.');
    }
    if (error instanceof errors.JOSEError) {
      throw new ApiError(401, 'invalid_token', 'The access token could not be verified.');
    }
    throw new ApiError(503, 'auth_unavailable', 'The signing keys could not be fetched; retry shortly.');
  }

  if (payload.role !== 'authenticated' || typeof payload.sub !== 'string' || !uuidPattern.test(payload.sub)) {
    throw new ApiError(401, 'invalid_token', 'The access token is not a signed-in user token.');
  }
  if (typeof payload.exp !== 'number') {
    throw new ApiError(401, 'invalid_token', 'The access token has no expiry.');
  }
  return {
    userId: payload.sub,
    email: typeof payload.email === 'string' && payload.email ? payload.email : null,
    claims: payload as Caller['claims'],
  };
}
