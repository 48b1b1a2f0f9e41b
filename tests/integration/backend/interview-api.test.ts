// The kiosk's edge-function API over HTTP through supabase-js, against real Postgres and real Deno:
// every function's documented example, its error statuses, replays, out-of-order batches and gaps.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { generateProxySigningKey, publicJwks } from '../../support/proxy-keys';
import { docExample, entry, ids, invoke, invokeWithToken, openSessionConfig, scheduleInterview, shapeOf, signedIn } from './backend-test-kit';

let stack: BackendStack;
let proctorA: SupabaseClient;
let proctorB: SupabaseClient;
let kioskA: SupabaseClient;
let candidateA: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' });
  [proctorA, proctorB, kioskA, candidateA] = await Promise.all([
    signedIn(stack, 'proctor@demo.example'),
    signedIn(stack, 'proctor@other.example'),
    signedIn(stack, 'kiosk-1@demo.example'),
    signedIn(stack, 'ada@candidates.example'),
  ]);
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * The documented events carry the example's own date; the backend accepts events only inside the
 * interview, so the walk keeps their order and moves them to the seconds just before this run sends them.
 */
function onTheRunsClock<T>(body: T): T {
  const events = (body as { events?: Array<{ at: string }> }).events;
  if (!events) return body;
  const order = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const now = Date.now();
  return { ...body, events: events.map((e) => ({ ...e, at: new Date(now - (order.length - order.indexOf(e)) * 1000).toISOString() })) };
}

async function start(client: SupabaseClient, sessionId: string) {
  return invoke(client, 'interview-start', { interview_session_id: sessionId });
}

describe('the documented walk through one interview', () => {
  it('answers every documented request with the documented shape, in order', async () => {
    const sessionId = docExample<{ interview_session_id: string }>('interview-start/request').interview_session_id;
    for (const name of ['interview-start', 'interview-transcript', 'interview-events', 'interview-end', 'interview-recording']) {
      const answer = await invoke(name === 'interview-start' ? proctorA : kioskA, name, onTheRunsClock(docExample(`${name}/request`)));
      expect(answer.status, `${name}: ${JSON.stringify(answer.body)}`).toBe(200);
      expect(shapeOf(answer.body), name).toEqual(shapeOf(docExample(`${name}/response`)));
    }
    const expected = docExample<Record<string, unknown>>('interview-transcript/response');
    const [row] = await stack.sql(
      `select status, end_reason, last_seq, webrtc_session_id, jsonb_array_length(sdp_offers) as offers,
              (select count(*)::int from public.transcript_entries where interview_session_id = $1) as entries,
              (select count(*)::int from public.recordings where interview_session_id = $1) as recordings
       from public.interview_sessions where id = $1`,
      [sessionId],
    );
    expect(row).toEqual({
      status: 'completed',
      end_reason: 'completed',
      last_seq: 1,
      webrtc_session_id: 'rtc_123',
      offers: 1,
      entries: expected.inserted,
      recordings: 1,
    });
  });

  it('documents the error shape every function uses', async () => {
    const answer = await start(proctorA, randomUUID());
    expect(answer).toEqual({ status: 404, body: docExample('error/response') });
  });
});

