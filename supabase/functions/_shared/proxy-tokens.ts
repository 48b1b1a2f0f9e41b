// Tokens for the tenant's SDP proxy, signed HS256 with the secret the proxy verifies (JWT_SECRET there,
// PROXY_JWT_SECRET here). The session config carries the interviewer's instructions, so the kiosk can
// pass it along but neither read a provider key nor change what the interviewer is told.
import { SignJWT } from 'npm:jose@6.2.18';
import { ApiError } from './api-error.ts';

const proxyTokenTtlSeconds = 900;

export interface RealtimeSessionConfig {
  instructions: string;
  voice?: string;
  model?: string;
  transcription_model?: string;
  max_duration_s?: number;
}

function secret(): Uint8Array {
  const value = Deno.env.get('PROXY_JWT_SECRET');
  if (!value || value.length < 32) {
    throw new ApiError(500, 'server_misconfigured', 'The backend has no proxy signing secret.');
  }
  return new TextEncoder().encode(value);
}

function sign(claims: Record<string, unknown>, audience: string, subject: string, issuedAt: number, expiresAt: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('interview-kiosk')
    .setAudience(audience)
    .setSubject(subject)
    .setJti(crypto.randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(secret());
}

export async function signProxyToken(
  interviewSessionId: string,
  tenantId: string,
  nowSeconds: number,
): Promise<{ token: string; expiresAt: string }> {
  const exp = nowSeconds + proxyTokenTtlSeconds;
  const token = await sign({ tenant_id: tenantId }, 'sdp-proxy', interviewSessionId, nowSeconds, exp);
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
  return await sign({ tenant_id: tenantId, session }, 'sdp-proxy/session-config', interviewSessionId, nowSeconds, nowSeconds + lifetime);
}
