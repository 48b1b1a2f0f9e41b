// Limits a signed-in client cannot lift: where a tenant's proxy runs (it decides which image the
// backend's Fly token starts with which secrets), and how large a sequence number may grow (gap checks
// walk 0..last_seq).
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { entry, ids, invoke, people, scheduleInterview, signedIn, sqlAs } from './backend-test-kit';

let stack: BackendStack;
let kioskA: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' });
  kioskA = await signedIn(stack, 'kiosk-1@demo.example');
});

afterAll(async () => {
  await stack?.stop();
});

describe('tenant settings', () => {
  it("lets an admin edit the centre's own settings", async () => {
    const outcome = await sqlAs(stack.dbUrl, people.adminA, `update public.tenants set consent_text = 'Updated consent.', max_duration_minutes = 30 where id = $1`, [ids.tenantA]);
    expect(outcome.errorCode).toBeUndefined();
  });

  it.each([
    "proxy_strategy = 'dedicated'",
    "proxy_url = 'wss://attacker.example/v1/signal'",
    "fly_app_name = 'another-tenants-app'",
    "fly_image = 'registry.example/attacker:latest'",
    "fly_region = 'ams'",
  ])('refuses an admin changing where the proxy runs: %s', async (assignment) => {
    const outcome = await sqlAs(stack.dbUrl, people.adminA, `update public.tenants set ${assignment} where id = $1`, [ids.tenantA], { commit: true });
    expect(outcome.errorCode).toBe('42501');
  });
});

describe('sequence numbers', () => {
  it('refuses entries and ends whose seq is beyond any real interview, before touching the database', async () => {
    const running = await scheduleInterview(stack, { status: 'in_progress' });
    const entries = await invoke(kioskA, 'interview-transcript', { interview_session_id: running, entries: [entry(100_001)] });
    expect(entries).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
    const end = await invoke(kioskA, 'interview-end', { interview_session_id: running, last_seq: 2_000_000_000, reason: 'completed' });
    expect(end).toMatchObject({ status: 422 });
    expect(await invoke(kioskA, 'interview-transcript', { interview_session_id: running, entries: [entry(100_000)] })).toMatchObject({ status: 200 });
  });

  it('holds the bound in the database too', async () => {
    const running = await scheduleInterview(stack, { status: 'in_progress' });
    const e = entry(2_000_000_000);
    const outcome = await sqlAs(
      stack.dbUrl,
      people.kioskA,
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp") values ($1, $2, $3, $4, $5, $6, $7)`,
      [e.id, running, ids.tenantA, e.seq, e.speaker, e.text, e.timestamp],
    );
    expect(outcome.errorCode).toBe('23514');
  });
});

describe('position briefs', () => {
  it('refuses a brief too large for the signed session config when the admin saves it', async () => {
    const brief = 'Ask about distributed systems. '.repeat(1_000);
    const outcome = await sqlAs(stack.dbUrl, people.adminA, `update public.positions set instructions = $1 where tenant_id = $2`, [brief, ids.tenantA]);
    expect(outcome.errorCode).toBe('23514');
  });
});
