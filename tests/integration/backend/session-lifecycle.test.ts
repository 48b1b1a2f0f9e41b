// An interview's lifecycle columns change only through the guarded database path the edge functions
// use: a kiosk identity or proctor writing status, end or seq straight through the database is refused,
// and calling that path directly still meets the gap check and the tenant rules.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { entry, ids, invoke, people, scheduleInterview, signedIn, sqlAs } from './backend-test-kit';

let stack: BackendStack;
let proctorA: SupabaseClient;
let kioskA: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' });
  [proctorA, kioskA] = await Promise.all([signedIn(stack, 'proctor@demo.example'), signedIn(stack, 'kiosk-1@demo.example')]);
});

afterAll(async () => {
  await stack?.stop();
});

async function sessionRow(id: string) {
  const [row] = await stack.sql(
    `select status, started_at, ended_at, end_reason, last_seq, webrtc_server_url, proxy_machine_id, scheduled_at
     from public.interview_sessions where id = $1`,
    [id],
  );
  return row;
}

async function storeEntries(sessionId: string, seqs: number[]) {
  for (const seq of seqs) {
    const e = entry(seq);
    await stack.sql(
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [e.id, sessionId, ids.tenantA, seq, e.speaker, e.text, e.timestamp],
    );
  }
}

describe('direct writes to an interview', () => {
  const lifecycleWrites = [
    "status = 'completed'",
    "status = 'cancelled'",
    'ended_at = now()',
    "end_reason = 'completed'",
    'last_seq = -1',
    'started_at = now()',
    "webrtc_server_url = 'wss://elsewhere.example/v1/signal'",
    "proxy_machine_id = 'another-interviews-machine'",
  ];

  it('refuses the kiosk identity, proctors and admins changing status, end, seq or proxy columns with 42501', async () => {
    const running = await scheduleInterview(stack, { status: 'in_progress' });
    await storeEntries(running, [0, 2]); // a gap at 1: what interview-end would refuse to close over
    const before = await sessionRow(running);
    for (const who of ['kioskA', 'proctorA', 'adminA'] as const) {
      for (const assignment of lifecycleWrites) {
        const outcome = await sqlAs(stack.dbUrl, people[who], `update public.interview_sessions set ${assignment} where id = $1`, [running], {
          commit: true,
        });
        expect(outcome.errorCode, `${who}: ${assignment}`).toBe('42501');
      }
    }
    expect(await sessionRow(running)).toEqual(before);
  });

  it('schedules new interviews only as scheduled: a client cannot insert one already running or ended', async () => {
    const columns = 'tenant_id, candidate_id, position_id, scheduled_at';
    const values = `'${ids.tenantA}', '${ids.ada}', '${ids.backendEngineer}', now()`;
    for (const extra of [["status", "'completed'"], ["status", "'in_progress'"], ['last_seq', '5'], ['ended_at', 'now()']]) {
      const outcome = await sqlAs(stack.dbUrl, people.proctorA, `insert into public.interview_sessions (${columns}, ${extra[0]}) values (${values}, ${extra[1]})`);
      expect(outcome.errorCode, extra.join('=')).toBe('42501');
    }
    const plain = await sqlAs<{ status: string }>(stack.dbUrl, people.proctorA, `insert into public.interview_sessions (${columns}) values (${values}) returning status`);
    expect(plain).toEqual({ rows: [{ status: 'scheduled' }], rowCount: 1 });
  });

  it('still lets the kiosk write the WebRTC audit, and staff reschedule an interview that has not started', async () => {
    const scheduled = await scheduleInterview(stack);
    const running = await scheduleInterview(stack, { status: 'in_progress' });
    const audit = await sqlAs(stack.dbUrl, people.kioskA, `update public.interview_sessions set webrtc_status = 'connected', sdp_offers = '[]' where id = $1`, [running]);
    expect(audit).toMatchObject({ rowCount: 1 });
    expect(audit.errorCode).toBeUndefined();
    const moved = await sqlAs(stack.dbUrl, people.proctorA, `update public.interview_sessions set scheduled_at = now() + interval '1 hour' where id = $1`, [scheduled]);
    expect(moved).toMatchObject({ rowCount: 1 });
    expect(moved.errorCode).toBeUndefined();
    // The kiosk runs interviews; it does not plan them. A started interview's schedule is history.
    // (The kiosk's policy does not even match an interview that has not started; the trigger refuses the rest.)
    const kioskMoves = await sqlAs(stack.dbUrl, people.kioskA, `update public.interview_sessions set scheduled_at = now() where id = $1`, [scheduled]);
    expect(kioskMoves.rowCount).toBe(0);
    if (kioskMoves.errorCode) expect(kioskMoves.errorCode).toBe('42501');
    const kioskMovesRunning = await sqlAs(stack.dbUrl, people.kioskA, `update public.interview_sessions set scheduled_at = now() where id = $1`, [running]);
    expect(kioskMovesRunning.errorCode).toBe('42501');
    for (const change of ["scheduled_at = now() - interval '1 day'", `candidate_id = '${ids.grace}'`]) {
      const outcome = await sqlAs(stack.dbUrl, people.proctorA, `update public.interview_sessions set ${change} where id = $1`, [running]);
      expect(outcome.errorCode, change).toBe('42501');
    }
  });

  it('gives no client role a lifecycle column, and keeps the guarded functions out of the exposed schema', async () => {
    const [privileges] = await stack.sql<Record<string, boolean>>(
      `select ${['status', 'started_at', 'ended_at', 'end_reason', 'last_seq', 'webrtc_server_url', 'proxy_machine_id', 'tenant_id', 'id']
        .map((column) => `has_column_privilege('authenticated', 'public.interview_sessions', '${column}', 'UPDATE') as ${column}`)
        .join(', ')},
              has_column_privilege('authenticated', 'public.interview_sessions', 'webrtc_status', 'UPDATE') as webrtc_status,
              has_function_privilege('anon', 'private.end_interview(uuid, integer, text)', 'EXECUTE') as anon_ends,
              has_function_privilege('anon', 'private.start_interview(uuid, text, text)', 'EXECUTE') as anon_starts,
              has_function_privilege('anon', 'private.correct_transcript_entry(uuid, uuid, uuid, integer, text, text, real)', 'EXECUTE') as anon_corrects,
              has_function_privilege('authenticated', 'private.caller_role(uuid)', 'EXECUTE') as role_lookup`,
    );
    expect(privileges).toEqual({
      status: false,
      started_at: false,
      ended_at: false,
      end_reason: false,
      last_seq: false,
      webrtc_server_url: false,
      proxy_machine_id: false,
      tenant_id: false,
      id: false,
      webrtc_status: true,
      anon_ends: false,
      anon_starts: false,
      anon_corrects: false,
      role_lookup: false,
    });
    const definers = await stack.sql<{ schema: string; name: string }>(
      `select n.nspname as schema, p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and n.nspname in ('public', 'private') order by 1, 2`,
    );
    expect(definers).toEqual([
      { schema: 'private', name: 'caller_role' },
      { schema: 'private', name: 'claim_kiosk_enrolment' },
      { schema: 'private', name: 'complete_kiosk_enrolment' },
      { schema: 'private', name: 'correct_transcript_entry' },
      { schema: 'private', name: 'create_kiosk_enrolment_code' },
      { schema: 'private', name: 'end_interview' },
      { schema: 'private', name: 'interview_launch' },
      { schema: 'private', name: 'issue_kiosk_enrolment' },
      { schema: 'private', name: 'kiosk_sessions' },
      // Trigger functions (no client may execute them): they write tables no client role may write.
      { schema: 'private', name: 'queue_processing_on_close' },
      { schema: 'private', name: 'running_figures_after_entries' },
      { schema: 'private', name: 'session_writer_role' },
      { schema: 'private', name: 'start_interview' },
    ]);
  });
});

