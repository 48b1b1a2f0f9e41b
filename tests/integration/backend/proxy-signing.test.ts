// interview-start's tokens as the tenants' proxies see them: signed with PROXY_SIGNING_KEY (real Deno),
// verified by real proxies holding only the public JWKS, one tenant each, across a key rollover; the
// session config encrypted to the tenant's proxy, unreadable by the kiosk that carries it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { decodeProtectedHeader } from 'jose';
import { decryptionKeys, generateProxyEncryptionKey, generateProxySigningKey, publicJwks, type ProxyEncryptionKey, type ProxySigningKey } from '../../support/proxy-keys';
import { connectSignal, startTestProxy, type TestProxy } from '../../support/proxy-process';
import { documentedOfferSdp } from '../proxy/doc-examples';
import { ids, invoke, scheduleInterview, signedIn } from './backend-test-kit';

const proxyUrl = 'ws://127.0.0.1:9/v1/signal';
let oldKey: ProxySigningKey;
let newKey: ProxySigningKey;
/** Each tenant's proxy encryption key, the same for both backends (the signing key rolls over, not these). */
let encryptionKeys: Record<string, ProxyEncryptionKey>;
/** The backend before and after its PROXY_SIGNING_KEY is switched to the new key. */
let before: BackendStack;
let after: BackendStack;
const proxies: TestProxy[] = [];

beforeAll(async () => {
  [oldKey, newKey] = await Promise.all([generateProxySigningKey('proxy-old'), generateProxySigningKey('proxy-new')]);
  encryptionKeys = { [ids.tenantA]: await generateProxyEncryptionKey('enc-a'), [ids.tenantB]: await generateProxyEncryptionKey('enc-b') };
  [before, after] = await Promise.all([
    // Mid-rollover: still signing with the old key, already publishing the new one beside it.
    startBackendStack({ proxyUrl, proxySigningKey: oldKey, proxyEncryptionKeys: encryptionKeys, functionsEnv: { PROXY_VERIFICATION_KEYS: publicJwks(newKey) } }),
    startBackendStack({ proxyUrl, proxySigningKey: newKey, proxyEncryptionKeys: encryptionKeys }),
  ]);
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()));
  await Promise.all([before?.stop(), after?.stop()]);
});

async function proxyFor(tenantId: string, jwks: string, decryption: ProxyEncryptionKey = encryptionKeys[tenantId]!): Promise<TestProxy> {
  const proxy = await startTestProxy({ encryptionKey: decryption, env: { TENANT_ID: tenantId, JWT_JWKS: jwks } });
  proxies.push(proxy);
  return proxy;
}

async function launch(stack: BackendStack, proctor: SupabaseClient, tenant: 'A' | 'B' = 'A') {
  const sessionId = await scheduleInterview(stack, { tenant });
  const answer = await invoke<{ proxy: { token: string }; session_config: string }>(proctor, 'interview-start', { interview_session_id: sessionId });
  expect(answer.status).toBe(200);
  return { sessionId, token: answer.body.proxy.token, config: answer.body.session_config };
}

/** The error code of an offer carrying this session config (the provider is unreachable, so never an answer). */
async function offerReply(proxy: TestProxy, token: string, config: string): Promise<Record<string, unknown>> {
  const client = await connectSignal(proxy.signalUrl, token);
  await client.next();
  client.send({ type: 'offer', id: 'o', sdp: documentedOfferSdp(), session: config });
  const reply = await client.next(10_000);
  client.close();
  return reply;
}

async function offerWith(proxy: TestProxy, token: string, config: string): Promise<unknown> {
  return (await offerReply(proxy, token, config)).code;
}

/** Every base64url segment of a compact token, decoded (what anyone holding the token can read). */
function readableParts(token: string): string {
  return token
    .split('.')
    .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
    .join('\n');
}

async function upgrade(proxy: TestProxy, token: string): Promise<'ready' | number | undefined> {
  try {
    const client = await connectSignal(proxy.signalUrl, token);
    const frame = await client.next();
    client.close();
    return frame.type === 'ready' ? 'ready' : undefined;
  } catch (error) {
    return (error as { status?: number }).status;
  }
}

