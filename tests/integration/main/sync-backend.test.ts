// Main's services against the real backend harness (Postgres + Deno edge functions + Auth stand-in):
// start, transcript, end, and the faults the sync engine must survive.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../src/shared/domain/transcript';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { createTodaySession, DEMO, startTestKiosk, until, writeTenantConfig, type TestKiosk } from '../../support/kiosk-core-fixture';

let stack: BackendStack;
const kiosks: TestKiosk[] = [];

beforeAll(async () => {
  stack = await startBackendStack();
});
afterAll(async () => {
  for (const kiosk of kiosks) await kiosk.core.dispose();
  await stack?.stop();
});

/** Every edge-function call the kiosk makes, in order, with what it carried and how it was answered. */
interface Call {
  name: string;
  interviewId?: string;
  seqs: number[];
  status: number | 'network';
}

function recordingFetch(calls: Call[], rewrite?: (name: string, init: RequestInit) => RequestInit): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const match = /\/functions\/v1\/([a-z-]+)/.exec(url);
    if (!match) return fetch(input, init);
    const name = match[1]!;
    const body = JSON.parse(String(init?.body ?? '{}')) as { interview_session_id?: string; entries?: Array<{ seq: number }> };
    const call: Call = { name, interviewId: body.interview_session_id, seqs: body.entries?.map((entry) => entry.seq) ?? [], status: 'network' };
    calls.push(call);
    const response = await fetch(input, rewrite ? rewrite(name, init ?? {}) : init);
    call.status = response.status;
    return response;
  };
}

async function kioskWith(fetchImpl?: typeof fetch) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-sync-'));
  await writeTenantConfig(dataDir, stack);
  const kiosk = startTestKiosk({ dataDir, fetch: fetchImpl });
  kiosks.push(kiosk);
  return kiosk;
}

const entry = (seq: number, text = `turn ${seq}`): TranscriptEntry => ({
  id: randomUUID(),
  seq,
  speaker: seq % 2 === 0 ? 'interviewer' : 'candidate',
  text,
  timestamp: new Date(Date.now() + seq).toISOString(),
  confidence: 0.9,
  status: 'final',
});

async function startInterview(kiosk: TestKiosk) {
  const sessionId = await createTodaySession(stack);
  if (!(await kiosk.call('proctor.status')).signedIn) await kiosk.call('proctor.signIn', { email: DEMO.proctorEmail, password: DEMO.password });
  const launch = await kiosk.call('proctor.startInterview', { interviewSessionId: sessionId });
  return launch;
}

async function appendAll(kiosk: TestKiosk, interviewSessionId: string, entries: TranscriptEntry[]) {
  for (let offset = 0; offset < entries.length; offset += 100) {
    await kiosk.call('transcript.append', { interviewSessionId, entries: entries.slice(offset, offset + 100) });
  }
}

async function serverEntries(sessionId: string) {
  return stack.sql<{ id: string; seq: number; copies: string }>(
    `select id, seq, count(*) over (partition by id) as copies from public.transcript_entries where interview_session_id = $1 order by seq`,
    [sessionId],
  );
}

async function session(sessionId: string) {
  const [row] = await stack.sql<{ status: string; last_seq: number | null; ended_at: Date | null; last_entry_at: Date | null }>(
    `select s.status, s.last_seq, s.ended_at, (select max(created_at) from public.transcript_entries t where t.interview_session_id = s.id) as last_entry_at
     from public.interview_sessions s where s.id = $1`,
    [sessionId],
  );
  return row!;
}

function expectEndAfterEntries(calls: Call[], interviewId: string, lastSeq: number) {
  const endIndex = calls.findIndex((call) => call.name === 'interview-end' && call.interviewId === interviewId);
  expect(endIndex).toBeGreaterThan(-1);
  const delivered = new Set(
    calls.slice(0, endIndex).filter((call) => call.name === 'interview-transcript' && call.interviewId === interviewId && call.status === 200).flatMap((call) => call.seqs),
  );
  for (let seq = 0; seq <= lastSeq; seq++) expect(delivered.has(seq), `seq ${seq} acknowledged before interview-end`).toBe(true);
  expect(calls.slice(endIndex + 1).some((call) => call.name === 'interview-transcript' && call.interviewId === interviewId)).toBe(false);
}

