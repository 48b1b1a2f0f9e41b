// Every kind of bad token is refused at the WebSocket upgrade with 401 and no socket; origins and
// subprotocols are checked before any frame flows.
import { generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSignal, signTestToken, startTestProxy, testTenantId, type TestProxy } from '../../support/proxy-process';
import { generateProxySigningKey, type ProxySigningKey } from '../../support/proxy-keys';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let proxy: TestProxy;
let ed25519: KeyPair;
let stranger: ProxySigningKey;

function claimsToken(alg: string, kid: string | undefined) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tenant_id: testTenantId })
    .setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }), typ: 'JWT' })
    .setIssuer('interview-kiosk')
    .setAudience(`sdp-proxy:${testTenantId}`)
    .setSubject(randomUUID())
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(token: string | null, options: { origin?: string; protocols?: string[] } = {}): Promise<{ status?: number; body?: string }> {
  try {
    const client = await connectSignal(proxy.signalUrl, token, options);
    client.close();
    return {};
  } catch (error) {
    return error as { status?: number; body?: string };
  }
}

beforeAll(async () => {
  ed25519 = await generateKeyPair('EdDSA', { extractable: true });
  stranger = await generateProxySigningKey();
  proxy = await startTestProxy({ env: { ALLOWED_ORIGINS: 'https://kiosk.example, app://kiosk' } });
});

afterAll(async () => {
  await proxy?.stop();
});

describe('tokens at the upgrade', () => {
  it('opens the socket for a valid ES256 token and says ready with the session and expiry', async () => {
    const sessionId = randomUUID();
    const client = await connectSignal(proxy.signalUrl, await proxy.signProxyToken({ sessionId, expiresInS: 100 }));
    expect(client.ws.protocol).toBe('kiosk-signal.v1');
    const ready = await client.next();
    expect(ready).toMatchObject({ type: 'ready', sessionId });
    expect(Math.abs(Date.parse(ready.expiresAt as string) - (Date.now() + 100_000))).toBeLessThan(2_000);
    client.close();
  });

  const noneClaims = { iss: 'interview-kiosk', aud: `sdp-proxy:${testTenantId}`, sub: 's', tenant_id: testTenantId, jti: 'j', iat: 1, exp: 9e9 };
  const badTokens: Array<[string, () => Promise<string | null>, string]> = [
    ['missing', async () => null, 'required'],
    ['not a JWT at all', async () => 'not-a-token', 'not a signed JWT'],
    ['garbage in JWT form', async () => 'aaaa.bbbb.cccc', 'header'],
    ['expired', () => proxy.signProxyToken({ expiresInS: -60 }), 'expired'],
    ['under the trusted kid but signed by another key', () => proxy.signProxyToken({ signingKey: stranger, kid: proxy.signingKey.kid }), 'signature'],
    ['for another audience', () => proxy.signProxyToken({ audience: `sdp-proxy/session-config:${testTenantId}` }), 'not meant for this service'],
    ['for the tenant-less audience of earlier versions', () => proxy.signProxyToken({ audience: 'sdp-proxy' }), 'not meant for this service'],
    ['from another issuer', () => proxy.signProxyToken({ issuer: 'someone-else' }), 'not issued'],
    ['for another tenant', () => proxy.signProxyToken({ tenantId: '00000000-0000-4000-8000-000000000002' }), 'another tenant'],
    ['naming another tenant under this tenant\'s audience', () => proxy.signProxyToken({ audience: `sdp-proxy:${testTenantId}`, extra: { tenant_id: '00000000-0000-4000-8000-000000000002' } }), 'another tenant'],
    ['living longer than 2 minutes', () => proxy.signProxyToken({ expiresInS: 121, lifetimeS: 121 }), 'longer than allowed'],
    ['issued a day in the future', () => proxy.signProxyToken({ expiresInS: 86_400 + 100, lifetimeS: 100 }), 'issued in the future'],
    ['with alg none and no signature', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(noneClaims)}.`, 'not a signed JWT'],
    ['with alg none and a fake signature', async () => `${b64({ alg: 'none', kid: proxy.signingKey.kid, typ: 'JWT' })}.${b64(noneClaims)}.AAAA`, 'not accepted'],
    ['signed EdDSA (only ES256 is accepted)', async () => claimsToken('EdDSA', proxy.signingKey.kid).sign(ed25519.privateKey), 'not accepted'],
    ['without a kid', async () => claimsToken('ES256', undefined).sign(proxy.signingKey.privateKey), 'no signing key'],
    ['without a jti', async () => new SignJWT({ tenant_id: testTenantId }).setProtectedHeader({ alg: 'ES256', kid: proxy.signingKey.kid }).setIssuer('interview-kiosk').setAudience(`sdp-proxy:${testTenantId}`).setSubject('s').setIssuedAt().setExpirationTime('5m').sign(proxy.signingKey.privateKey), 'jti'],
  ];

  it.each(badTokens)('refuses a token %s with 401 and a reason', async (_kind, makeToken, reason) => {
    const result = await refusal(await makeToken());
    expect(result.status).toBe(401);
    const body = JSON.parse(result.body!) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).toContain(reason);
  });

  it('counts refusals by reason and never opened a socket for them', async () => {
    const metrics = await (await fetch(`${proxy.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/sdp_proxy_auth_failures_total\{reason="expired"\} [1-9]/);
    expect(metrics).toMatch(/sdp_proxy_auth_failures_total\{reason="bad_signature"\} [1-9]/);
    expect(metrics).toMatch(/sdp_proxy_auth_failures_total\{reason="bad_algorithm"\} [1-9]/);
    expect(metrics).toMatch(/sdp_proxy_auth_failures_total\{reason="wrong_tenant"\} [1-9]/);
    expect(metrics).toMatch(/sdp_proxy_auth_failures_total\{reason="unknown_key"\} [1-9]/);
    expect(proxy.proxy!.connectionCount()).toBe(0);
  });
});

