// A kiosk's device identity against the other kiosks' interviews: kiosk A2 (the demo centre's second
// kiosk) and kiosk B (another centre's) try everything kiosk A's identity does for the interview
// running on kiosk A, through the edge functions and as the Data API would run their SQL. Each attack
// sits next to the same call by kiosk A, which succeeds, so a refusal is about whose kiosk it is.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { entry, ids, invoke, people, scheduleInterview, signedIn, sqlAs } from './backend-test-kit';

let stack: BackendStack;
let kioskA: SupabaseClient;
let kioskA2: SupabaseClient;
let kioskB: SupabaseClient;
let proctorA: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' });
  [kioskA, kioskA2, kioskB] = await Promise.all([
    signedIn(stack, 'kiosk-1@demo.example'),
    signedIn(stack, 'kiosk-2@demo.example'),
    signedIn(stack, 'kiosk@other.example'),
  ]);
  proctorA = await signedIn(stack, 'proctor@demo.example');
});

afterAll(async () => {
  await stack?.stop();
});

const outsiders = () =>
  [
    ['kiosk A2 (same centre)', kioskA2],
    ['kiosk B (other centre)', kioskB],
  ] as const;

/** A running interview on kiosk A with one stored entry. */
async function runningOnKioskA(): Promise<string> {
  const id = await scheduleInterview(stack, { status: 'in_progress', kiosk: ids.kioskA });
  expect(await invoke(kioskA, 'interview-transcript', { interview_session_id: id, entries: [entry(0)] })).toMatchObject({ status: 200 });
  return id;
}

async function stored(id: string) {
  const [row] = await stack.sql<{ status: string; entries: number; events: number; recordings: number; webrtc_status: string }>(
    `select status, webrtc_status,
            (select count(*)::int from public.transcript_entries where interview_session_id = $1) as entries,
            (select count(*)::int from public.session_events where interview_session_id = $1) as events,
            (select count(*)::int from public.recordings where interview_session_id = $1) as recordings
     from public.interview_sessions where id = $1`,
    [id],
  );
  return row!;
}

const event = () => ({ id: randomUUID(), kind: 'telemetry', at: new Date(Date.now() - 1000).toISOString(), data: { fps: 30 } });