describe('kiosk main against the backend', () => {
  it('runs an interview end to end: transcript, session log and end land in Postgres once, in order', async () => {
    const calls: Call[] = [];
    const kiosk = await kioskWith(recordingFetch(calls));
    const signedIn = await kiosk.call('proctor.signIn', { email: DEMO.proctorEmail, password: DEMO.password });
    expect(signedIn).toEqual({ signedIn: true, email: DEMO.proctorEmail, activeInterviewSessionId: null });
    expect(JSON.stringify(signedIn)).not.toMatch(/refresh|token/i);
    const { interviews } = await kiosk.call('proctor.listInterviews');
    expect(interviews.map((interview) => interview.id)).toContain(DEMO.templateSessionId);

    const launch = await startInterview(kiosk);
    expect(launch.nextSeq).toBe(0);
    expect(await kiosk.call('interview.current')).toMatchObject({ interviewSessionId: launch.interviewSessionId });
    const entries = Array.from({ length: 30 }, (_, seq) => entry(seq));
    const saved = await kiosk.call('transcript.append', { interviewSessionId: launch.interviewSessionId, entries });
    expect(saved.savedIds).toEqual(entries.map((e) => e.id));
    await kiosk.call('session.events', {
      interviewSessionId: launch.interviewSessionId,
      events: [{ id: randomUUID(), kind: 'webrtc_status', at: new Date().toISOString(), data: { status: 'connected' } }],
    });
    kiosk.core.services().lockdown.record('focus_lost');
    await kiosk.call('interview.finish', { interviewSessionId: launch.interviewSessionId, lastSeq: 29, reason: 'completed' });
    await expect(kiosk.call('transcript.append', { interviewSessionId: launch.interviewSessionId, entries: [entry(30)] })).rejects.toMatchObject({
      code: 'interview.ended',
    });

    await until(async () => (await kiosk.call('sync.status')).pending === 0, 20_000, 'the outbox to drain');
    const rows = await serverEntries(launch.interviewSessionId);
    expect(rows.map((row) => row.seq)).toEqual(entries.map((e) => e.seq));
    expect(rows.every((row) => Number(row.copies) === 1)).toBe(true);
    const events = await stack.sql<{ kind: string }>('select kind from public.session_events where interview_session_id = $1 order by at', [launch.interviewSessionId]);
    expect(kiosk.core.services().outbox.deadLetters()).toEqual([]);
    expect(events.map((event) => event.kind).sort()).toEqual(['lockdown', 'webrtc_status']);
    const closed = await session(launch.interviewSessionId);
    expect(closed).toMatchObject({ status: 'completed', last_seq: 29 });
    expect(closed.ended_at!.getTime()).toBeGreaterThanOrEqual(closed.last_entry_at!.getTime());
    expectEndAfterEntries(calls, launch.interviewSessionId, 29);
    expect((await kiosk.call('proctor.status')).activeInterviewSessionId).toBeNull();
  });

  it('keeps everything while the backend is down and delivers it, in order and once, when it is back', async () => {
    const calls: Call[] = [];
    const kiosk = await kioskWith(recordingFetch(calls));
    const launch = await startInterview(kiosk);
    stack.setFunctionsOnline(false);
    try {
      const entries = Array.from({ length: 240 }, (_, seq) => entry(seq));
      await appendAll(kiosk, launch.interviewSessionId, entries);
      await kiosk.call('interview.finish', { interviewSessionId: launch.interviewSessionId, lastSeq: 239, reason: 'completed' });
      await until(async () => {
        const state = await kiosk.call('sync.status');
        return !state.online && state.lastError !== null && calls.filter((call) => call.status === 'network').length >= 3;
      }, 20_000, 'several failed attempts while offline');
      expect((await kiosk.call('sync.status')).pending).toBe(241);
      expect(await serverEntries(launch.interviewSessionId)).toHaveLength(0);
    } finally {
      stack.setFunctionsOnline(true);
    }
    // Back online: the engine's own timer resumes; nobody has to write anything new.
    await until(async () => (await kiosk.call('sync.status')).pending === 0, 30_000, 'the outbox to drain after the outage');
    const rows = await serverEntries(launch.interviewSessionId);
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 240 }, (_, seq) => seq));
    expect(rows.every((row) => Number(row.copies) === 1)).toBe(true);
    expect(await session(launch.interviewSessionId)).toMatchObject({ status: 'completed', last_seq: 239 });
    expectEndAfterEntries(calls, launch.interviewSessionId, 239);
    const state = await kiosk.call('sync.status');
    expect(state).toMatchObject({ online: true, deadLetters: 0 });
  });

  it('refreshes the device session after a 401 mid-drain and carries on', async () => {
    const calls: Call[] = [];
    let transcriptCalls = 0;
    let refreshGrants = 0;
    const expired = await stack.auth.signAccessToken({ id: randomUUID(), email: DEMO.kioskEmail }, { expiresInSeconds: -60 });
    const kiosk = await kioskWith(async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('grant_type=refresh_token')) refreshGrants++;
      return recordingFetch(calls, (name, request) => {
        // The second transcript batch goes out with a token the server no longer accepts.
        if (name === 'interview-transcript' && ++transcriptCalls === 2) {
          return { ...request, headers: { ...(request.headers as Record<string, string>), authorization: `Bearer ${expired}` } };
        }
        return request;
      })(input, init);
    });
    const launch = await startInterview(kiosk);
    const entries = Array.from({ length: 1_200 }, (_, seq) => entry(seq));
    stack.setFunctionsOnline(false);
    await appendAll(kiosk, launch.interviewSessionId, entries);
    await kiosk.call('interview.finish', { interviewSessionId: launch.interviewSessionId, lastSeq: 1_199, reason: 'completed' });
    stack.setFunctionsOnline(true);
    await kiosk.call('sync.retryNow');
    await until(async () => (await kiosk.call('sync.status')).pending === 0, 30_000, 'the drain to finish');
    expect(calls.filter((call) => call.name === 'interview-transcript').map((call) => call.status)).toContain(401);
    expect(refreshGrants).toBeGreaterThanOrEqual(1);
    const rows = await serverEntries(launch.interviewSessionId);
    expect(rows).toHaveLength(1_200);
    expect(rows.every((row) => Number(row.copies) === 1)).toBe(true);
    expect(await session(launch.interviewSessionId)).toMatchObject({ status: 'completed', last_seq: 1_199 });
    expect((await kiosk.call('sync.status')).deadLetters).toBe(0);
  });

  it('moves a rejected entry to the dead letters without holding back the rest', async () => {
    const calls: Call[] = [];
    const kiosk = await kioskWith(recordingFetch(calls));
    const launch = await startInterview(kiosk);
    const first = Array.from({ length: 20 }, (_, seq) => entry(seq));
    await appendAll(kiosk, launch.interviewSessionId, first);
    await until(async () => (await kiosk.call('sync.status')).pending === 0, 20_000, 'the first entries to sync');
    // A renderer bug reuses seq 5 for a different entry: the server refuses it (entry_conflict).
    stack.setFunctionsOnline(false);
    const clash = entry(5, 'a different turn with a reused seq');
    const rest = Array.from({ length: 30 }, (_, index) => entry(20 + index));
    await kiosk.call('transcript.append', { interviewSessionId: launch.interviewSessionId, entries: [rest[0]!, clash, ...rest.slice(1)] });
    stack.setFunctionsOnline(true);
    await kiosk.call('sync.retryNow');
    await until(async () => (await kiosk.call('sync.status')).pending === 0, 20_000, 'the rest to sync');
    const state = await kiosk.call('sync.status');
    expect(state.deadLetters).toBe(1);
    expect(state.lastError?.code).toBe('entry_conflict');
    const [letter] = kiosk.core.services().outbox.deadLetters();
    expect(letter).toMatchObject({ kind: 'transcript', opKey: clash.id, reasonCode: 'entry_conflict' });
    const rows = await serverEntries(launch.interviewSessionId);
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 50 }, (_, seq) => seq));
    expect(rows.find((row) => row.seq === 5)!.id).toBe(first[5]!.id);
    await kiosk.call('interview.finish', { interviewSessionId: launch.interviewSessionId, lastSeq: 49, reason: 'completed' });
    await until(async () => (await kiosk.call('sync.status')).pending === 0, 20_000, 'the end to sync');
    expect(await session(launch.interviewSessionId)).toMatchObject({ status: 'completed', last_seq: 49 });
  });

  it('closes an interview whose entry the server refused, with the turn stored as lost', async () => {
    const refusedIds = new Set<string>();
    const calls: Call[] = [];
    // The server refuses one entry's content (a stand-in for any refusal the kiosk cannot foresee).
    const kiosk = await kioskWith(
      recordingFetch(calls, (name, init) => {
        if (name !== 'interview-transcript') return init;
        const body = JSON.parse(String(init.body)) as { entries: Array<{ id: string; text: unknown }> };
        for (const wire of body.entries) if (refusedIds.has(wire.id)) wire.text = 42;
        return { ...init, body: JSON.stringify(body) };
      }),
    );
    const launch = await startInterview(kiosk);
    const entries = Array.from({ length: 12 }, (_, seq) => entry(seq));
    refusedIds.add(entries[7]!.id);
    await appendAll(kiosk, launch.interviewSessionId, entries);
    await kiosk.call('interview.finish', { interviewSessionId: launch.interviewSessionId, lastSeq: 11, reason: 'completed' });
    await until(async () => (await kiosk.call('sync.status')).pending === 0, 20_000, 'the interview to sync');
    expect((await kiosk.call('sync.status')).deadLetters).toBe(1);
    expect(kiosk.core.services().outbox.deadLetters()[0]).toMatchObject({ kind: 'transcript', opKey: entries[7]!.id });
    const [lost] = await stack.sql<{ id: string; text: string; status: string }>(
      'select id, text, status from public.transcript_entries where interview_session_id = $1 and seq = 7',
      [launch.interviewSessionId],
    );
    expect(lost).toMatchObject({ text: '', status: 'failed' });
    expect(lost!.id).not.toBe(entries[7]!.id);
    expect(await serverEntries(launch.interviewSessionId)).toHaveLength(12);
    expect(await session(launch.interviewSessionId)).toMatchObject({ status: 'completed', last_seq: 11 });
  });

  it('refuses to start a second interview over the running one', async () => {
    const kiosk = await kioskWith();
    const launch = await startInterview(kiosk);
    await expect(startInterview(kiosk)).rejects.toMatchObject({ code: 'interview.busy' });
    expect((await kiosk.call('proctor.status')).activeInterviewSessionId).toBe(launch.interviewSessionId);
    await kiosk.call('interview.finish', { interviewSessionId: launch.interviewSessionId, lastSeq: -1, reason: 'completed' });
    await expect(startInterview(kiosk)).resolves.toMatchObject({ nextSeq: 0 });
  });

  it('answers config.missing on every config-bound channel when no tenant config was placed', async () => {
    const kiosk = startTestKiosk({ dataDir: mkdtempSync(join(tmpdir(), 'kiosk-unconfigured-')) });
    kiosks.push(kiosk);
    await expect(kiosk.call('config.get')).rejects.toMatchObject({ code: 'config.missing' });
    await expect(kiosk.call('sync.status')).rejects.toMatchObject({ code: 'config.missing' });
    await expect(kiosk.call('app.info')).resolves.toMatchObject({ name: 'interview-kiosk' });
  });

  it('quits only with the proctor PIN', async () => {
    const kiosk = await kioskWith();
    await expect(kiosk.call('proctor.quit', { pin: '000000' })).rejects.toMatchObject({ code: 'proctor.wrong_pin' });
    await expect(kiosk.call('proctor.quit', { pin: DEMO.pin })).resolves.toEqual({ quitting: true });
  });

  it('attack: a 4-digit PIN is refused — answered proctor.pin_format, never checked', async () => {
    const kiosk = await kioskWith();
    await expect(kiosk.call('proctor.quit', { pin: DEMO.pin.slice(0, 4) })).rejects.toMatchObject({
      code: 'proctor.pin_format',
      message: 'The proctor PIN has at least 6 digits.',
    });
  });

  it('attack: a restart does not reset the wrong-PIN lockout (the full core, restarted on the same data folder)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-pin-restart-'));
    await writeTenantConfig(dataDir, stack);
    let now = Date.now();
    const clock = { now: () => now };
    const first = startTestKiosk({ dataDir, clock });
    for (let i = 0; i < 5; i++) await expect(first.call('proctor.quit', { pin: '000000' })).rejects.toMatchObject({ code: 'proctor.wrong_pin' });
    await first.core.dispose();

    const second = startTestKiosk({ dataDir, clock });
    kiosks.push(second);
    await expect(second.call('proctor.quit', { pin: DEMO.pin })).rejects.toMatchObject({ code: 'proctor.pin_locked' });
    now += 30_000;
    await expect(second.call('proctor.quit', { pin: DEMO.pin })).resolves.toEqual({ quitting: true });
  });
});