describe('kiosk-sessions', () => {
  it("lists the caller's tenant's interviews for today and those in progress, earliest first", async () => {
    const running = await scheduleInterview(stack, { status: 'in_progress' });
    await stack.sql(`update public.interview_sessions set scheduled_at = now() - interval '3 days' where id = $1`, [running]);
    const answer = await invoke<{ sessions: Array<{ id: string; scheduled_at: string }> }>(proctorA, 'kiosk-sessions', docExample('kiosk-sessions/request'));
    expect(answer.status).toBe(200);
    expect(shapeOf(answer.body)).toEqual(shapeOf(docExample('kiosk-sessions/response')));
    const listed = answer.body.sessions.map((s) => s.id);
    expect(listed).toContain('00000000-0000-4000-8000-000000000502');
    expect(listed).toContain(running);
    expect(listed).not.toContain('00000000-0000-4000-8000-000000000504'); // yesterday's, finished
    expect(listed).not.toContain(ids.sessionB);
    const times = answer.body.sessions.map((s) => Date.parse(s.scheduled_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("shows another centre's proctor only their own centre", async () => {
    const answer = await invoke<{ sessions: Array<{ id: string }> }>(proctorB, 'kiosk-sessions', {});
    expect(answer.body.sessions.map((s) => s.id)).toEqual([ids.sessionB]);
  });

  it('refuses a candidate, unknown fields, bad JSON and other methods', async () => {
    expect(await invoke(candidateA, 'kiosk-sessions', {})).toMatchObject({ status: 403, body: { error: { code: 'not_a_tenant_member' } } });
    expect(await invoke(proctorA, 'kiosk-sessions', { tenant_id: ids.tenantB })).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_failed' } },
    });
    const token = (await proctorA.auth.getSession()).data.session!.access_token;
    expect(await invokeWithToken(stack, 'kiosk-sessions', token, '{not json')).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    const get = await fetch(`${stack.supabaseUrl}/functions/v1/kiosk-sessions`, {
      headers: { apikey: stack.publishableKey, authorization: `Bearer ${token}` },
    });
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});

describe('interview-start', () => {
  it('marks the session in progress and signs proxy and session-config tokens the kiosk cannot alter', async () => {
    const sessionId = await scheduleInterview(stack);
    const answer = await start(proctorA, sessionId);
    expect(answer.status).toBe(200);
    const body = answer.body as {
      proxy: { url: string; token: string; expires_at: string };
      session_config: string;
      policies: { max_duration_minutes: number; recording: boolean };
      next_seq: number;
    };
    expect(body.proxy.url).toBe('ws://127.0.0.1:8787/v1/signal');
    expect(body.next_seq).toBe(0);
    expect(body.policies).toMatchObject({ max_duration_minutes: 20, recording: true });
    // The proxy's view: ES256 under the backend key's kid, verified with the public JWKS only.
    const jwks = createLocalJWKSet(JSON.parse(stack.proxyJwks) as JSONWebKeySet);
    const verifyOptions = { algorithms: ['ES256'], issuer: 'interview-kiosk' };
    const { payload: proxyClaims, protectedHeader } = await jwtVerify(body.proxy.token, jwks, { ...verifyOptions, audience: `sdp-proxy:${ids.tenantA}` });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: stack.proxySigningKey.kid, typ: 'JWT' });
    expect(proxyClaims).toMatchObject({ sub: sessionId, tenant_id: ids.tenantA });
    expect(proxyClaims.exp! - proxyClaims.iat!).toBeLessThanOrEqual(900);
    expect(typeof proxyClaims.jti).toBe('string');
    expect(Date.parse(body.proxy.expires_at)).toBe(proxyClaims.exp! * 1000);
    // The session config is encrypted to tenant A's proxy key; inside is the signed config.
    expect(decodeProtectedHeader(body.session_config)).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT', kid: stack.proxyEncryptionKeys[ids.tenantA]!.kid });
    const signedConfig = await openSessionConfig(stack, ids.tenantA, body.session_config);
    const { payload: config } = await jwtVerify(signedConfig, jwks, { ...verifyOptions, audience: `sdp-proxy/session-config:${ids.tenantA}` });
    expect(config).toMatchObject({ sub: sessionId, tenant_id: ids.tenantA });
    const session = config.session as { instructions: string; voice: string; max_duration_s: number };
    expect(session.instructions).toContain('backend engineering role');
    expect(session.instructions).toContain('Ada Lovelace');
    expect(session.instructions).toContain('Designing an idempotent upload API');
    expect(session).toMatchObject({ voice: 'alloy', max_duration_s: 1200 });
    // Signed by the stack's key and no other: a JWKS of another key does not verify it.
    const stranger = createLocalJWKSet(JSON.parse(publicJwks(await generateProxySigningKey(stack.proxySigningKey.kid))) as JSONWebKeySet);
    await expect(jwtVerify(signedConfig, stranger, verifyOptions)).rejects.toThrow();

    const [row] = await stack.sql('select status, webrtc_status, webrtc_server_url, started_at from public.interview_sessions where id = $1', [sessionId]);
    expect(row).toMatchObject({ status: 'in_progress', webrtc_status: 'connecting', webrtc_server_url: body.proxy.url });
  });

  it('starts again idempotently with fresh tokens and the next seq', async () => {
    const sessionId = await scheduleInterview(stack);
    const first = await start(proctorA, sessionId);
    await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [entry(0), entry(1), entry(2)] });
    const again = await start(kioskA, sessionId); // the kiosk itself may resume a running interview
    expect(again.status).toBe(200);
    expect(again.body.next_seq).toBe(3);
    const jti = (answer: typeof first) => decodeJwt((answer.body.proxy as { token: string }).token).jti;
    expect(jti(again)).not.toBe(jti(first));
    expect((again.body.session as { started_at: string }).started_at).toBe((first.body.session as { started_at: string }).started_at);
  });

  it('refuses finished interviews, strangers, candidates, and a kiosk beginning one', async () => {
    for (const status of ['completed', 'cancelled', 'failed']) {
      const finished = await scheduleInterview(stack, { status });
      expect(await start(proctorA, finished)).toMatchObject({ status: 409, body: { error: { code: 'not_startable' } } });
    }
    const sessionId = await scheduleInterview(stack);
    expect(await start(proctorB, sessionId)).toMatchObject({ status: 404, body: { error: { code: 'session_not_found' } } });
    expect(await start(candidateA, sessionId)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await start(kioskA, sessionId)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await invoke(proctorA, 'interview-start', { interview_session_id: 'not-a-uuid' })).toMatchObject({ status: 422 });
    const [row] = await stack.sql('select status from public.interview_sessions where id = $1', [sessionId]);
    expect(row).toEqual({ status: 'scheduled' });
  });
});

