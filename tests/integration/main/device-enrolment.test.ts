// Main enrolling its kiosk against the real backend: the tenant config carries only a one-time code;
// main redeems it for this kiosk's own identity, keeps the credentials encrypted at rest, removes the
// code from the file and uploads as that identity, across restarts. A replayed or expired code gives
// nothing; the pre-enrolment `{ email, password }` config loses its password once it is stored encrypted.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../src/shared/domain/transcript';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { createTodaySession, DEMO, issueEnrolmentCode, startTestKiosk, until, writeTenantConfig, type TestKiosk } from '../../support/kiosk-core-fixture';

const kioskA2 = '00000000-0000-4000-8000-000000000103'; // seeded with kiosk-2@demo.example
let stack: BackendStack;
const running: TestKiosk[] = [];

beforeAll(async () => {
  stack = await startBackendStack();
});
afterAll(async () => {
  for (const kiosk of running) await kiosk.core.dispose();
  await stack?.stop();
});

function start(dataDir: string, tokenKey?: Uint8Array): TestKiosk {
  const kiosk = startTestKiosk({ dataDir, tokenKey });
  running.push(kiosk);
  return kiosk;
}

async function stop(kiosk: TestKiosk) {
  running.splice(running.indexOf(kiosk), 1);
  await kiosk.core.dispose();
}

const entry = (seq: number): TranscriptEntry => ({
  id: randomUUID(),
  seq,
  speaker: seq % 2 === 0 ? 'interviewer' : 'candidate',
  text: `turn ${seq}`,
  timestamp: new Date().toISOString(),
  confidence: 0.9,
  status: 'final',
});

/** A proctor starts an interview on the kiosk; the kiosk's device identity uploads its entries. */
async function uploadsAsDevice(kiosk: TestKiosk): Promise<void> {
  const sessionId = await createTodaySession(stack);
  if (!(await kiosk.call('proctor.status')).signedIn) await kiosk.call('proctor.signIn', { email: DEMO.proctorEmail, password: DEMO.password });
  await kiosk.call('proctor.startInterview', { interviewSessionId: sessionId });
  await kiosk.call('transcript.append', { interviewSessionId: sessionId, entries: [entry(0), entry(1)] });
  await until(async () => {
    const [row] = await stack.sql<{ count: number }>('select count(*)::int as count from public.transcript_entries where interview_session_id = $1', [sessionId]);
    return row!.count === 2;
  }, 20_000, 'the entries to reach the backend');
  await kiosk.call('interview.finish', { interviewSessionId: sessionId, lastSeq: 1, reason: 'completed' });
  await until(async () => {
    const [row] = await stack.sql<{ status: string }>('select status from public.interview_sessions where id = $1', [sessionId]);
    return row!.status === 'completed';
  }, 20_000, 'the interview to end');
}

