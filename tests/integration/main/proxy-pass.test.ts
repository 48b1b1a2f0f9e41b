// Proxy passes through main against the real backend: every connection of the kiosk's proxy socket
// gets a fresh token from interview-start, and once the interview has ended on the server the backend
// refuses and main says `interview.ended` (the renderer then closes the room as ended, tested in
// tests/renderer/interview-controller.test.ts and tests/unit/renderer/realtime/realtime-session.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { createTodaySession, DEMO, startTestKiosk, writeTenantConfig, type TestKiosk } from '../../support/kiosk-core-fixture';

let stack: BackendStack;
const kiosks: TestKiosk[] = [];

beforeAll(async () => {
  stack = await startBackendStack();
});
afterAll(async () => {
  for (const kiosk of kiosks) await kiosk.core.dispose();
  await stack?.stop();
});

async function runningInterview() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-pass-'));
  await writeTenantConfig(dataDir, stack);
  const kiosk = startTestKiosk({ dataDir });
  kiosks.push(kiosk);
  await kiosk.call('proctor.signIn', { email: DEMO.proctorEmail, password: DEMO.password });
  const launch = await kiosk.call('proctor.startInterview', { interviewSessionId: await createTodaySession(stack) });
  return { kiosk, launch };
}

describe('interview.proxyPass', () => {
  it('hands out a new token (a new jti) and session config for every connection, also with only the device identity signed in', async () => {
    const { kiosk, launch } = await runningInterview();
    const first = await kiosk.call('interview.proxyPass', { interviewSessionId: launch.interviewSessionId });
    const second = await kiosk.call('interview.proxyPass', { interviewSessionId: launch.interviewSessionId });
    const jtis = [launch.proxy.token, first.token, second.token].map((token) => decodeJwt(token).jti);
    expect(new Set(jtis).size).toBe(3);
    expect(decodeJwt(second.token).sub).toBe(launch.interviewSessionId);
    expect(second.sessionConfigToken).not.toBe(first.sessionConfigToken);
    // The proctor signs out mid-interview: the kiosk's own identity renews the pass.
    await kiosk.call('proctor.signOut');
    const byDevice = await kiosk.call('interview.proxyPass', { interviewSessionId: launch.interviewSessionId });
    expect(decodeJwt(byDevice.token).jti).not.toBe(jtis[2]);
  });

  it('attack: a reconnection after the interview ended on the server gets no token — the backend refuses and main answers interview.ended', async () => {
    const { kiosk, launch } = await runningInterview();
    await stack.sql(`update public.interview_sessions set status = 'completed', ended_at = now(), end_reason = 'proctor' where id = $1`, [launch.interviewSessionId]);
    await expect(kiosk.call('interview.proxyPass', { interviewSessionId: launch.interviewSessionId })).rejects.toMatchObject({ code: 'interview.ended' });
    // With only the device identity (as after the proctor left), the answer is the same.
    await kiosk.call('proctor.signOut');
    await expect(kiosk.call('interview.proxyPass', { interviewSessionId: launch.interviewSessionId })).rejects.toMatchObject({ code: 'interview.ended' });
    // Not an interview of this kiosk at all: refused before the backend is asked.
    await expect(kiosk.call('interview.proxyPass', { interviewSessionId: DEMO.templateSessionId })).rejects.toMatchObject({ code: 'interview.not_active' });
  });
});