describe('interview-transcript', () => {
  it('stores a replayed batch once', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const batch = { interview_session_id: sessionId, entries: [entry(0), entry(1), entry(2)] };
    expect(await invoke(kioskA, 'interview-transcript', batch)).toEqual({ status: 200, body: { inserted: 3, duplicates: 0, corrected: 0 } });
    expect(await invoke(kioskA, 'interview-transcript', batch)).toEqual({ status: 200, body: { inserted: 0, duplicates: 3, corrected: 0 } });
    const overlapping = { interview_session_id: sessionId, entries: [batch.entries[2], entry(3)] };
    expect(await invoke(kioskA, 'interview-transcript', overlapping)).toEqual({ status: 200, body: { inserted: 1, duplicates: 1, corrected: 0 } });
    const [count] = await stack.sql('select count(*)::int as n from public.transcript_entries where interview_session_id = $1', [sessionId]);
    expect(count).toEqual({ n: 4 });
  });

  it('says in Server-Timing where its time went: the caller check, the body, the transaction', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const token = (await kioskA.auth.getSession()).data.session!.access_token;
    const post = (authorization: string) =>
      fetch(`${stack.supabaseUrl}/functions/v1/interview-transcript`, {
        method: 'POST',
        headers: { apikey: stack.publishableKey, authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ interview_session_id: sessionId, entries: [entry(0)] }),
      });
    const phasesOf = (response: Response) =>
      Object.fromEntries(
        (response.headers.get('server-timing') ?? '').split(', ').map((phase) => {
          const [name, duration] = phase.split(';dur=');
          return [name, Number(duration)];
        }),
      );
    const stored = await post(`Bearer ${token}`);
    expect(stored.status).toBe(200);
    const phases = phasesOf(stored);
    expect(Object.keys(phases)).toEqual(['auth', 'body', 'db', 'total']);
    expect(phases.db).toBeGreaterThan(0);
    // Each phase is rounded to 0.1 ms; together they fit in the total.
    expect(phases.auth! + phases.body! + phases.db!).toBeLessThanOrEqual(phases.total! + 0.2);
    // A refused caller never reaches the body or the database.
    const refused = await post('Bearer not-a-token');
    expect(refused.status).toBe(401);
    expect(phasesOf(refused)).toMatchObject({ body: 0, db: 0 });
  });

  it('accepts batches out of order and a server-side gap check that then passes', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const all = [entry(0), entry(1), entry(2), entry(3), entry(4)];
    await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [all[4], all[3]] });
    await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [all[1], all[0], all[2]] });
    const rows = await stack.sql<{ seq: number; text: string }>(
      'select seq, text from public.transcript_entries where interview_session_id = $1 order by seq',
      [sessionId],
    );
    expect(rows.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: sessionId, last_seq: 4, reason: 'completed' })).toEqual({
      status: 200,
      body: { status: 'completed', missing: [] },
    });
  });

  it('refuses a batch whose id or seq is already taken by a different entry, storing none of it', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const first = entry(0);
    await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [first] });
    const fresh = entry(1);
    const sameSeq = entry(0);
    const answer = await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [fresh, sameSeq] });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'entry_conflict' }, conflicts: [sameSeq.id] } });
    const [count] = await stack.sql('select count(*)::int as n from public.transcript_entries where interview_session_id = $1', [sessionId]);
    expect(count).toEqual({ n: 1 });
  });

  it('answers 413 over 500 entries, 422 for bad entries, 409 when not in progress, 403 and 404 for outsiders', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const many = Array.from({ length: 501 }, (_, seq) => entry(seq));
    expect(await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: many })).toMatchObject({
      status: 413,
      body: { error: { code: 'batch_too_large' } },
    });
    expect((await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: many.slice(0, 500) })).body).toEqual({
      inserted: 500,
      duplicates: 0,
      corrected: 0,
    });
    const bad = [
      [entry(600, { speaker: 'narrator' })],
      [entry(601, { timestamp: 'yesterday' })],
      [entry(602, { confidence: 2 })],
      [entry(603, { id: 'not-a-uuid' })],
      [entry(604), entry(604)],
      [],
    ];
    for (const entries of bad) {
      const answer = await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries });
      expect(answer, JSON.stringify(entries)).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
    }
    const scheduled = await scheduleInterview(stack);
    expect(await invoke(proctorA, 'interview-transcript', { interview_session_id: scheduled, entries: [entry(0)] })).toMatchObject({
      status: 409,
      body: { error: { code: 'session_not_in_progress' } },
    });
    // The kiosk does not see an interview before it runs, even one assigned to it.
    expect(await invoke(kioskA, 'interview-transcript', { interview_session_id: scheduled, entries: [entry(0)] })).toMatchObject({
      status: 404,
      body: { error: { code: 'session_not_found' } },
    });
    // The candidate can see their own session (it is Ada's) but may not write to it; another centre cannot see it.
    expect(await invoke(candidateA, 'interview-transcript', { interview_session_id: sessionId, entries: [entry(700)] })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await invoke(proctorB, 'interview-transcript', { interview_session_id: sessionId, entries: [entry(700)] })).toMatchObject({
      status: 404,
      body: { error: { code: 'session_not_found' } },
    });
  });
});

