// Builds main's real core (the same one Electron and the browser host run) against a backend stack:
// writes the tenant config an administrator would place, and calls channels the way a renderer does.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcChannel, IpcRequest, IpcResponse } from '../../src/shared/ipc-contract';
import { createKioskCore, type KioskCore } from '../../src/main/kiosk-core';
import type { KioskPlatform } from '../../src/main/platform/kiosk-platform';
import { createNodePlatform } from '../../src/host/node-platform';
import { silentLogger } from '../../src/main/platform/logger';
import { hashPin } from '../../src/main/identity/pin-hash';
import type { BackendStack } from './backend-stack';

export const DEMO = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  kioskId: '00000000-0000-4000-8000-000000000101',
  templateSessionId: '00000000-0000-4000-8000-000000000501',
  proctorEmail: 'proctor@demo.example',
  kioskEmail: 'kiosk-1@demo.example',
  password: 'demo-password-1',
  pin: '482913',
} as const;

export const TEST_APP_URL = 'http://127.0.0.1:5999/';

let pinHash: Promise<string> | undefined;

export async function writeTenantConfig(dataDir: string, stack: Pick<BackendStack, 'supabaseUrl' | 'publishableKey'>, extra: Record<string, unknown> = {}): Promise<string> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'tenant-config.json');
  const config = {
    version: 1,
    tenantId: DEMO.tenantId,
    kioskId: DEMO.kioskId,
    supabase: { url: stack.supabaseUrl, publishableKey: stack.publishableKey },
    // The pre-enrolment form (seeded identity, known password): tests that are not about enrolment keep
    // restarting kiosks on one data dir without a keyring. device-enrolment.test.ts covers enrolment.
    device: { email: DEMO.kioskEmail, password: DEMO.password },
    branding: { organisationName: 'Demo Assessment Centre', accentColor: '#2563eb' },
    policies: { maxDurationMinutes: 30, consentText: 'This interview is recorded and transcribed.', recording: true },
    proctorPinHash: await (pinHash ??= hashPin(DEMO.pin)),
    allowedOrigins: [],
    ...extra,
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/**
 * A one-time enrolment code for a kiosk row, as an admin would get it from kiosk-enrolment-code (issued
 * here through the service-only function the edge function's check leads to).
 */
export async function issueEnrolmentCode(stack: Pick<BackendStack, 'sql'>, kioskId: string = DEMO.kioskId): Promise<string> {
  const [row] = await stack.sql<{ code: string }>(`select code from private.issue_kiosk_enrolment($1, interval '1 hour', null)`, [kioskId]);
  return row!.code;
}

/** A fresh interview session for today, copied from a seeded one (same candidate, position, kiosk). */
export async function createTodaySession(stack: Pick<BackendStack, 'sql'>, status: 'scheduled' | 'in_progress' = 'scheduled'): Promise<string> {
  const id = randomUUID();
  await stack.sql(
    `insert into public.interview_sessions (id, tenant_id, candidate_id, position_id, kiosk_id, scheduled_at, status, started_at)
     select $1, tenant_id, candidate_id, position_id, kiosk_id, now(), $2, case when $2 = 'in_progress' then now() end
     from public.interview_sessions where id = $3`,
    [id, status, DEMO.templateSessionId],
  );
  return id;
}

export interface TestKiosk {
  core: KioskCore;
  platform: KioskPlatform;
  call<C extends IpcChannel>(channel: C, payload?: IpcRequest<C>): Promise<IpcResponse<C>>;
}

export function startTestKiosk(options: {
  dataDir: string;
  fetch?: typeof fetch;
  tuning?: KioskPlatform['tuning'];
  clock?: KioskPlatform['clock'];
  tokenKey?: Uint8Array;
}): TestKiosk {
  const platform = createNodePlatform({
    dataDir: options.dataDir,
    tokenKey: options.tokenKey,
    logger: silentLogger,
    fetch: options.fetch,
    clock: options.clock,
    tuning: { backoff: { baseMs: 50, maxMs: 400 }, syncPollIntervalMs: 250, ...options.tuning },
  });
  const core = createKioskCore({
    appInfo: { name: 'interview-kiosk', version: '0.0.0-test', platform: 'linux', shell: 'browser-host' },
    appUrl: TEST_APP_URL,
    isTrustedSender: (url) => url === TEST_APP_URL,
    platform,
  });
  return {
    core,
    platform,
    async call(channel, payload) {
      const envelope = await core.dispatch(channel, payload, TEST_APP_URL);
      if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
      return envelope.value as never;
    },
  };
}

export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