describe('interview-start tokens at the proxies', () => {
  it("open the tenant's own proxy, and tenant B's token is refused by tenant A's proxy", async () => {
    const proxyA = await proxyFor(ids.tenantA, before.proxyJwks);
    const fromA = await launch(before, await signedIn(before, 'proctor@demo.example'));
    const fromB = await launch(before, await signedIn(before, 'proctor@other.example'), 'B');
    expect(await upgrade(proxyA, fromA.token)).toBe('ready');
    expect(await upgrade(proxyA, fromB.token)).toBe(401);
  });

  it('rollover: with both public keys in JWT_JWKS, tokens and configs from before and after the switch are accepted; once the old key is removed, the old tokens are refused', async () => {
    const issuedBefore = await launch(before, await signedIn(before, 'proctor@demo.example'));
    const issuedAfter = await launch(after, await signedIn(after, 'proctor@demo.example'));
    const rollover = await proxyFor(ids.tenantA, publicJwks(oldKey, newKey));
    const retired = await proxyFor(ids.tenantA, publicJwks(newKey));

    for (const issued of [issuedBefore, issuedAfter]) {
      expect(await upgrade(rollover, issued.token)).toBe('ready');
      // Past the config check, the offer fails at the unreachable provider.
      expect(await offerWith(rollover, issued.token, issued.config)).toBe('upstream_unavailable');
    }
    expect(await upgrade(retired, issuedAfter.token)).toBe('ready');
    expect(await offerWith(retired, issuedAfter.token, issuedAfter.config)).toBe('upstream_unavailable');
    expect(await upgrade(retired, issuedBefore.token)).toBe(401);
    expect(await offerWith(retired, issuedAfter.token, issuedBefore.config)).toBe('unauthorized');
  });
});