function event(kind: string, at: string, data: Record<string, unknown>) {
  return { id: randomUUID(), kind, at, data };
}

/** A moment `second` seconds into an interview that started just now: the backend refuses events outside it. */
function duringInterview(second: number): string {
  return new Date(Date.now() - 30_000 + second * 1000).toISOString();
}

describe('interview-events', () => {
  it('appends once, and keeps the WebRTC audit in event-time order whatever the arrival order', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const offer = event('sdp_offer', duringInterview(1), { sdp: 'v=0 offer-1' });
    const connected = event('webrtc_status', duringInterview(3), { status: 'connected' });
    const reconnecting = event('webrtc_status', duringInterview(9), { status: 'reconnecting' });
    const reoffer = event('sdp_offer', duringInterview(10), { sdp: 'v=0 offer-2' });
    const answer = event('sdp_answer', duringInterview(11), { sdp: 'v=0 answer-2', call_id: 'rtc_2' });
    const late = { interview_session_id: sessionId, events: [reconnecting, reoffer, answer] };
    expect(await invoke(kioskA, 'interview-events', late)).toEqual({ status: 200, body: { inserted: 3, duplicates: 0 } });
    const early = { interview_session_id: sessionId, events: [offer, connected] };
    expect(await invoke(kioskA, 'interview-events', early)).toEqual({ status: 200, body: { inserted: 2, duplicates: 0 } });
    expect(await invoke(kioskA, 'interview-events', late)).toEqual({ status: 200, body: { inserted: 0, duplicates: 3 } });
    const [row] = await stack.sql<{ webrtc_status: string; webrtc_session_id: string; sdp_offers: Array<{ sdp: string }>; sdp_answers: unknown[] }>(
      'select webrtc_status, webrtc_session_id, sdp_offers, sdp_answers from public.interview_sessions where id = $1',
      [sessionId],
    );
    expect(row!.webrtc_status).toBe('reconnecting');
    expect(row!.webrtc_session_id).toBe('rtc_2');
    expect(row!.sdp_offers.map((o) => o.sdp)).toEqual(['v=0 offer-1', 'v=0 offer-2']);
    expect(row!.sdp_answers).toHaveLength(1);
    const [log] = await stack.sql('select count(*)::int as n from public.session_events where interview_session_id = $1', [sessionId]);
    expect(log).toEqual({ n: 5 });
  });

  it('a batch touches only itself: the audit columns take the new events without re-reading the log (O(batch), not O(log))', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const first = [event('sdp_offer', duringInterview(1), { sdp: 'v=0 offer-1' }), event('ice_candidate', duringInterview(2), { candidate: 'c1' })];
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: first })).toMatchObject({ status: 200 });
    // A log row the columns never took (written past the function): a rebuild from the log would pull
    // it in with the next batch; a merge of the batch leaves it out.
    await stack.sql(
      `insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data)
       select $2, id, tenant_id, 'sdp_offer', $3, '{"sdp":"v=0 planted"}' from public.interview_sessions where id = $1`,
      [sessionId, randomUUID(), duringInterview(3)],
    );
    const next = [event('sdp_offer', duringInterview(5), { sdp: 'v=0 offer-2' }), event('ice_candidate', duringInterview(4), { candidate: 'c2' })];
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: next })).toMatchObject({ status: 200 });
    const audit = async () =>
      (await stack.sql<{ sdp_offers: Array<{ sdp: string; id: string; at: string }>; ice_candidates: Array<{ candidate: string }> }>(
        'select sdp_offers, ice_candidates from public.interview_sessions where id = $1',
        [sessionId],
      ))[0]!;
    let row = await audit();
    expect(row.sdp_offers.map((offer) => offer.sdp)).toEqual(['v=0 offer-1', 'v=0 offer-2']);
    expect(row.ice_candidates.map((candidate) => candidate.candidate)).toEqual(['c1', 'c2']);
    expect(row.sdp_offers[1]).toMatchObject({ id: next[0]!.id, sdp: 'v=0 offer-2' });
    expect(Date.parse(row.sdp_offers[1]!.at)).toBe(Date.parse(next[0]!.at));
    // A late batch from before everything kept is merged into place, still without the planted row.
    const late = [event('sdp_offer', duringInterview(0), { sdp: 'v=0 offer-0' }), event('sdp_offer', duringInterview(2), { sdp: 'v=0 offer-1b' })];
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: late })).toMatchObject({ status: 200 });
    row = await audit();
    expect(row.sdp_offers.map((offer) => offer.sdp)).toEqual(['v=0 offer-0', 'v=0 offer-1', 'v=0 offer-1b', 'v=0 offer-2']);
  });

  it('answers 413 over 500 events and 422 for malformed WebRTC events', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const many = Array.from({ length: 501 }, () => event('telemetry', duringInterview(0), {}));
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: many })).toMatchObject({ status: 413 });
    for (const bad of [
      event('webrtc_status', duringInterview(0), {}),
      event('sdp_offer', duringInterview(0), { sdp: 42 }),
      event('screenshot', duringInterview(0), {}),
    ]) {
      expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: [bad] })).toMatchObject({ status: 422 });
    }
  });
});