describe('browser host with the full core', () => {
  it('serves window.kiosk from the real services over the bridge', async () => {
    const { startBrowserHost } = await import('../../../src/host/browser-host');
    const { nodeCoreFactory } = await import('../../../src/host/node-core');
    const { silentLogger } = await import('../../../src/main/platform/logger');
    const { mkdtempSync: temp, writeFileSync } = await import('node:fs');
    const WebSocket = (await import('ws')).default;
    const rendererDir = temp(join(tmpdir(), 'kiosk-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
    const dataDir = temp(join(tmpdir(), 'kiosk-host-'));
    await writeTenantConfig(dataDir, stack);
    const host = await startBrowserHost({ rendererDir, createCore: nodeCoreFactory({ dataDir, logger: silentLogger }) });
    try {
      const socket = new WebSocket(`${host.url.replace('http', 'ws')}bridge`, { origin: host.url.slice(0, -1) });
      const reply = await new Promise<unknown>((resolve, reject) => {
        socket.on('open', () => socket.send(JSON.stringify({ id: 1, channel: 'config.get' })));
        socket.on('message', (data) => resolve(JSON.parse(data.toString())));
        socket.on('error', reject);
      });
      socket.close();
      expect(reply).toMatchObject({ type: 'reply', id: 1, envelope: { ok: true, value: { tenantId: DEMO.tenantId, branding: { organisationName: 'Demo Assessment Centre' } } } });
    } finally {
      await host.close();
    }
  });
});

describe('restart', () => {
  it('resumes the same interview after a restart, with the next seq after what the outbox holds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-restart-'));
    await writeTenantConfig(dataDir, stack);
    const first = startTestKiosk({ dataDir });
    const launch = await startInterview(first);
    stack.setFunctionsOnline(false);
    try {
      await first.call('transcript.append', { interviewSessionId: launch.interviewSessionId, entries: Array.from({ length: 7 }, (_, seq) => entry(seq)) });
      await first.core.dispose();
      const second = startTestKiosk({ dataDir });
      kiosks.push(second);
      const resumed = await second.call('interview.current');
      expect(resumed).toMatchObject({ interviewSessionId: launch.interviewSessionId, nextSeq: 7 });
      expect((await second.call('sync.status')).pending).toBe(7);
      stack.setFunctionsOnline(true);
      // Nobody signs in after the restart: the device identity uploads on its own.
      expect((await second.call('proctor.status')).signedIn).toBe(false);
      await until(async () => (await second.call('sync.status')).pending === 0, 20_000, 'the resumed outbox to drain');
      expect(await serverEntries(launch.interviewSessionId)).toHaveLength(7);
    } finally {
      stack.setFunctionsOnline(true);
    }
  });
});