describe("another kiosk's identity against the interview running on kiosk A", () => {
  it('cannot fetch a proxy token (interview-start) for it', async () => {
    const id = await runningOnKioskA();
    for (const [who, client] of outsiders()) {
      const answer = await invoke(client, 'interview-start', { interview_session_id: id });
      expect([403, 404], who).toContain(answer.status);
      expect(answer.body, who).not.toHaveProperty('proxy');
      expect(answer.body, who).not.toHaveProperty('session_config');
    }
    const own = await invoke<{ proxy: { token: string } }>(kioskA, 'interview-start', { interview_session_id: id });
    expect(own.status).toBe(200);
    expect(own.body.proxy.token).toEqual(expect.any(String));
  });

  it('cannot start an interview that is scheduled on kiosk A (no kiosk can, a proctor must)', async () => {
    const id = await scheduleInterview(stack, { kiosk: ids.kioskA });
    for (const [who, client] of [...outsiders(), ['kiosk A', kioskA] as const]) {
      expect(await invoke(client, 'interview-start', { interview_session_id: id }), who).toMatchObject({ status: 403 });
    }
    expect((await stored(id)).status).toBe('scheduled');
  });

  it('cannot upload transcript entries into it', async () => {
    const id = await runningOnKioskA();
    for (const [who, client] of outsiders()) {
      const answer = await invoke(client, 'interview-transcript', { interview_session_id: id, entries: [entry(1, { text: 'planted' })] });
      expect(answer, who).toMatchObject({ status: 404, body: { error: { code: 'session_not_found' } } });
    }
    expect((await stored(id)).entries).toBe(1);
    expect(await invoke(kioskA, 'interview-transcript', { interview_session_id: id, entries: [entry(1)] })).toMatchObject({ status: 200 });
  });

  it('cannot append session events to it', async () => {
    const id = await runningOnKioskA();
    for (const [who, client] of outsiders()) {
      const answer = await invoke(client, 'interview-events', { interview_session_id: id, events: [event()] });
      expect(answer, who).toMatchObject({ status: 404, body: { error: { code: 'session_not_found' } } });
    }
    expect((await stored(id)).events).toBe(0);
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: id, events: [event()] })).toMatchObject({ status: 200 });
  });

  it('cannot end it', async () => {
    const id = await runningOnKioskA();
    for (const [who, client] of outsiders()) {
      const answer = await invoke(client, 'interview-end', { interview_session_id: id, last_seq: 0, reason: 'completed' });
      expect(answer, who).toMatchObject({ status: 404 });
    }
    expect((await stored(id)).status).toBe('in_progress');
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: id, last_seq: 0, reason: 'completed' })).toMatchObject({
      status: 200,
      body: { status: 'completed' },
    });
  });

  it('cannot register a recording for it', async () => {
    const id = await runningOnKioskA();
    const recording = (videoId: string) => ({ interview_session_id: id, recording_id: randomUUID(), provider: 'api.video', video_id: videoId, bytes: 1, duration_ms: 1 });
    for (const [who, client] of outsiders()) {
      expect(await invoke(client, 'interview-recording', recording('vi-planted')), who).toMatchObject({ status: 404 });
    }
    expect((await stored(id)).recordings).toBe(0);
    expect(await invoke(kioskA, 'interview-recording', recording('vi-own'))).toMatchObject({ status: 200 });
  });

  it("cannot call the lifecycle functions directly for it (start, end, launch, correction)", async () => {
    const id = await runningOnKioskA();
    const calls: Array<[string, unknown[]]> = [
      ['select * from private.start_interview($1, null, null)', [id]],
      ["select * from private.end_interview($1, 0, 'completed')", [id]],
      ['select * from private.interview_launch($1)', [id]],
      ["select private.correct_transcript_entry($1, $2, $3, 0, 'interviewer', 'x', null)", [id, randomUUID(), randomUUID()]],
    ];
    for (const who of [people.kioskA2, people.kioskB]) {
      for (const [statement, params] of calls) {
        expect((await sqlAs(stack.dbUrl, who, statement, params)).errorCode, `${who.email}: ${statement}`).toBe('42501');
      }
    }
    expect((await sqlAs(stack.dbUrl, people.kioskA, 'select title from private.interview_launch($1)', [id])).rows).toEqual([{ title: 'Backend Engineer' }]);
  });
});

describe('the kiosk an interview is started on', () => {
  it('assigns an unassigned interview to the kiosk the proctor starts it on, whose identity alone then uploads', async () => {
    const id = await scheduleInterview(stack, { kiosk: null });
    expect(await invoke(proctorA, 'interview-start', { interview_session_id: id, kiosk_id: ids.kioskA2 })).toMatchObject({ status: 200 });
    const [row] = await stack.sql<{ kiosk_id: string }>('select kiosk_id from public.interview_sessions where id = $1', [id]);
    expect(row!.kiosk_id).toBe(ids.kioskA2);
    expect(await invoke(kioskA2, 'interview-transcript', { interview_session_id: id, entries: [entry(0)] })).toMatchObject({ status: 200 });
    expect(await invoke(kioskA, 'interview-transcript', { interview_session_id: id, entries: [entry(1)] })).toMatchObject({ status: 404 });
    // Ended again, so kiosk A2 runs nothing for the tests below.
    expect(await invoke(kioskA2, 'interview-end', { interview_session_id: id, last_seq: 0, reason: 'completed' })).toMatchObject({ status: 200 });
  });

  it("refuses a proctor starting kiosk A's interview on kiosk A2, or on another centre's kiosk", async () => {
    const id = await scheduleInterview(stack, { kiosk: ids.kioskA });
    expect(await invoke(proctorA, 'interview-start', { interview_session_id: id, kiosk_id: ids.kioskA2 })).toMatchObject({
      status: 409,
      body: { error: { code: 'wrong_kiosk' } },
    });
    const unassigned = await scheduleInterview(stack, { kiosk: null });
    expect(await invoke(proctorA, 'interview-start', { interview_session_id: unassigned, kiosk_id: ids.kioskB })).toMatchObject({ status: 422 });
    const rows = await stack.sql<{ id: string; status: string; kiosk_id: string | null }>(
      'select id, status, kiosk_id from public.interview_sessions where id = any($1::uuid[]) order by id',
      [[id, unassigned]],
    );
    expect(rows.map(({ id: rowId, ...rest }) => ({ rowId, ...rest }))).toEqual(
      [
        { rowId: id, status: 'scheduled', kiosk_id: ids.kioskA },
        { rowId: unassigned, status: 'scheduled', kiosk_id: null },
      ].sort((a, b) => (a.rowId < b.rowId ? -1 : 1)),
    );
  });
});

