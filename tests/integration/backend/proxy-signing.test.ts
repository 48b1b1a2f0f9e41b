// interview-start's tokens as the tenants' proxies see them: signed with PROXY_SIGNING_KEY (real Deno),
// verified by real proxies holding only the public JWKS, one tenant each, across a key rollover.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { generateProxySigningKey, publicJwks, type ProxySigningKey } from '../../support/proxy-keys';
import { connectSignal, startTestProxy, type TestProxy } from '../../support/proxy-process';
import { documentedOfferSdp } from '../proxy/doc-examples';
import { ids, invoke, scheduleInterview, signedIn } from './backend-test-kit';

const proxyUrl = 'ws://127.0.0.1:9/v1/signal';
let oldKey: ProxySigningKey;
let newKey: ProxySigningKey;
/** The backend before and after its PROXY_SIGNING_KEY is switched to the new key. */
let before: BackendStack;
let after: BackendStack;
const proxies: TestProxy[] = [];

beforeAll(async () => {
  [oldKey, newKey] = await Promise.all([generateProxySigningKey('proxy-old'), generateProxySigningKey('proxy-new')]);
  [before, after] = await Promise.all([
    startBackendStack({ proxyUrl, proxySigningKey: oldKey }),
    startBackendStack({ proxyUrl, proxySigningKey: newKey }),
  ]);
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()));
  await Promise.all([before?.stop(), after?.stop()]);
});

async function proxyFor(tenantId: string, jwks: string): Promise<TestProxy> {
  const proxy = await startTestProxy({ env: { TENANT_ID: tenantId, JWT_JWKS: jwks } });
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
async function offerWith(proxy: TestProxy, token: string, config: string): Promise<unknown> {
  const client = await connectSignal(proxy.signalUrl, token);
  await client.next();
  client.send({ type: 'offer', id: 'o', sdp: documentedOfferSdp(), session: config });
  const reply = await client.next(10_000);
  client.close();
  return reply.code;
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