describe('recording upload', () => {
  it('records through IPC, uploads to the video service in chunks and registers the recording', async () => {
    const { startApiVideoStandIn } = await import('../../support/api-video-stand-in');
    const { webmChunks } = await import('../../support/webm-stream');
    const videoService = await startApiVideoStandIn();
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-recording-'));
      await writeTenantConfig(dataDir, stack, {
        recordingUpload: { provider: 'api.video', uploadUrl: videoService.uploadUrl, uploadToken: videoService.token, chunkBytes: 64 * 1024 },
      });
      const kiosk = startTestKiosk({ dataDir });
      kiosks.push(kiosk);
      const launch = await startInterview(kiosk);
      const { recordingId } = await kiosk.call('recording.start', { interviewSessionId: launch.interviewSessionId, mimeType: 'video/webm;codecs=vp8' });
      let index = 0;
      for (const chunk of webmChunks({ clusters: 20, frameBytes: 600 })) {
        await kiosk.call('recording.chunk', { recordingId, index: index++, bytes: new Uint8Array(chunk) });
      }
      await expect(kiosk.call('recording.chunk', { recordingId, index: index + 1, bytes: new Uint8Array(8) })).rejects.toMatchObject({ code: 'recording.out_of_order' });
      const { bytes } = await kiosk.call('recording.finish', { recordingId, durationMs: 19_800 });
      await kiosk.call('interview.finish', { interviewSessionId: launch.interviewSessionId, lastSeq: -1, reason: 'completed' });
      await until(async () => (await kiosk.call('sync.status')).pending === 0, 30_000, 'the recording upload');
      const [row] = await stack.sql<{ id: string; video_id: string; bytes: string; duration_ms: string }>(
        'select id, video_id, bytes, duration_ms from public.recordings where interview_session_id = $1',
        [launch.interviewSessionId],
      );
      expect(row).toMatchObject({ id: recordingId });
      expect(Number(row!.bytes)).toBe(bytes);
      expect(Number(row!.duration_ms)).toBe(19_800);
      const video = videoService.videos.get(row!.video_id)!;
      expect(video).toMatchObject({ complete: true, total: bytes });
      expect(videoService.requests.length).toBeGreaterThanOrEqual(Math.ceil(bytes / (64 * 1024)));
      expect(await session(launch.interviewSessionId)).toMatchObject({ status: 'completed', last_seq: -1 });
    } finally {
      await videoService.stop();
    }
  });
});
