// Main's memory of the running interview for a reloaded kiosk window: the room's start and the
// committed transcript, kept in the kiosk database across a restart of main itself.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AuthSession } from '../../../../src/main/identity/auth-session';
import { createInterviewRegistry } from '../../../../src/main/interviews/interview-registry';
import { createInterviewService } from '../../../../src/main/interviews/interview-service';
import { openKioskDatabase, type KioskDatabase } from '../../../../src/main/platform/kiosk-database';
import { silentLogger } from '../../../../src/main/platform/logger';
import type { BackendClient } from '../../../../src/main/sync/backend-client';
import { createOutbox } from '../../../../src/main/sync/outbox';
import { ipcContract } from '../../../../src/shared/ipc-contract';
import type { TranscriptEntry } from '../../../../src/shared/domain/transcript';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const entry = (seq: number, over: Partial<TranscriptEntry> = {}): TranscriptEntry => ({
  id: randomUUID(),
  seq,
  speaker: seq % 2 === 0 ? 'interviewer' : 'candidate',
  text: `turn ${seq}`,
  timestamp: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
  status: 'final',
  ...over,
});

const backend: BackendClient = {
  async invoke<T>(name: string, body: unknown, _token: string, reply: z.ZodType<T>) {
    if (name !== 'interview-start') throw new Error(`unexpected call ${name}`);
    const id = (body as { interview_session_id: string }).interview_session_id;
    return reply.parse({
      session: { id, status: 'in_progress', started_at: new Date().toISOString() },
      candidate: { id: randomUUID(), name: 'Candidate' },
      position: { id: randomUUID(), title: 'Engineer' },
      proxy: { url: 'wss://proxy.test/session', token: 'proxy-token', expires_at: new Date(Date.now() + 3_600_000).toISOString() },
      session_config: 'config',
      policies: { max_duration_minutes: 30, consent_text: 'ok', recording: false },
      next_seq: 0,
    });
  },
};

/** Main as the kiosk builds it: registry and outbox on one database, appends in one transaction. */
function mainOn(db: KioskDatabase) {
  const outbox = createOutbox(db);
  const interviews = createInterviewService({
    registry: createInterviewRegistry(db, Date),
    outbox,
    proctor: { accessToken: async () => 'proctor-token' } as unknown as AuthSession,
    deviceToken: async () => 'device-token',
    backend,
    clock: Date,
    logger: silentLogger,
    requestRendererEnd: () => {},
    onQueued: () => {},
    atomically: (work) => db.transaction(work)(),
  });
  return { interviews, outbox };
}

function dbFile() {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-resume-'));
  dirs.push(dir);
  return join(dir, 'outbox.sqlite');
}