describe('what a kiosk identity can read', () => {
  it("lists only its own kiosk's interviews, with the candidate's name and no e-mail", async () => {
    const onA = await scheduleInterview(stack, { kiosk: ids.kioskA });
    const onA2 = await scheduleInterview(stack, { kiosk: ids.kioskA2 });
    const unassigned = await scheduleInterview(stack, { kiosk: null });
    type Listed = { sessions: Array<{ id: string; candidate: Record<string, unknown> }> };
    const a = await invoke<Listed>(kioskA, 'kiosk-sessions', {});
    const a2 = await invoke<Listed>(kioskA2, 'kiosk-sessions', {});
    expect(a.body.sessions.map((s) => s.id)).toContain(onA);
    expect(a.body.sessions.map((s) => s.id)).not.toContain(onA2);
    expect(a.body.sessions.map((s) => s.id)).not.toContain(unassigned);
    expect(a2.body.sessions.map((s) => s.id)).toEqual([onA2]);
    for (const listed of [...a.body.sessions, ...a2.body.sessions]) {
      expect(Object.keys(listed.candidate).sort()).toEqual(['id', 'name']);
    }
    const b = await invoke<Listed>(kioskB, 'kiosk-sessions', {});
    expect(b.body.sessions.map((s) => s.id)).toEqual([ids.sessionB]);
  });

  it("cannot read candidates' e-mails (or any candidate row)", async () => {
    await runningOnKioskA();
    for (const who of [people.kioskA, people.kioskA2, people.kioskB]) {
      expect((await sqlAs(stack.dbUrl, who, 'select name, email from public.candidates')).rows, who.email).toEqual([]);
    }
  });

  it("cannot read the positions' briefs and plans", async () => {
    for (const who of [people.kioskA, people.kioskA2, people.kioskB]) {
      expect((await sqlAs(stack.dbUrl, who, 'select instructions, interview_plan from public.positions')).rows, who.email).toEqual([]);
    }
  });

  it("cannot read the tenant's infrastructure columns", async () => {
    for (const who of [people.kioskA, people.kioskA2, people.kioskB]) {
      const outcome = await sqlAs(stack.dbUrl, who, 'select proxy_strategy, proxy_url, fly_app_name, fly_image from public.tenants');
      expect(outcome.rows, who.email).toEqual([]);
    }
  });

  it("cannot read other interviews' transcripts, not even an ended one of its own kiosk", async () => {
    const id = await runningOnKioskA();
    for (const who of [people.kioskA2, people.kioskB]) {
      expect((await sqlAs(stack.dbUrl, who, 'select text from public.transcript_entries')).rows, who.email).toEqual([]);
      expect((await sqlAs(stack.dbUrl, who, 'select id from public.interview_sessions where id = $1', [id])).rows, who.email).toEqual([]);
    }
    // Yesterday's finished interview of kiosk A (seeded with two entries): its transcript is staff's now.
    const yesterday = await sqlAs(stack.dbUrl, people.kioskA, `select text from public.transcript_entries where interview_session_id = '00000000-0000-4000-8000-000000000504'`);
    expect(yesterday.rows).toEqual([]);
    const own = await sqlAs(stack.dbUrl, people.kioskA, 'select seq from public.transcript_entries where interview_session_id = $1', [id]);
    expect(own.rows).toEqual([{ seq: 0 }]);
  });

  it('sees only its own kiosk row, and nothing of the session events of other kiosks', async () => {
    const id = await runningOnKioskA();
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: id, events: [event()] })).toMatchObject({ status: 200 });
    expect((await sqlAs(stack.dbUrl, people.kioskA2, 'select id from public.kiosks')).rows).toEqual([{ id: ids.kioskA2 }]);
    expect((await sqlAs(stack.dbUrl, people.kioskA2, 'select id from public.session_events where interview_session_id = $1', [id])).rows).toEqual([]);
    expect((await sqlAs(stack.dbUrl, people.kioskB, 'select id from public.session_events')).rows).toEqual([]);
  });
});