describe('interview-events: proctor operations', () => {
  it('stores each proctor act with its action, and refuses a proctor event without a known action (function and table)', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const acts = [
      event('proctor', duringInterview(1), { action: 'identity_confirmed', candidate_name: 'Ada Lovelace', by: 'proctor@demo.example' }),
      event('proctor', duringInterview(2), { action: 'pause', by: 'proctor@demo.example' }),
      event('proctor', duringInterview(3), { action: 'incident', note: 'Fire alarm test.', by: 'proctor@demo.example' }),
      event('proctor', duringInterview(4), { action: 'resume', by: 'proctor@demo.example' }),
      event('proctor', duringInterview(5), { action: 'extra_time', minutes: 10, total_minutes: 10, by: 'proctor@demo.example' }),
    ];
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: acts })).toEqual({ status: 200, body: { inserted: 5, duplicates: 0 } });
    const rows = await stack.sql<{ action: string }>(
      `select data->>'action' as action from public.session_events where interview_session_id = $1 and kind = 'proctor' order by at`,
      [sessionId],
    );
    expect(rows.map((row) => row.action)).toEqual(['identity_confirmed', 'pause', 'incident', 'resume', 'extra_time']);
    for (const bad of [event('proctor', duringInterview(6), {}), event('proctor', duringInterview(6), { action: 'delete_everything' })]) {
      expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: [bad] })).toMatchObject({ status: 422 });
    }
    // The table holds the same rule for writers that skip the function.
    await expect(
      stack.sql(
        `insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data)
         select gen_random_uuid(), id, tenant_id, 'proctor', now(), '{"action":"nope"}'::jsonb from public.interview_sessions where id = $1`,
        [sessionId],
      ),
    ).rejects.toThrow(/session_events_proctor_action_check/);
  });
});

