// Attacks on the record itself: a client that claims less than it stored to close an interview early,
// and a kiosk identity that tries to rewrite, back-date or repoint an interview's evidence once it has
// ended. Each case failed before migration 20261202000100; the server now decides.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { entry, ids, invoke, people, scheduleInterview, signedIn, sqlAs } from './backend-test-kit';

let stack: BackendStack;
let kioskA: SupabaseClient;
let proctorA: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' });
  kioskA = await signedIn(stack, 'kiosk-1@demo.example');
  proctorA = await signedIn(stack, 'proctor@demo.example');
});

afterAll(async () => {
  await stack?.stop();
});

function event(kind: string, at: Date, data: Record<string, unknown> = {}) {
  return { id: randomUUID(), kind, at: at.toISOString(), data };
}

function secondsFromNow(seconds: number): Date {
  return new Date(Date.now() + seconds * 1000);
}

async function runningWith(seqs: number[]): Promise<string> {
  const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
  if (seqs.length > 0) {
    const upload = await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries: seqs.map((seq) => entry(seq)) });
    expect(upload.status).toBe(200);
  }
  return sessionId;
}

async function ended(): Promise<string> {
  const sessionId = await runningWith([0, 1]);
  const offer = event('sdp_offer', secondsFromNow(-1), { sdp: 'v=0 offer' });
  expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: [offer] })).toMatchObject({ status: 200 });
  await invoke(kioskA, 'interview-recording', recording(sessionId, randomUUID(), 'video-original'));
  expect(await invoke(kioskA, 'interview-end', { interview_session_id: sessionId, last_seq: 1, reason: 'completed' })).toMatchObject({ status: 200 });
  return sessionId;
}

function recording(sessionId: string, recordingId: string, videoId: string) {
  return { interview_session_id: sessionId, recording_id: recordingId, provider: 'api.video', video_id: videoId, bytes: 1000, duration_ms: 60_000 };
}

async function session(id: string) {
  const [row] = await stack.sql<{ status: string; last_seq: number | null; sdp_offers: unknown[]; webrtc_status: string }>(
    'select status, last_seq, sdp_offers, webrtc_status from public.interview_sessions where id = $1',
    [id],
  );
  return row!;
}

describe('interview-end decides from what is stored', () => {
  it('does not close an interview as completed with last_seq -1 while entries are stored over a gap', async () => {
    const sessionId = await runningWith([0, 1, 3]);
    const end = await invoke(kioskA, 'interview-end', { interview_session_id: sessionId, last_seq: -1, reason: 'completed' });
    expect(end).toMatchObject({ status: 409, body: { error: { code: 'missing_entries' }, missing: [2] } });
    expect(await session(sessionId)).toMatchObject({ status: 'in_progress', last_seq: null });
  });

  it('records the last stored seq, not an under-claim, when it closes the interview', async () => {
    const sessionId = await runningWith([0, 1, 2]);
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: sessionId, last_seq: -1, reason: 'completed' })).toEqual({
      status: 200,
      body: { status: 'completed', missing: [] },
    });
    expect(await session(sessionId)).toMatchObject({ status: 'completed', last_seq: 2 });
  });
});