describe('interview resume memory', () => {
  it('survives a restart of main: the room start and every entry, in seq order', async () => {
    const path = dbFile();
    const id = randomUUID();
    const entries = [entry(0), entry(1), entry(2)];
    const startedAt = new Date(Date.now() - 90_000).toISOString();
    {
      const db = openKioskDatabase(path);
      const { interviews, outbox } = mainOn(db);
      await interviews.start(id);
      expect(interviews.roomOpened(id, startedAt)).toBe(startedAt);
      // Out of order on purpose: the resume answer is ordered by seq, not by arrival.
      interviews.appendTranscript(id, [entries[2]!]);
      interviews.appendTranscript(id, [entries[0]!, entries[1]!]);
      // Uploaded entries leave the outbox; the resume copy must not depend on it.
      outbox.ack(outbox.nextBatch('data')!.ops.map((op) => op.id));
      expect(outbox.pendingKeys(id, 'transcript')).toEqual([]);
      db.close();
    }
    const db = openKioskDatabase(path);
    const { interviews } = mainOn(db);
    const resume = await interviews.resume();
    expect(resume?.launch.interviewSessionId).toBe(id);
    expect(resume?.launch.nextSeq).toBe(3);
    expect(resume?.roomStartedAt).toBe(startedAt);
    expect(resume?.transcript).toEqual(entries);
    // What main answers passes the contract the renderer checks it against.
    expect(ipcContract['interview.resume'].response.parse(resume)).toEqual(resume);
    db.close();
  });

  it('keeps the first room start: a second report (a reloaded window pressing on) does not move the clock', async () => {
    const { interviews } = mainOn(openKioskDatabase(':memory:'));
    const id = randomUUID();
    await interviews.start(id);
    const first = new Date(Date.now() - 60_000).toISOString();
    interviews.roomOpened(id, first);
    expect(interviews.roomOpened(id, new Date().toISOString())).toBe(first);
    expect((await interviews.resume())?.roomStartedAt).toBe(first);
  });

  it('has no room start before the candidate entered the room', async () => {
    const { interviews } = mainOn(openKioskDatabase(':memory:'));
    const id = randomUUID();
    await interviews.start(id);
    interviews.appendTranscript(id, [entry(0)]);
    const resume = await interviews.resume();
    expect(resume?.roomStartedAt).toBeNull();
    expect(resume?.transcript).toHaveLength(1);
  });

  it('puts a correction in its stand-in’s place, and ignores a replay or a stray entry for a taken seq', async () => {
    const { interviews } = mainOn(openKioskDatabase(':memory:'));
    const id = randomUUID();
    await interviews.start(id);
    const standIn = entry(1, { speaker: 'candidate', text: '', status: 'failed' });
    interviews.appendTranscript(id, [entry(0), standIn, entry(2)]);
    const correction = entry(1, { speaker: 'candidate', text: 'what I actually said', corrects: standIn.id });
    interviews.appendTranscript(id, [correction]);
    // The handoff retries a batch it did not hear back about: the stand-in arrives again.
    interviews.appendTranscript(id, [standIn]);
    // Another entry claiming seq 1 without correcting it does not replace the turn.
    interviews.appendTranscript(id, [entry(1, { text: 'stray' })]);
    const transcript = (await interviews.resume())!.transcript;
    expect(transcript.map((kept) => kept.seq)).toEqual([0, 1, 2]);
    expect(transcript[1]).toEqual(correction);
  });

  it('refuses a room start for an unknown or ended interview, in the future, or not a date', async () => {
    const { interviews } = mainOn(openKioskDatabase(':memory:'));
    const id = randomUUID();
    expect(() => interviews.roomOpened(id, new Date().toISOString())).toThrow(expect.objectContaining({ code: 'interview.not_active' }));
    await interviews.start(id);
    expect(() => interviews.roomOpened(id, new Date(Date.now() + 10 * 60_000).toISOString())).toThrow(
      expect.objectContaining({ code: 'interview.bad_room_start' }),
    );
    expect(() => interviews.roomOpened(id, 'yesterday')).toThrow(expect.objectContaining({ code: 'interview.bad_room_start' }));
    expect((await interviews.resume())?.roomStartedAt).toBeNull();
    interviews.finish(id, -1, 'completed');
    expect(() => interviews.roomOpened(id, new Date().toISOString())).toThrow(expect.objectContaining({ code: 'interview.ended' }));
  });

  it('refuses bad requests at the IPC boundary', () => {
    const request = ipcContract['interview.roomOpened'].request;
    expect(request.safeParse({ interviewSessionId: randomUUID(), startedAt: new Date().toISOString() }).success).toBe(true);
    expect(request.safeParse({ interviewSessionId: 'not-a-uuid', startedAt: new Date().toISOString() }).success).toBe(false);
    expect(request.safeParse({ interviewSessionId: randomUUID(), startedAt: 1_700_000_000_000 }).success).toBe(false);
    expect(request.safeParse({ interviewSessionId: randomUUID() }).success).toBe(false);
  });

  it('refuses an invalid entry without keeping any of its batch in the outbox or the resume copy', async () => {
    const { interviews, outbox } = mainOn(openKioskDatabase(':memory:'));
    const id = randomUUID();
    await interviews.start(id);
    const bad = { ...entry(1), corrects: undefined, generatedText: 'only for interrupted interviewer turns' } as TranscriptEntry;
    expect(() => interviews.appendTranscript(id, [entry(0), bad])).toThrow();
    expect(outbox.pendingKeys(id, 'transcript')).toEqual([]);
    expect((await interviews.resume())!.transcript).toEqual([]);
  });

  it('forgets the transcript once the interview ended: nothing of it is resumed or kept for the next one', async () => {
    const db = openKioskDatabase(':memory:');
    const { interviews } = mainOn(db);
    const id = randomUUID();
    await interviews.start(id);
    interviews.appendTranscript(id, [entry(0)]);
    interviews.finish(id, 0, 'completed');
    expect(await interviews.resume()).toBeNull();
    expect(db.prepare('select count(*) as n from interview_transcript').get()).toEqual({ n: 0 });
  });
});