describe('interview-end', () => {
  it('finds a gap, keeps the interview open, then closes it once the entry arrives, and again idempotently', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const entries = [entry(0), entry(1), entry(2), entry(3)];
    await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [entries[0], entries[1], entries[3]] });
    const end = { interview_session_id: sessionId, last_seq: 3, reason: 'completed' };
    const gap = await invoke(kioskA, 'interview-end', end);
    expect(gap).toEqual({ status: 409, body: docExample('interview-end/missing-response') });
    const [open] = await stack.sql('select status from public.interview_sessions where id = $1', [sessionId]);
    expect(open).toEqual({ status: 'in_progress' });
    await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [entries[2]] });
    expect(await invoke(kioskA, 'interview-end', end)).toEqual({ status: 200, body: { status: 'completed', missing: [] } });
    expect(await invoke(proctorA, 'interview-end', { ...end, reason: 'proctor' })).toEqual({ status: 200, body: { status: 'completed', missing: [] } });
    const [closed] = await stack.sql('select status, end_reason, last_seq, webrtc_status, ended_at is not null as ended from public.interview_sessions where id = $1', [
      sessionId,
    ]);
    expect(closed).toEqual({ status: 'completed', end_reason: 'completed', last_seq: 3, webrtc_status: 'closed', ended: true });
    expect(await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [entry(4)] })).toMatchObject({
      status: 409,
      body: { error: { code: 'session_not_in_progress' } },
    });
  });

  it('marks an interview that ended in error as failed, and one with no entries as complete', async () => {
    const failing = await scheduleInterview(stack, { status: 'in_progress' });
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: failing, last_seq: -1, reason: 'error' })).toEqual({
      status: 200,
      body: { status: 'failed', missing: [] },
    });
    const empty = await scheduleInterview(stack, { status: 'in_progress' });
    expect((await invoke(kioskA, 'interview-end', { interview_session_id: empty, last_seq: -1, reason: 'candidate_left' })).body).toEqual({
      status: 'completed',
      missing: [],
    });
  });

  it('refuses ending an interview that never started, bad reasons, and strangers', async () => {
    const scheduled = await scheduleInterview(stack);
    expect(await invoke(proctorA, 'interview-end', { interview_session_id: scheduled, last_seq: -1, reason: 'completed' })).toMatchObject({
      status: 409,
      body: { error: { code: 'session_not_in_progress' } },
    });
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: scheduled, last_seq: -1, reason: 'completed' })).toMatchObject({ status: 404 });
    const running = await scheduleInterview(stack, { status: 'in_progress' });
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: running, last_seq: -2, reason: 'completed' })).toMatchObject({ status: 422 });
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: running, last_seq: 0, reason: 'bored' })).toMatchObject({ status: 422 });
    expect(await invoke(proctorB, 'interview-end', { interview_session_id: running, last_seq: -1, reason: 'completed' })).toMatchObject({ status: 404 });
    expect(await invoke(candidateA, 'interview-end', { interview_session_id: running, last_seq: -1, reason: 'completed' })).toMatchObject({ status: 403 });
  });
});

