import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { TranscriptEntry } from '../../../../src/shared/domain/transcript';
import type { AuthSession } from '../../../../src/main/identity/auth-session';
import type { BackendClient } from '../../../../src/main/sync/backend-client';
import { createInterviewRegistry } from '../../../../src/main/interviews/interview-registry';
import { createInterviewService } from '../../../../src/main/interviews/interview-service';
import { openKioskDatabase } from '../../../../src/main/platform/kiosk-database';
import { silentLogger } from '../../../../src/main/platform/logger';
import { createOutbox } from '../../../../src/main/sync/outbox';

const entry = (seq: number): TranscriptEntry => ({
  id: randomUUID(),
  seq,
  speaker: 'candidate',
  text: `turn ${seq}`,
  timestamp: new Date().toISOString(),
  status: 'final',
});

function setup(kioskId?: string) {
  const db = openKioskDatabase(':memory:');
  const outbox = createOutbox(db);
  const starts: string[] = [];
  const bodies: unknown[] = [];
  // The backend's interview-start reply, as the edge function shapes it.
  const backend: BackendClient = {
    async invoke<T>(name: string, body: unknown, _token: string, reply: z.ZodType<T>) {
      if (name !== 'interview-start') throw new Error(`unexpected call ${name}`);
      const id = (body as { interview_session_id: string }).interview_session_id;
      starts.push(id);
      bodies.push(body);
      return reply.parse({
        session: { id, status: 'in_progress', started_at: new Date().toISOString() },
        candidate: { id: randomUUID(), name: `Candidate ${starts.length}` },
        position: { id: randomUUID(), title: 'Engineer' },
        proxy: { url: 'wss://proxy.test/session', token: 'proxy-token', expires_at: new Date(Date.now() + 3_600_000).toISOString() },
        session_config: 'config',
        policies: { max_duration_minutes: 30, consent_text: 'ok', recording: false },
        next_seq: 0,
      });
    },
  };
  const proctor = { accessToken: async () => 'proctor-token' } as unknown as AuthSession;
  const interviews = createInterviewService({
    registry: createInterviewRegistry(db, Date),
    outbox,
    proctor,
    deviceToken: async () => 'device-token',
    backend,
    clock: Date,
    logger: silentLogger,
    requestRendererEnd: () => {},
    onQueued: () => {},
    kioskId,
  });
  return { interviews, outbox, starts, bodies };
}

describe('interview service', () => {
  it("names this kiosk's row when it starts an interview, so the backend binds the interview to it", async () => {
    const kioskId = randomUUID();
    const { interviews, bodies } = setup(kioskId);
    const id = randomUUID();
    await interviews.start(id);
    expect(bodies).toEqual([{ interview_session_id: id, kiosk_id: kioskId }]);
  });

  it('refuses to start a second interview while one runs, and keeps the first one whole', async () => {
    const { interviews, outbox, starts } = setup();
    const first = randomUUID();
    const second = randomUUID();
    await interviews.start(first);
    await expect(interviews.start(second)).rejects.toMatchObject({ code: 'interview.busy', message: expect.stringMatching(/end it/) });
    // Refused before the backend was asked: the second interview is not opened on the server either.
    expect(starts).toEqual([first]);
    expect(interviews.activeId()).toBe(first);
    // The first interview still takes its words and closes normally.
    interviews.appendTranscript(first, [entry(0), entry(1)]);
    interviews.finish(first, 1, 'completed');
    expect(outbox.pendingKeys(first, 'end')).toEqual([`end:${first}`]);
    // Now the second one may start.
    await interviews.start(second);
    expect(interviews.activeId()).toBe(second);
  });

  it('lets the running interview be resumed by starting it again', async () => {
    const { interviews } = setup();
    const id = randomUUID();
    await interviews.start(id);
    await expect(interviews.start(id)).resolves.toMatchObject({ interviewSessionId: id });
    expect(interviews.activeId()).toBe(id);
  });

  it('refuses the loser of two starts racing for an idle kiosk', async () => {
    const { interviews } = setup();
    const results = await Promise.allSettled([interviews.start(randomUUID()), interviews.start(randomUUID())]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'interview.busy' } });
  });

  it('queues the end and marks the interview ended together or not at all', async () => {
    const db = openKioskDatabase(':memory:');
    const outbox = createOutbox(db);
    const registry = createInterviewRegistry(db, Date);
    const { interviews: reference } = setup();
    const launch = await reference.start(randomUUID());
    registry.activate(launch);
    const failingRegistry = {
      ...registry,
      markEnded: () => {
        throw new Error('disk full');
      },
    };
    const interviews = createInterviewService({
      registry: failingRegistry,
      outbox,
      proctor: { accessToken: async () => 'proctor-token' } as unknown as AuthSession,
      deviceToken: async () => 'device-token',
      backend: { invoke: async () => Promise.reject(new Error('not called')) } as unknown as BackendClient,
      clock: Date,
      logger: silentLogger,
      requestRendererEnd: () => {},
      onQueued: () => {},
      atomically: (work) => db.transaction(work)(),
    });
    expect(() => interviews.finish(launch.interviewSessionId, -1, 'completed')).toThrow('disk full');
    // No end without the ended mark: a restart resumes the interview and ends it properly.
    expect(outbox.pendingKeys(launch.interviewSessionId, 'end')).toEqual([]);
    expect(registry.active()?.launch.interviewSessionId).toBe(launch.interviewSessionId);
  });
});