describe('a token from a finished interview', () => {
  it('attack: a proxy token captured from a finished interview is usable for at most its 120 s lifetime: no fresh pass is issued after the end', async () => {
    const proctor = await signedIn(before, 'proctor@demo.example');
    const captured = await launch(before, proctor);
    const claims = JSON.parse(Buffer.from(captured.token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    // The proxy closes the socket at exp and refuses the token after it (tests/integration/proxy/token-expiry.test.ts).
    expect(claims.exp - claims.iat).toBe(120);
    expect((await invoke(proctor, 'interview-end', { interview_session_id: captured.sessionId, last_seq: -1, reason: 'proctor' })).status).toBe(200);
    // What main asks for on every new socket, the kiosk's renewal included, is refused once it has ended.
    expect(await invoke(proctor, 'interview-start', { interview_session_id: captured.sessionId })).toMatchObject({ status: 409, body: { error: { code: 'not_startable' } } });
  });
});

describe('the session config the kiosk carries', () => {
  it('attack: a renderer holding the session config reads no brief, plan, instructions or candidate name out of it', async () => {
    const proctor = await signedIn(before, 'proctor@demo.example');
    const sessionId = await scheduleInterview(before);
    const answer = await invoke<{ session_config: string; candidate: { name: string }; proxy: { token: string } }>(proctor, 'interview-start', { interview_session_id: sessionId });
    expect(answer.status).toBe(200);
    const config = answer.body.session_config;
    expect(config.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(config)).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'enc-a', cty: 'JWT' });
    const visible = readableParts(config);
    // The seeded position's brief and plan, the interviewer's wording, the candidate shown in the room.
    for (const secret of ['backend engineering role', 'Designing an idempotent upload API', 'interviewer', 'Ada Lovelace', 'instructions', 'session-config']) {
      expect(visible).not.toContain(secret);
    }
    // What the kiosk shows comes in the plain part of the answer, not from the config.
    expect(answer.body.candidate.name).toBe('Ada Lovelace');
    // And the tenant's own proxy takes it: the offer gets past the config to the (unreachable) provider.
    const proxyA = await proxyFor(ids.tenantA, before.proxyJwks);
    expect(await offerWith(proxyA, answer.body.proxy.token, config)).toBe('upstream_unavailable');
  });

  it("attack: a session config changed by one byte, or sealed for another tenant's proxy, is refused; another tenant's proxy cannot open it", async () => {
    const own = await launch(before, await signedIn(before, 'proctor@demo.example'));
    const proxyA = await proxyFor(ids.tenantA, before.proxyJwks);
    // Flip one character in each of the five JWE parts (header, wrapped key, iv, ciphertext, tag).
    for (let part = 0; part < 5; part += 1) {
      const parts = own.config.split('.');
      const middle = Math.floor(parts[part]!.length / 2);
      parts[part] = parts[part]!.slice(0, middle) + (parts[part]![middle] === 'A' ? 'B' : 'A') + parts[part]!.slice(middle + 1);
      const reply = await offerReply(proxyA, own.token, parts.join('.'));
      expect(reply.code, `part ${part}`).toBe('unauthorized');
    }
    // Tenant B's config (sealed for B's proxy) on A's proxy: refused, even with a kid A's proxy holds.
    const fromB = await launch(before, await signedIn(before, 'proctor@other.example'), 'B');
    expect(await offerReply(proxyA, own.token, fromB.config)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('does not hold') });
    const sameKid = await proxyFor(ids.tenantA, before.proxyJwks, { ...encryptionKeys[ids.tenantA]!, kid: 'enc-b', privateJwk: { ...encryptionKeys[ids.tenantA]!.privateJwk, kid: 'enc-b' } });
    expect(await offerReply(sameKid, own.token, fromB.config)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('cannot be decrypted') });
    // Tenant B's proxy, holding B's key, cannot open A's config (and refuses A's token anyway).
    const proxyB = await proxyFor(ids.tenantB, before.proxyJwks);
    expect(await offerReply(proxyB, fromB.token, own.config)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('does not hold') });
    expect(proxyB.logs().join('\n')).toContain('session_config_unknown_key');
  });

  it('attack: the signed config without its encryption (as issued before, readable by the kiosk) is refused', async () => {
    const proxyA = await proxyFor(ids.tenantA, before.proxyJwks);
    const own = await launch(before, await signedIn(before, 'proctor@demo.example'));
    const plain = await proxyA.signSessionConfig(own.sessionId, { instructions: 'x' }, { signingKey: oldKey, unencrypted: true });
    expect(await offerReply(proxyA, own.token, plain)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('not encrypted') });
  });

  it('answers 503 proxy_unavailable for a tenant without a proxy encryption key, leaving the interview scheduled; the database refuses a private key there', async () => {
    const sessionId = await scheduleInterview(before);
    await before.sql('update public.tenants set proxy_encryption_key = null where id = $1', [ids.tenantA]);
    try {
      const answer = await invoke(await signedIn(before, 'proctor@demo.example'), 'interview-start', { interview_session_id: sessionId });
      expect(answer).toMatchObject({ status: 503, body: { error: { code: 'proxy_unavailable' } } });
      const [row] = await before.sql('select status from public.interview_sessions where id = $1', [sessionId]);
      expect(row).toEqual({ status: 'scheduled' });
      await expect(
        before.sql('update public.tenants set proxy_encryption_key = $2 where id = $1', [ids.tenantA, JSON.stringify(encryptionKeys[ids.tenantA]!.privateJwk)]),
      ).rejects.toThrow(/tenants_proxy_encryption_key_public_p256/);
    } finally {
      await before.setProxyEncryptionKey(ids.tenantA, encryptionKeys[ids.tenantA]);
    }
  });

  it('PROXY_DECRYPTION_KEY holds the private key: the public half, or no key, stops the proxy at start-up', async () => {
    await expect(startTestProxy({ env: { PROXY_DECRYPTION_KEY: JSON.stringify(encryptionKeys[ids.tenantA]!.publicJwk) } })).rejects.toThrow(
      'PROXY_DECRYPTION_KEY is invalid: is a public key',
    );
    await expect(startTestProxy({ env: { PROXY_DECRYPTION_KEY: '' } })).rejects.toThrow('PROXY_DECRYPTION_KEY is required');
    // Rotation: the proxy holds the old and the new key while the tenant's public key is switched; a
    // config sealed for either opens.
    const next = await generateProxyEncryptionKey('enc-a-next');
    const both = await startTestProxy({ env: { TENANT_ID: ids.tenantA, JWT_JWKS: before.proxyJwks, PROXY_DECRYPTION_KEY: decryptionKeys(encryptionKeys[ids.tenantA]!, next) } });
    proxies.push(both);
    const proctor = await signedIn(before, 'proctor@demo.example');
    const sealedForOld = await launch(before, proctor);
    await before.setProxyEncryptionKey(ids.tenantA, next);
    try {
      const sealedForNew = await launch(before, proctor);
      expect(decodeProtectedHeader(sealedForNew.config).kid).toBe('enc-a-next');
      for (const issued of [sealedForOld, sealedForNew]) expect(await offerWith(both, issued.token, issued.config)).toBe('upstream_unavailable');
    } finally {
      await before.setProxyEncryptionKey(ids.tenantA, encryptionKeys[ids.tenantA]);
    }
  });
});