describe('the guarded path, called directly', () => {
  it('applies the gap check: with an entry missing it answers the seq and leaves the interview open', async () => {
    const running = await scheduleInterview(stack, { status: 'in_progress' });
    await storeEntries(running, [0, 1, 3]);
    const end = `select status, missing from private.end_interview($1, 3, 'completed')`;
    expect(await sqlAs(stack.dbUrl, people.kioskA, end, [running], { commit: true })).toEqual({
      rows: [{ status: 'in_progress', missing: [2] }],
      rowCount: 1,
    });
    expect(await sessionRow(running)).toMatchObject({ status: 'in_progress', ended_at: null, last_seq: null });
    await storeEntries(running, [2]);
    expect((await sqlAs(stack.dbUrl, people.kioskA, end, [running], { commit: true })).rows).toEqual([{ status: 'completed', missing: [] }]);
    expect(await sessionRow(running)).toMatchObject({ status: 'completed', end_reason: 'completed', last_seq: 3 });
  });

  it('refuses strangers, candidates and anon, bad reasons, and states that cannot change', async () => {
    const running = await scheduleInterview(stack, { status: 'in_progress' });
    const end = `select * from private.end_interview($1, -1, 'completed')`;
    expect((await sqlAs(stack.dbUrl, people.proctorB, end, [running])).errorCode).toBe('42501');
    expect((await sqlAs(stack.dbUrl, people.candidateA, end, [running])).errorCode).toBe('42501');
    expect((await sqlAs(stack.dbUrl, null, end, [running])).errorCode).toBe('42501');
    expect((await sqlAs(stack.dbUrl, people.kioskA, `select * from private.end_interview($1, -1, 'bored')`, [running])).errorCode).toBe('22023');
    expect((await sqlAs(stack.dbUrl, people.kioskA, `select * from private.end_interview($1, -2, 'completed')`, [running])).errorCode).toBe('22023');
    const scheduled = await scheduleInterview(stack);
    expect((await sqlAs(stack.dbUrl, people.kioskA, end, [scheduled])).errorCode).toBe('55000');

    const start = `select * from private.start_interview($1, null, null)`;
    expect((await sqlAs(stack.dbUrl, people.kioskA, start, [scheduled])).errorCode).toBe('42501'); // a proctor begins it
    expect((await sqlAs(stack.dbUrl, people.proctorB, start, [scheduled])).errorCode).toBe('42501');
    const cancelled = await scheduleInterview(stack, { status: 'cancelled' });
    expect((await sqlAs(stack.dbUrl, people.proctorA, start, [cancelled])).errorCode).toBe('55000');
    const started = await sqlAs<{ next_seq: number }>(stack.dbUrl, people.proctorA, start, [scheduled], { commit: true });
    expect(started.rows).toMatchObject([{ next_seq: 0 }]);
    expect(await sessionRow(scheduled)).toMatchObject({ status: 'in_progress' });
    expect((await sqlAs(stack.dbUrl, people.kioskA, start, [scheduled])).errorCode).toBeUndefined(); // resuming is the kiosk's
  });
});

