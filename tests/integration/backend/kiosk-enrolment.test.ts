// Enrolling a kiosk: an admin's one-time code becomes that kiosk's own device identity, once. Replayed,
// expired, superseded and forged codes are refused and create nothing; an enrolled identity reaches its
// own kiosk's interviews only; enrolling a kiosk again retires the identity it had.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { entry, ids, invoke, newClient, scheduleInterview, signedIn, sqlAs, people } from './backend-test-kit';

let stack: BackendStack;
let adminA: SupabaseClient;
let proctorA: SupabaseClient;
let kioskA: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' });
  [adminA, proctorA, kioskA] = await Promise.all([
    signedIn(stack, 'admin@demo.example'),
    signedIn(stack, 'proctor@demo.example'),
    signedIn(stack, 'kiosk-1@demo.example'),
  ]);
});

afterAll(async () => {
  await stack?.stop();
});

interface Enrolled {
  kiosk_id: string;
  tenant_id: string;
  device: { email: string; password: string };
}

async function newKiosk(tenant = ids.tenantA): Promise<string> {
  const id = randomUUID();
  await stack.sql(`insert into public.kiosks (id, tenant_id, name) values ($1, $2, 'Kiosk under test')`, [id, tenant]);
  return id;
}

async function codeFor(kioskId: string, body: Record<string, unknown> = {}): Promise<string> {
  const answer = await invoke<{ code: string; expires_at: string }>(adminA, 'kiosk-enrolment-code', { kiosk_id: kioskId, ...body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.code;
}

/** kiosk-enrol as the enrolling kiosk calls it: no account, only the publishable key and the code. */
async function enrol(code: unknown, kioskId: string) {
  return invoke<Enrolled & { error?: { code: string } }>(newClient(stack), 'kiosk-enrol', { kiosk_id: kioskId, code });
}

async function authUsers(): Promise<number> {
  const [row] = await stack.sql<{ count: number }>('select count(*)::int as count from auth.users');
  return row!.count;
}

describe('issuing a code', () => {
  it('gives a code to an admin of the kiosk\'s centre, stores only its hash, with an expiry', async () => {
    const kiosk = await newKiosk();
    const answer = await invoke<{ code: string; expires_at: string }>(adminA, 'kiosk-enrolment-code', { kiosk_id: kiosk, valid_minutes: 30 });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toMatch(/^[0-9a-f]{32}$/);
    const minutes = (Date.parse(answer.body.expires_at) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(25);
    expect(minutes).toBeLessThanOrEqual(30);
    const rows = await stack.sql<{ row: string }>('select to_jsonb(e)::text as row from private.kiosk_enrolments e where kiosk_id = $1', [kiosk]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).not.toContain(answer.body.code);
  });

  it('refuses proctors, kiosks, other centres\' admins and unknown kiosks the same way', async () => {
    const kiosk = await newKiosk();
    for (const [who, client] of [['proctor', proctorA], ['kiosk', kioskA]] as const) {
      expect(await invoke(client, 'kiosk-enrolment-code', { kiosk_id: kiosk }), who).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    expect(await invoke(adminA, 'kiosk-enrolment-code', { kiosk_id: ids.kioskB })).toMatchObject({ status: 403 });
    expect(await invoke(adminA, 'kiosk-enrolment-code', { kiosk_id: randomUUID() })).toMatchObject({ status: 403 });
    expect(await invoke(adminA, 'kiosk-enrolment-code', { kiosk_id: kiosk, valid_minutes: 60 * 24 * 30 })).toMatchObject({ status: 422 });
    // Nor can any client reach the code table or the service-only functions directly.
    for (const statement of ['select * from private.kiosk_enrolments', `select * from private.claim_kiosk_enrolment('00', '${kiosk}')`, `select * from private.issue_kiosk_enrolment('${kiosk}', interval '1 hour', null)`]) {
      expect((await sqlAs(stack.dbUrl, people.adminA, statement)).errorCode, statement).toBe('42501');
    }
  });
});

describe('redeeming a code (kiosk-enrol)', () => {
  it("creates the kiosk's own identity, which signs in and resumes only its own kiosk's interviews", async () => {
    const kiosk = await newKiosk();
    const answer = await enrol(await codeFor(kiosk), kiosk);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ kiosk_id: kiosk, tenant_id: ids.tenantA });
    expect(answer.body.device.password.length).toBeGreaterThanOrEqual(32);
    const [bound] = await stack.sql<{ device_user_id: string; role: string; email: string }>(
      `select k.device_user_id, tu.role, u.email from public.kiosks k
       join public.tenant_users tu on tu.user_id = k.device_user_id and tu.tenant_id = k.tenant_id
       join auth.users u on u.id = k.device_user_id where k.id = $1`,
      [kiosk],
    );
    expect(bound).toMatchObject({ role: 'kiosk', email: answer.body.device.email });

    const device = newClient(stack);
    expect((await device.auth.signInWithPassword(answer.body.device)).error).toBeNull();
    const own = await scheduleInterview(stack, { status: 'in_progress', kiosk });
    const others = await scheduleInterview(stack, { status: 'in_progress', kiosk: ids.kioskA });
    expect(await invoke(device, 'interview-start', { interview_session_id: own })).toMatchObject({ status: 200 });
    expect(await invoke(device, 'interview-transcript', { interview_session_id: own, entries: [entry(0)] })).toMatchObject({ status: 200 });
    expect((await invoke(device, 'interview-start', { interview_session_id: others })).status).toBe(403);
    expect((await invoke(device, 'interview-transcript', { interview_session_id: others, entries: [entry(0)] })).status).toBe(404);
  });

  it('refuses a replayed code and creates no second identity', async () => {
    const kiosk = await newKiosk();
    const code = await codeFor(kiosk);
    const first = await enrol(code, kiosk);
    expect(first.status).toBe(200);
    const users = await authUsers();
    const replay = await enrol(code, kiosk);
    expect(replay).toMatchObject({ status: 403, body: { error: { code: 'enrolment_refused' } } });
    expect(replay.body).not.toHaveProperty('device');
    expect(await authUsers()).toBe(users);
    const [row] = await stack.sql<{ device_user_id: string }>('select device_user_id from public.kiosks where id = $1', [kiosk]);
    const [firstUser] = await stack.sql<{ id: string }>('select id from auth.users where email = $1', [first.body.device.email]);
    expect(row!.device_user_id).toBe(firstUser!.id);
  });

  it('lets only one of two concurrent redemptions of a code through', async () => {
    const kiosk = await newKiosk();
    const code = await codeFor(kiosk);
    const answers = await Promise.all([enrol(code, kiosk), enrol(code, kiosk), enrol(code, kiosk)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 403, 403]);
  });

  it('refuses an expired code, a code superseded by a newer one, and codes never issued', async () => {
    const kiosk = await newKiosk();
    const expired = await codeFor(kiosk);
    await stack.sql(`update private.kiosk_enrolments set expires_at = now() - interval '1 second' where kiosk_id = $1`, [kiosk]);
    const users = await authUsers();
    expect(await enrol(expired, kiosk)).toMatchObject({ status: 403, body: { error: { code: 'enrolment_refused' } } });

    const older = await codeFor(kiosk);
    const newer = await codeFor(kiosk);
    expect(await enrol(older, kiosk)).toMatchObject({ status: 403, body: { error: { code: 'enrolment_refused' } } });
    expect(await enrol('0'.repeat(32), kiosk)).toMatchObject({ status: 403, body: { error: { code: 'enrolment_refused' } } });
    // Presented for another kiosk, the valid code is refused and stays unspent.
    expect(await enrol(newer, await newKiosk())).toMatchObject({ status: 403, body: { error: { code: 'enrolment_refused' } } });
    expect(await authUsers()).toBe(users);
    expect(await enrol(newer, kiosk)).toMatchObject({ status: 200 });
  });

  it('refuses malformed bodies before touching anything', async () => {
    const kiosk = await newKiosk();
    for (const code of ['', 'not-a-code', 'A'.repeat(32), '0'.repeat(33), 42, null]) {
      expect(await enrol(code, kiosk), JSON.stringify(code)).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
    }
  });

  it('retires the previous identity when a kiosk is enrolled again (a lost or replaced kiosk)', async () => {
    const kiosk = await newKiosk();
    const first = await enrol(await codeFor(kiosk), kiosk);
    const oldDevice = newClient(stack);
    await oldDevice.auth.signInWithPassword(first.body.device);
    const running = await scheduleInterview(stack, { status: 'in_progress', kiosk });
    expect(await invoke(oldDevice, 'interview-transcript', { interview_session_id: running, entries: [entry(0)] })).toMatchObject({ status: 200 });

    const second = await enrol(await codeFor(kiosk), kiosk);
    expect(second.status).toBe(200);
    expect(second.body.device.email).not.toBe(first.body.device.email);
    // The old identity's still-valid access token reaches nothing, and its password no longer signs in.
    expect(await invoke(oldDevice, 'interview-transcript', { interview_session_id: running, entries: [entry(1)] })).toMatchObject({ status: 404 });
    expect((await newClient(stack).auth.signInWithPassword(first.body.device)).error).not.toBeNull();
    const newDevice = newClient(stack);
    await newDevice.auth.signInWithPassword(second.body.device);
    expect(await invoke(newDevice, 'interview-transcript', { interview_session_id: running, entries: [entry(1)] })).toMatchObject({ status: 200 });
  });

  it('revokes a lost kiosk by deleting its row: its identity reaches nothing', async () => {
    const kiosk = await newKiosk();
    const enrolled = await enrol(await codeFor(kiosk), kiosk);
    const device = newClient(stack);
    await device.auth.signInWithPassword(enrolled.body.device);
    const running = await scheduleInterview(stack, { status: 'in_progress', kiosk });
    expect(await invoke(device, 'interview-start', { interview_session_id: running })).toMatchObject({ status: 200 });
    await stack.sql(`update public.interview_sessions set kiosk_id = null where id = $1`, [running]);
    await stack.sql(`delete from public.kiosks where id = $1`, [kiosk]);
    expect((await invoke(device, 'interview-start', { interview_session_id: running })).status).toBe(403);
    expect((await invoke(device, 'interview-transcript', { interview_session_id: running, entries: [entry(0)] })).status).toBe(404);
  });
});