describe('origin, path and subprotocol', () => {
  it('refuses an origin outside ALLOWED_ORIGINS with 403 even with a valid token', async () => {
    const result = await refusal(await proxy.signProxyToken(), { origin: 'https://evil.example' });
    expect(result.status).toBe(403);
  });

  it('lets a listed origin in', async () => {
    const client = await connectSignal(proxy.signalUrl, await proxy.signProxyToken(), { origin: 'app://kiosk' });
    expect((await client.next()).type).toBe('ready');
    client.close();
  });

  it('refuses a client that does not speak kiosk-signal.v1', async () => {
    const token = await proxy.signProxyToken();
    expect((await refusal(null, { protocols: [`bearer.${token}`] })).status).toBe(400);
  });

  it('refuses two bearer tokens as a missing one', async () => {
    const [first, second] = [await proxy.signProxyToken(), await proxy.signProxyToken()];
    expect((await refusal(null, { protocols: ['kiosk-signal.v1', `bearer.${first}`, `bearer.${second}`] })).status).toBe(401);
  });

  it('answers 404 for other paths and serves health', async () => {
    const token = await proxy.signProxyToken();
    const other = await connectSignal(proxy.signalUrl.replace('/v1/signal', '/v2/signal'), token).catch((error: { status: number }) => error);
    expect((other as { status: number }).status).toBe(404);
    const health = await fetch(`${proxy.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('attack: the public port serves no metrics and no details; the internal port does', async () => {
    expect((await fetch(`${proxy.url}/metrics`)).status).toBe(404);
    expect(proxy.opsUrl).not.toBe(proxy.url);
    const metrics = await fetch(`${proxy.opsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('sdp_proxy_connections');
    expect(await (await fetch(`${proxy.opsUrl}/healthz`)).json()).toMatchObject({ status: 'ok', api: 'realtime', connections: expect.any(Number) });
    // The internal port is no way into the signalling socket.
    expect((await fetch(`${proxy.opsUrl}/v1/signal`)).status).toBe(404);
  });

  it('keeps the tokens it saw out of its logs', async () => {
    const token = await signTestToken(proxy.signingKey, {}, 'proxy', testTenantId);
    const client = await connectSignal(proxy.signalUrl, token);
    await client.next();
    client.close();
    await client.closed;
    const logs = proxy.logs().join('\n');
    expect(logs).toContain('connection_opened');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.split('.')[2]!);
  });
});