describe('the edge functions on the guarded path', () => {
  it('start, upload, refuse to end over a gap, then end: the whole walk still works for proctor and kiosk', async () => {
    const sessionId = await scheduleInterview(stack);
    const started = await invoke<{ next_seq: number; session: { status: string } }>(proctorA, 'interview-start', { interview_session_id: sessionId });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ next_seq: 0, session: { status: 'in_progress' } });
    expect(await sessionRow(sessionId)).toMatchObject({ status: 'in_progress', webrtc_server_url: 'ws://127.0.0.1:8787/v1/signal' });
    const resumed = await invoke(kioskA, 'interview-start', { interview_session_id: sessionId });
    expect(resumed.status).toBe(200);

    await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [entry(0), entry(2)] });
    const end = { interview_session_id: sessionId, last_seq: 2, reason: 'time_limit' };
    expect(await invoke(kioskA, 'interview-end', end)).toMatchObject({ status: 409, body: { error: { code: 'missing_entries' }, missing: [1] } });
    await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: [entry(1)] });
    expect(await invoke(kioskA, 'interview-end', end)).toEqual({ status: 200, body: { status: 'completed', missing: [] } });
    expect(await sessionRow(sessionId)).toMatchObject({ status: 'completed', end_reason: 'time_limit', last_seq: 2 });
    expect(await invoke(proctorA, 'interview-start', { interview_session_id: sessionId })).toMatchObject({
      status: 409,
      body: { error: { code: 'not_startable' } },
    });
  });
});
