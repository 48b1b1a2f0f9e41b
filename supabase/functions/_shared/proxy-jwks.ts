// proxy-jwks: the public keys the tenants' proxies verify proxy tokens and session configs with, so a
// proxy can be given JWT_JWKS=<this URL> instead of a copy of the document. It serves the public half of
// PROXY_SIGNING_KEY, plus PROXY_VERIFICATION_KEYS (public keys only: the next key before a rollover's
// switch, the previous one after it), and nothing else. Public by design: a JWKS verifies, it cannot sign.
import { z } from 'npm:zod@4.6.7';
import { ApiError, errorResponse } from './api-error.ts';

/** How long proxies and caches in between may keep the document; the proxy caches it 10 min itself. */
export const jwksMaxAgeSeconds = 300;

const coordinate = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const p256 = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: coordinate, y: coordinate, kid: z.string().min(1).max(128) });
const signingKey = p256.extend({ d: coordinate });
// A private key in the extra list is a mistake to refuse, not to publish.
const publicKey = p256.loose().refine((key) => !('d' in key), 'a private key');
const extraKeys = z.union([z.object({ keys: z.array(publicKey).max(9) }), publicKey]);

export interface PublishedKey {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

function parseJson(source: string | undefined): unknown {
  if (!source?.trim()) return undefined;
  try {
    return JSON.parse(source);
  } catch {
    return null;
  }
}

/** The JWKS to serve: the current signing key first, then the extra public keys, one entry per kid. */
export function publishedJwks(env: { signingKey?: string; verificationKeys?: string }): { keys: PublishedKey[] } {
  const current = signingKey.safeParse(parseJson(env.signingKey));
  if (!current.success) throw new ApiError(500, 'server_misconfigured', 'The backend proxy signing key is not a P-256 private JWK with a kid.');
  const extraSource = parseJson(env.verificationKeys);
  const extra = extraKeys.safeParse(extraSource === undefined ? { keys: [] } : extraSource);
  if (!extra.success) throw new ApiError(500, 'server_misconfigured', 'PROXY_VERIFICATION_KEYS is not a JWKS of P-256 public keys with kids.');
  const listed: Array<z.infer<typeof p256>> = Array.isArray((extra.data as { keys?: unknown }).keys)
    ? (extra.data as { keys: Array<z.infer<typeof p256>> }).keys
    : [extra.data as z.infer<typeof p256>];
  const keys = new Map<string, PublishedKey>();
  for (const { kty, crv, x, y, kid } of [current.data, ...listed]) {
    if (!keys.has(kid)) keys.set(kid, { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' });
  }
  return { keys: [...keys.values()] };
}

export function serveProxyJwks(request: Request): Response {
  const started = performance.now();
  let response: Response;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response = errorResponse(new ApiError(405, 'method_not_allowed', 'Use GET.'));
    response.headers.set('allow', 'GET, HEAD');
  } else {
    try {
      const body = JSON.stringify(publishedJwks({ signingKey: Deno.env.get('PROXY_SIGNING_KEY'), verificationKeys: Deno.env.get('PROXY_VERIFICATION_KEYS') }));
      response = new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: {
          'content-type': 'application/jwk-set+json',
          'cache-control': `public, max-age=${jwksMaxAgeSeconds}`,
          'access-control-allow-origin': '*',
        },
      });
    } catch (error) {
      response = errorResponse(error instanceof ApiError ? error : new ApiError(500, 'internal_error', 'Something went wrong on our side.'));
    }
  }
  console.log(JSON.stringify({ fn: 'proxy-jwks', status: response.status, ms: Math.round(performance.now() - started) }));
  return response;
}