describe('interview-recording', () => {
  it('upserts on the recording id and refuses the same id for another interview', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    const recording = { ...docExample<Record<string, unknown>>('interview-recording/request'), interview_session_id: sessionId, recording_id: randomUUID() };
    expect(await invoke(kioskA, 'interview-recording', recording)).toEqual({ status: 200, body: { recording_id: recording.recording_id } });
    expect(await invoke(kioskA, 'interview-recording', { ...recording, bytes: 99 })).toEqual({ status: 200, body: { recording_id: recording.recording_id } });
    const [row] = await stack.sql('select bytes from public.recordings where id = $1', [recording.recording_id]);
    expect(row).toEqual({ bytes: '99' });
    const other = await scheduleInterview(stack, { status: 'in_progress' });
    expect(await invoke(kioskA, 'interview-recording', { ...recording, interview_session_id: other })).toMatchObject({
      status: 409,
      body: { error: { code: 'recording_conflict' } },
    });
    expect(await invoke(kioskA, 'interview-recording', { ...recording, provider: 'youtube' })).toMatchObject({ status: 422 });
    expect(await invoke(proctorB, 'interview-recording', recording)).toMatchObject({ status: 404 });
  });
});

describe('interview policies', () => {
  it("caps the position's duration by the centre's policy", async () => {
    await stack.sql('update public.tenants set max_duration_minutes = 5 where id = $1', [ids.tenantA]);
    try {
      const answer = await start(proctorA, await scheduleInterview(stack));
      expect(answer.body.policies).toMatchObject({ max_duration_minutes: 5 });
      const config = decodeJwt(await openSessionConfig(stack, ids.tenantA, answer.body.session_config as string)) as { session: { max_duration_s: number; instructions: string } };
      expect(config.session.max_duration_s).toBe(300);
      expect(config.session.instructions).toContain('at most 5 minutes');
    } finally {
      await stack.sql('update public.tenants set max_duration_minutes = 30 where id = $1', [ids.tenantA]);
    }
  });
});
