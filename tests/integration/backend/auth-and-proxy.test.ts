// Who may call the functions (token checks against the Auth stand-in's JWKS and the legacy secret),
// the Auth stand-in's own wire behaviour through supabase-js, and dedicated proxies on Fly machines.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { ids, invoke, invokeWithToken, newClient, password, scheduleInterview, signedIn } from './backend-test-kit';

let stack: BackendStack;
let proctorA: SupabaseClient;
const proctorA_id = '00000000-0000-4000-8000-000000000201';

beforeAll(async () => {
  stack = await startBackendStack();
  proctorA = await signedIn(stack, 'proctor@demo.example');
});

afterAll(async () => {
  await stack?.stop();
});

const claimsFor = (sub: string, email: string) => ({ sub, email, role: 'authenticated', aud: 'authenticated' });

describe('caller tokens', () => {
  it('accepts a fresh ES256 token and a token signed with the legacy HS256 secret', async () => {
    const es = await stack.auth.signAccessToken({ id: proctorA_id, email: 'proctor@demo.example' });
    expect((await invokeWithToken(stack, 'kiosk-sessions', es, {})).status).toBe(200);
    const hs = await new SignJWT(claimsFor(proctorA_id, 'proctor@demo.example'))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(stack.auth.legacyJwtSecret));
    expect((await invokeWithToken(stack, 'kiosk-sessions', hs, {})).status).toBe(200);
  });

  it('refuses expired, forged, unsigned, wrongly addressed and unknown-key tokens with 401', async () => {
    const expired = await stack.auth.signAccessToken({ id: proctorA_id, email: 'proctor@demo.example' }, { expiresInSeconds: -60 });
    expect(await invokeWithToken(stack, 'kiosk-sessions', expired, {})).toMatchObject({ status: 401, body: { error: { code: 'token_expired' } } });

    const { privateKey } = await generateKeyPair('ES256');
    const kid = stack.jwks.keys[0]!.kid!;
    const sign = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', ...header }).setIssuedAt().setExpirationTime('5m').sign(privateKey);
    const forged = await sign({ kid }, claimsFor(proctorA_id, 'proctor@demo.example'));
    const unknownKid = await sign({ kid: randomUUID() }, claimsFor(proctorA_id, 'proctor@demo.example'));
    const wrongSecret = await new SignJWT(claimsFor(proctorA_id, 'proctor@demo.example'))
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('not-the-projects-secret-not-the-projects-secret'));
    const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claimsFor(proctorA_id, 'proctor@demo.example'), exp: Date.now() / 1000 + 300 })}.`;
    const wrongAudience = await stack.auth.signAccessToken({ id: proctorA_id, email: 'proctor@demo.example' }, { claims: { aud: 'sdp-proxy' } });
    const serviceRoleLike = await stack.auth.signAccessToken({ id: proctorA_id, email: 'proctor@demo.example' }, { claims: { role: 'service_role' } });

    for (const [label, token] of Object.entries({ forged, unknownKid, wrongSecret, unsigned, wrongAudience, serviceRoleLike, garbage: 'abc.def' })) {
      const answer = await invokeWithToken(stack, 'kiosk-sessions', token, {});
      expect(answer, label).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
    }
    const bare = await fetch(`${stack.supabaseUrl}/functions/v1/kiosk-sessions`, {
      method: 'POST',
      headers: { apikey: stack.publishableKey },
      body: '{}',
    });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ error: { code: 'missing_token' } });
  });

  it('refuses a caller who is signed out (supabase-js then sends the publishable key) and requests without an API key', async () => {
    expect(await invoke(newClient(stack), 'kiosk-sessions', {})).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
    const keyless = await fetch(`${stack.supabaseUrl}/functions/v1/kiosk-sessions`, { method: 'POST', body: '{}' });
    expect(keyless.status).toBe(401);
  });

  it("answers another tenant's token with 404 for this tenant's interview, leaving it untouched", async () => {
    const sessionId = await scheduleInterview(stack);
    const other = await signedIn(stack, 'proctor@other.example');
    for (const [name, body] of [
      ['interview-start', { interview_session_id: sessionId }],
      ['interview-end', { interview_session_id: sessionId, last_seq: -1, reason: 'completed' }],
      ['interview-events', { interview_session_id: sessionId, events: [{ id: randomUUID(), kind: 'telemetry', at: new Date().toISOString(), data: {} }] }],
    ] as const) {
      expect(await invoke(other, name, body), name).toMatchObject({ status: 404, body: { error: { code: 'session_not_found' } } });
    }
    const [row] = await stack.sql('select status, (select count(*)::int from public.session_events where interview_session_id = $1) as events from public.interview_sessions where id = $1', [sessionId]);
    expect(row).toEqual({ status: 'scheduled', events: 0 });
  });
});

describe('Auth stand-in through supabase-js', () => {
  it('signs in, refreshes with rotation, reads the user and signs out', async () => {
    const client = newClient(stack);
    expect((await client.auth.signInWithPassword({ email: 'kiosk-1@demo.example', password: 'wrong' })).error).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
    });
    const { data: signIn } = await client.auth.signInWithPassword({ email: 'Kiosk-1@demo.example', password });
    expect(signIn.user?.email).toBe('kiosk-1@demo.example');
    const firstRefresh = signIn.session!.refresh_token;
    const { data: refreshed, error } = await client.auth.refreshSession();
    expect(error).toBeNull();
    expect(refreshed.session!.refresh_token).not.toBe(firstRefresh);
    // A client that lost the answer may replay the rotated token briefly and gets the same successor.
    const replay = await newClient(stack).auth.refreshSession({ refresh_token: firstRefresh });
    expect(replay.data.session?.refresh_token).toBe(refreshed.session!.refresh_token);
    expect((await client.auth.getUser()).data.user?.id).toBe('00000000-0000-4000-8000-000000000202');
    expect((await invoke(client, 'kiosk-sessions', {})).status).toBe(200);

    const unknown = await newClient(stack).auth.refreshSession({ refresh_token: 'not-a-token' });
    expect(unknown.error).toMatchObject({ code: 'refresh_token_not_found' });
    await client.auth.signOut();
    const afterLogout = await newClient(stack).auth.refreshSession({ refresh_token: refreshed.session!.refresh_token });
    expect(afterLogout.error).not.toBeNull();
  });

  it('serves the JWKS without an API key and creates users for the service role only', async () => {
    const jwks = (await (await fetch(`${stack.supabaseUrl}/auth/v1/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const create = (key: string) =>
      fetch(`${stack.supabaseUrl}/auth/v1/admin/users`, {
        method: 'POST',
        headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${randomUUID()}@demo.example`, password, email_confirm: true }),
      });
    expect((await create(stack.publishableKey)).status).toBe(403);
    expect((await create(stack.serviceRoleKey)).status).toBe(200);
  });
});

describe('dedicated proxy machines on Fly', () => {
  const tenantC = randomUUID();
  const candidateC = randomUUID();
  const positionC = randomUUID();
  let proctorC: SupabaseClient;

  beforeAll(async () => {
    const email = `proctor-${tenantC.slice(0, 8)}@dedicated.example`;
    const created = await fetch(`${stack.supabaseUrl}/auth/v1/admin/users`, {
      method: 'POST',
      headers: { apikey: stack.serviceRoleKey, authorization: `Bearer ${stack.serviceRoleKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, email_confirm: true }),
    });
    const user = (await created.json()) as { id: string };
    await stack.sql(
      `insert into public.tenants (id, name, proxy_strategy, fly_app_name, fly_image, fly_region)
       values ($1, 'Dedicated Centre', 'dedicated', 'kiosk-proxy-c', 'registry.fly.io/kiosk-proxy:1', 'ams')`,
      [tenantC],
    );
    await stack.setProxyEncryptionKey(tenantC);
    await stack.sql(`insert into public.tenant_users (tenant_id, user_id, role) values ($1, $2, 'proctor')`, [tenantC, user.id]);
    await stack.sql(`insert into public.candidates (id, tenant_id, name, email) values ($1, $2, 'Carl', 'carl@candidates.example')`, [candidateC, tenantC]);
    await stack.sql(`insert into public.positions (id, tenant_id, title) values ($1, $2, 'Analyst')`, [positionC, tenantC]);
    proctorC = await signedIn(stack, email);
  });

  async function interviewC(): Promise<string> {
    const id = randomUUID();
    await stack.sql(
      `insert into public.interview_sessions (id, tenant_id, candidate_id, position_id, scheduled_at) values ($1, $2, $3, $4, now())`,
      [id, tenantC, candidateC, positionC],
    );
    return id;
  }

  it('creates one auto-destroying machine per interview, waits for it, reuses it on a retried start, and destroys it at the end', async () => {
    stack.fly.reset();
    const sessionId = await interviewC();
    const first = await invoke<{ proxy: { url: string } }>(proctorC, 'interview-start', { interview_session_id: sessionId });
    expect(first.status).toBe(200);
    const machines = [...stack.fly.machines.values()];
    expect(machines).toHaveLength(1);
    const machine = machines[0]!;
    expect(machine).toMatchObject({ app: 'kiosk-proxy-c', state: 'started', name: `interview-${sessionId}`, region: 'ams' });
    expect(machine.config).toMatchObject({ auto_destroy: true, image: 'registry.fly.io/kiosk-proxy:1', metadata: { interview_session_id: sessionId, tenant_id: tenantC } });
    expect(first.body.proxy.url).toBe(`wss://kiosk-proxy-c.fly.dev/v1/signal?instance=${machine.id}`);
    expect(stack.fly.calls.some((c) => c.path.endsWith(`/machines/${machine.id}/wait`) && c.query.state === 'started')).toBe(true);

    const again = await invoke<{ proxy: { url: string } }>(proctorC, 'interview-start', { interview_session_id: sessionId });
    expect(again.body.proxy.url).toBe(first.body.proxy.url);
    expect(stack.fly.calls.filter((c) => c.method === 'POST' && c.path === '/v1/apps/kiosk-proxy-c/machines')).toHaveLength(1);
    const [row] = await stack.sql('select proxy_machine_id from public.interview_sessions where id = $1', [sessionId]);
    expect(row).toEqual({ proxy_machine_id: machine.id });

    expect((await invoke(proctorC, 'interview-end', { interview_session_id: sessionId, last_seq: -1, reason: 'proctor' })).status).toBe(200);
    expect(stack.fly.calls.at(-1)).toMatchObject({ method: 'DELETE', path: `/v1/apps/kiosk-proxy-c/machines/${machine.id}`, query: { force: 'true' }, status: 200 });
    expect(machine.state).toBe('destroyed');
  });

  it('retries a capacity error with backoff and still makes exactly one machine', async () => {
    stack.fly.reset();
    stack.fly.failNext('capacity', 2);
    stack.fly.failNext('wait_timeout', 1);
    const sessionId = await interviewC();
    const answer = await invoke(proctorC, 'interview-start', { interview_session_id: sessionId });
    expect(answer.status).toBe(200);
    const creates = stack.fly.calls.filter((c) => c.method === 'POST');
    expect(creates.map((c) => c.status)).toEqual([412, 412, 200]);
    expect([...stack.fly.machines.values()].filter((m) => m.state !== 'destroyed')).toHaveLength(1);
  });

  it('gives up with 503 when Fly stays full, leaving the interview scheduled', async () => {
    stack.fly.reset();
    stack.fly.failNext('capacity', 20);
    const sessionId = await interviewC();
    expect(await invoke(proctorC, 'interview-start', { interview_session_id: sessionId })).toMatchObject({
      status: 503,
      body: { error: { code: 'proxy_unavailable' } },
    });
    const [row] = await stack.sql('select status, proxy_machine_id from public.interview_sessions where id = $1', [sessionId]);
    expect(row).toEqual({ status: 'scheduled', proxy_machine_id: null });
    stack.fly.reset();
  });

  it('never calls Fly for a tenant on a shared proxy', async () => {
    stack.fly.reset();
    const sessionId = await scheduleInterview(stack);
    expect((await invoke(proctorA, 'interview-start', { interview_session_id: sessionId })).status).toBe(200);
    expect(stack.fly.calls).toEqual([]);
    expect(ids.tenantA).toBeTruthy();
  });
});