async function deviceUserOf(kioskId: string) {
  const [row] = await stack.sql<{ id: string | null; email: string | null }>(
    'select u.id, u.email from public.kiosks k left join auth.users u on u.id = k.device_user_id where k.id = $1',
    [kioskId],
  );
  return row!;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('enrolling a kiosk', () => {
  it('redeems the code for its own identity, uploads as it, and leaves no secret in the tenant config', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-enrol-'));
    const tokenKey = randomBytes(32);
    const code = await issueEnrolmentCode(stack);
    const configPath = await writeTenantConfig(dataDir, stack, { device: { enrolmentCode: code } });
    const before = await deviceUserOf(DEMO.kioskId);

    const kiosk = start(dataDir, tokenKey);
    await uploadsAsDevice(kiosk);

    const after = await deviceUserOf(DEMO.kioskId);
    expect(after.id).not.toBe(before.id);
    expect(after.email).toMatch(/^kiosk-.*@devices\.invalid$/);
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    expect(config).not.toHaveProperty('device');
    expect(config).toMatchObject({ tenantId: DEMO.tenantId, kioskId: DEMO.kioskId });
    const text = readFileSync(configPath, 'utf8');
    expect(text).not.toContain(code);
    expect(text).not.toMatch(/password/i);
    // What main keeps is encrypted: no file under the data dir shows the identity's e-mail in clear.
    for (const file of filesUnder(dataDir)) expect(readFileSync(file).includes(after.email!), file).toBe(false);

    // After a restart whose device session is gone, the stored credentials sign in again.
    await stop(kiosk);
    for (const file of filesUnder(join(dataDir, 'sessions'))) if (file.includes('kiosk-auth-device')) rmSync(file);
    const restarted = start(dataDir, tokenKey);
    await uploadsAsDevice(restarted);
    expect((await deviceUserOf(DEMO.kioskId)).id).toBe(after.id);
  });

  it('refuses a replayed code: a second kiosk presenting it gets no identity', async () => {
    const code = await issueEnrolmentCode(stack);
    const first = start(mkdtempSync(join(tmpdir(), 'kiosk-enrol-')), randomBytes(32));
    await writeTenantConfig(first.platform.dataDir, stack, { device: { enrolmentCode: code } });
    await stop(first);
    const owner = start(first.platform.dataDir, randomBytes(32));
    await owner.core.services().device.accessToken();
    const enrolled = await deviceUserOf(DEMO.kioskId);

    const copyDir = mkdtempSync(join(tmpdir(), 'kiosk-replay-'));
    const copyConfig = await writeTenantConfig(copyDir, stack, { device: { enrolmentCode: code } });
    const copy = start(copyDir, randomBytes(32));
    await expect(copy.core.services().device.accessToken()).rejects.toMatchObject({ code: 'auth.enrolment_refused' });
    expect(await deviceUserOf(DEMO.kioskId)).toEqual(enrolled);
    // The spent code is gone from the copy's file too; nothing else there can sign in.
    expect(JSON.parse(readFileSync(copyConfig, 'utf8'))).not.toHaveProperty('device');
  });

  it('refuses an expired code', async () => {
    const code = await issueEnrolmentCode(stack, kioskA2);
    await stack.sql(`update private.kiosk_enrolments set expires_at = now() - interval '1 second' where kiosk_id = $1`, [kioskA2]);
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-expired-'));
    await writeTenantConfig(dataDir, stack, { kioskId: kioskA2, device: { enrolmentCode: code } });
    const kiosk = start(dataDir, randomBytes(32));
    await expect(kiosk.core.services().device.accessToken()).rejects.toMatchObject({ code: 'auth.enrolment_refused' });
    expect((await deviceUserOf(kioskA2)).email).toBe('kiosk-2@demo.example');
  });

  it("refuses another kiosk's code without spending it or touching that kiosk's identity", async () => {
    const code = await issueEnrolmentCode(stack, kioskA2);
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-mismatch-'));
    await writeTenantConfig(dataDir, stack, { device: { enrolmentCode: code } });
    const kiosk = start(dataDir, randomBytes(32));
    await expect(kiosk.core.services().device.accessToken()).rejects.toMatchObject({ code: 'auth.enrolment_refused' });
    expect((await deviceUserOf(kioskA2)).email).toBe('kiosk-2@demo.example');
    const [unspent] = await stack.sql<{ claimed_at: Date | null }>(
      'select claimed_at from private.kiosk_enrolments where kiosk_id = $1 order by created_at desc limit 1',
      [kioskA2],
    );
    expect(unspent!.claimed_at).toBeNull();
  });
});

describe('the pre-enrolment { email, password } config', () => {
  it('signs in, stores the credentials encrypted and removes the password from the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-legacy-'));
    const configPath = await writeTenantConfig(dataDir, stack, { kioskId: kioskA2, device: { email: 'kiosk-2@demo.example', password: DEMO.password } });
    const tokenKey = randomBytes(32);
    const kiosk = start(dataDir, tokenKey);
    await kiosk.core.services().device.accessToken();
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { device?: Record<string, unknown> };
    expect(config.device).toEqual({ email: 'kiosk-2@demo.example' });
    expect(readFileSync(configPath, 'utf8')).not.toContain(DEMO.password);

    await stop(kiosk);
    for (const file of filesUnder(join(dataDir, 'sessions'))) if (file.includes('kiosk-auth-device')) rmSync(file);
    const restarted = start(dataDir, tokenKey);
    await expect(restarted.core.services().device.accessToken()).resolves.toEqual(expect.any(String));
  });

  it('keeps the password where no keyring can hold it (memory-only tokens), so the kiosk still starts next time', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-legacy-'));
    const configPath = await writeTenantConfig(dataDir, stack, { kioskId: kioskA2, device: { email: 'kiosk-2@demo.example', password: DEMO.password } });
    const kiosk = start(dataDir);
    await kiosk.core.services().device.accessToken();
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toMatchObject({ device: { email: 'kiosk-2@demo.example', password: DEMO.password } });
  });
});