describe('the backend serves the JWKS (proxy-jwks)', () => {
  afterEach(() => vi.useRealTimers());

  it('serves the public signing keys, both during a rollover, to anyone, with cache headers; GET only', async () => {
    const response = await fetch(before.proxyJwksUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jwk-set+json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const body = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys.map((key) => key.kid)).toEqual(['proxy-old', 'proxy-new']);
    expect(body.keys[0]).toEqual({ ...oldKey.publicJwk });
    expect(JSON.stringify(body)).not.toContain(oldKey.privateJwk.d!);
    expect(((await (await fetch(after.proxyJwksUrl)).json()) as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid)).toEqual(['proxy-new']);
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await fetch(before.proxyJwksUrl, { method })).status, method).toBe(405);
  });

  it('refuses to publish a private key given as PROXY_VERIFICATION_KEYS', async () => {
    const misconfigured = await startBackendStack({ proxyUrl, seed: false, functionsEnv: { PROXY_VERIFICATION_KEYS: JSON.stringify(newKey.privateJwk) } });
    try {
      const response = await fetch(misconfigured.proxyJwksUrl);
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain(newKey.privateJwk.d!);
    } finally {
      await misconfigured.stop();
    }
  });

  it('a proxy with JWT_JWKS=<the URL> accepts the backend\'s tokens and configs, old and new key alike during the rollover', async () => {
    const proxy = await proxyFor(ids.tenantA, before.proxyJwksUrl);
    for (const stack of [before, after]) {
      const issued = await launch(stack, await signedIn(stack, 'proctor@demo.example'));
      expect(await upgrade(proxy, issued.token)).toBe('ready');
      expect(await offerWith(proxy, issued.token, issued.config)).toBe('upstream_unavailable');
    }
  });

  it('a key removed from the served JWKS is refused once the proxy\'s cache time (JWT_JWKS_CACHE_S) has passed, and not before', async () => {
    // The backend's PROXY_VERIFICATION_KEYS / PROXY_SIGNING_KEY change is a redeploy: this stand-in URL
    // serves the rollover backend's JWKS, then the one that knows only the new key.
    let upstream = before.proxyJwksUrl;
    const switcher: Server = createServer((_request, response) => {
      void fetch(upstream).then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      });
    });
    await new Promise<void>((done) => switcher.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(switcher.address() as AddressInfo).port}/jwks`;
      const proxy = await startTestProxy({ encryptionKey: encryptionKeys[ids.tenantA], env: { TENANT_ID: ids.tenantA, JWT_JWKS: url, JWT_JWKS_CACHE_S: '60' } });
      proxies.push(proxy);
      const oldToken = (await launch(before, await signedIn(before, 'proctor@demo.example'))).token;
      const newToken = (await launch(after, await signedIn(after, 'proctor@demo.example'))).token;
      // The proxy's clock only (jose's cache age is measured with Date): no waiting for the cache.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      expect(await upgrade(proxy, oldToken)).toBe('ready');
      upstream = after.proxyJwksUrl;
      vi.setSystemTime(Date.now() + 59_000);
      expect(await upgrade(proxy, oldToken), 'within the cache time the removed key still verifies').toBe('ready');
      vi.setSystemTime(Date.now() + 2_000);
      expect(await upgrade(proxy, oldToken), 'after the cache time').toBe(401);
      expect(await upgrade(proxy, newToken)).toBe('ready');
      expect(proxy.logs().join('\n')).toContain('unknown_key');
    } finally {
      switcher.close();
    }
  });
});

describe('PROXY_SIGNING_KEY', () => {
  it('answers 500 server_misconfigured when it is a public key (the proxy JWKS put on the backend by mistake), leaving the interview scheduled', async () => {
    const misconfigured = await startBackendStack({ proxyUrl, functionsEnv: { PROXY_SIGNING_KEY: JSON.stringify(oldKey.publicJwk) } });
    try {
      const sessionId = await scheduleInterview(misconfigured);
      const answer = await invoke(await signedIn(misconfigured, 'proctor@demo.example'), 'interview-start', { interview_session_id: sessionId });
      expect(answer).toMatchObject({ status: 500, body: { error: { code: 'server_misconfigured' } } });
      expect(JSON.stringify(answer.body)).not.toContain(oldKey.publicJwk.x!);
      const [row] = await misconfigured.sql('select status from public.interview_sessions where id = $1', [sessionId]);
      expect(row).toEqual({ status: 'scheduled' });
    } finally {
      await misconfigured.stop();
    }
  });
});
