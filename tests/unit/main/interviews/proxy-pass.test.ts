// interview.proxyPass in main: a fresh pass per connection from interview-start, the backend's refusal
// turned into interview.ended, and the current pass reused only while the backend is unreachable and
// the pass still has more than a minute left.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AuthSession } from '../../../../src/main/identity/auth-session';
import { createInterviewRegistry } from '../../../../src/main/interviews/interview-registry';
import { createInterviewService } from '../../../../src/main/interviews/interview-service';
import { openKioskDatabase } from '../../../../src/main/platform/kiosk-database';
import { silentLogger } from '../../../../src/main/platform/logger';
import { BackendFailure, type BackendClient } from '../../../../src/main/sync/backend-client';
import { createOutbox } from '../../../../src/main/sync/outbox';

type Mode = 'ok' | 'offline' | 'ended' | 'kiosk_forbidden' | 'server_error';

function setup() {
  const db = openKioskDatabase(':memory:');
  let mode: Mode = 'ok';
  let issued = 0;
  let now = Date.now();
  const backend: BackendClient = {
    async invoke<T>(_name: string, body: unknown, _token: string, reply: z.ZodType<T>) {
      if (mode === 'offline') throw new BackendFailure('network', null, 'sync.network', 'unreachable');
      if (mode === 'ended') throw new BackendFailure('http', 409, 'not_startable', 'This interview is completed and cannot be started again.');
      if (mode === 'kiosk_forbidden') throw new BackendFailure('http', 403, 'forbidden', 'A proctor must start this interview.');
      if (mode === 'server_error') throw new BackendFailure('http', 500, 'internal_error', 'Something went wrong on our side.');
      issued += 1;
      const id = (body as { interview_session_id: string }).interview_session_id;
      return reply.parse({
        session: { id, status: 'in_progress', started_at: new Date(now).toISOString() },
        candidate: { id: randomUUID(), name: 'Ada' },
        position: { id: randomUUID(), title: 'Engineer' },
        proxy: { url: 'wss://proxy.test/v1/signal', token: `token-${issued}`, expires_at: new Date(now + 900_000).toISOString() },
        session_config: `sealed-${issued}`,
        policies: { max_duration_minutes: 30, consent_text: 'ok', recording: false },
        next_seq: 0,
      });
    },
  };
  const interviews = createInterviewService({
    registry: createInterviewRegistry(db, Date),
    outbox: createOutbox(db),
    proctor: { accessToken: async () => 'proctor-token' } as unknown as AuthSession,
    deviceToken: async () => 'device-token',
    backend,
    clock: { now: () => now },
    logger: silentLogger,
    requestRendererEnd: () => {},
    onQueued: () => {},
  });
  return {
    interviews,
    setMode: (next: Mode) => (mode = next),
    advance: (ms: number) => (now += ms),
  };
}

describe('interview.proxyPass', () => {
  it('asks the backend for a new pass every time', async () => {
    const { interviews } = setup();
    const { interviewSessionId } = await interviews.start(randomUUID());
    expect(await interviews.proxyPass(interviewSessionId)).toMatchObject({ token: 'token-2', sessionConfigToken: 'sealed-2' });
    expect(await interviews.proxyPass(interviewSessionId)).toMatchObject({ token: 'token-3', sessionConfigToken: 'sealed-3' });
    // The registry keeps the newest launch, so a reloaded window resumes with it.
    expect((await interviews.current())?.proxy.token).toBe('token-3');
  });

  it('turns the backend refusing a running interview (409 for staff, 403 for the kiosk) into interview.ended; other failures stay what they are', async () => {
    const { interviews, setMode } = setup();
    const { interviewSessionId } = await interviews.start(randomUUID());
    for (const mode of ['ended', 'kiosk_forbidden'] as const) {
      setMode(mode);
      await expect(interviews.proxyPass(interviewSessionId), mode).rejects.toMatchObject({ code: 'interview.ended' });
    }
    setMode('server_error');
    await expect(interviews.proxyPass(interviewSessionId)).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('offline, hands back the current pass while it has over a minute left, and then nothing', async () => {
    const { interviews, setMode, advance } = setup();
    const { interviewSessionId } = await interviews.start(randomUUID());
    setMode('offline');
    expect(await interviews.proxyPass(interviewSessionId)).toMatchObject({ token: 'token-1' });
    advance(900_000 - 30_000);
    await expect(interviews.proxyPass(interviewSessionId)).rejects.toMatchObject({ code: 'sync.network' });
  });

  it('gives no pass for an interview that ended on this kiosk, or one it never ran, without asking the backend', async () => {
    const { interviews, setMode } = setup();
    const { interviewSessionId } = await interviews.start(randomUUID());
    interviews.finish(interviewSessionId, -1, 'completed');
    setMode('ok');
    await expect(interviews.proxyPass(interviewSessionId)).rejects.toMatchObject({ code: 'interview.ended' });
    await expect(interviews.proxyPass(randomUUID())).rejects.toMatchObject({ code: 'interview.not_active' });
  });
});