describe('evidence after the end', () => {
  it('refuses the kiosk rewriting the WebRTC audit columns of a completed interview', async () => {
    const sessionId = await ended();
    const before = await session(sessionId);
    for (const assignment of ["sdp_offers = '[]'::jsonb", "webrtc_status = 'connected'", "webrtc_session_id = 'rtc_forged'", "ice_candidates = '[{}]'::jsonb"]) {
      // Staff still see the ended interview's row, so the freeze trigger is what refuses them; the kiosk's
      // policy covers only a running interview, so its update matches no row at all.
      const staff = await sqlAs(stack.dbUrl, people.proctorA, `update public.interview_sessions set ${assignment} where id = $1`, [sessionId], { commit: true });
      expect(staff.errorCode, assignment).toBe('55000');
      const kiosk = await sqlAs(stack.dbUrl, people.kioskA, `update public.interview_sessions set ${assignment} where id = $1`, [sessionId], { commit: true });
      expect(kiosk, assignment).toMatchObject({ rowCount: 0 });
    }
    expect(await session(sessionId)).toEqual(before);
  });

  it('refuses a back-dated event appended after the interview has ended', async () => {
    const sessionId = await ended();
    const backDated = event('lockdown', secondsFromNow(-30), { event: 'focus_lost' });
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: [backDated] })).toMatchObject({
      status: 409,
      body: { error: { code: 'invalid_state' } },
    });
    const direct = await sqlAs(
      stack.dbUrl,
      people.kioskA,
      `insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data) values ($1, $2, $3, 'lockdown', now() - interval '1 minute', '{}')`,
      [randomUUID(), sessionId, ids.tenantA],
      { commit: true },
    );
    expect(direct.errorCode).toBe('55000');
  });

  it('refuses repointing the recording of a completed interview, or registering a second one', async () => {
    const sessionId = await ended();
    const [original] = await stack.sql<{ id: string }>('select id from public.recordings where interview_session_id = $1', [sessionId]);
    expect(await invoke(kioskA, 'interview-recording', recording(sessionId, original!.id, 'video-forged'))).toMatchObject({ status: 409 });
    expect(await invoke(kioskA, 'interview-recording', recording(sessionId, randomUUID(), 'video-second'))).toMatchObject({ status: 409 });
    const stored = await stack.sql('select video_id from public.recordings where interview_session_id = $1', [sessionId]);
    expect(stored).toEqual([{ video_id: 'video-original' }]);
    // A replay of the same registration (the kiosk retrying after a lost answer) is still accepted.
    expect(await invoke(kioskA, 'interview-recording', recording(sessionId, original!.id, 'video-original'))).toMatchObject({ status: 200 });
  });

  it('still registers the recording of an ended interview once, for an upload that finished after the end', async () => {
    const sessionId = await runningWith([0]);
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: sessionId, last_seq: 0, reason: 'completed' })).toMatchObject({ status: 200 });
    expect(await invoke(kioskA, 'interview-recording', recording(sessionId, randomUUID(), 'video-late'))).toMatchObject({ status: 200 });
  });
});

describe('session events are part of the interview', () => {
  it('refuses events for an interview that has not started', async () => {
    const scheduled = await scheduleInterview(stack);
    expect(await invoke(proctorA, 'interview-events', { interview_session_id: scheduled, events: [event('telemetry', secondsFromNow(0))] })).toMatchObject({
      status: 409,
      body: { error: { code: 'invalid_state' } },
    });
    // The kiosk does not see an interview before it runs.
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: scheduled, events: [event('telemetry', secondsFromNow(0))] })).toMatchObject({
      status: 404,
    });
  });

  it('refuses events dated a day before the interview or an hour ahead of the server clock', async () => {
    const sessionId = await runningWith([]);
    for (const at of [secondsFromNow(-86_400), secondsFromNow(3_600)]) {
      expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: [event('telemetry', at)] })).toMatchObject({ status: 422 });
    }
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: [event('telemetry', secondsFromNow(-5))] })).toMatchObject({ status: 200 });
  });

  it('refuses an event whose data is larger than 32 KB', async () => {
    const sessionId = await runningWith([]);
    const huge = event('telemetry', secondsFromNow(0), { blob: 'x'.repeat(40_000) });
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: [huge] })).toMatchObject({ status: 422 });
  });

  it('stops an interview log at 20,000 events with a stable refusal', async () => {
    const sessionId = await runningWith([]);
    await stack.sql(
      `insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data)
       select extensions.gen_random_uuid(), $1, $2, 'telemetry', now(), '{}' from generate_series(1, 20000)`,
      [sessionId, ids.tenantA],
    );
    expect(await invoke(kioskA, 'interview-events', { interview_session_id: sessionId, events: [event('telemetry', secondsFromNow(0))] })).toMatchObject({
      status: 413,
      body: { error: { code: 'session_log_full' } },
    });
  });
});
