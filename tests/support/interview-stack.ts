// Everything a whole interview touches, composed for the renderer's end-to-end tests and the connect
// bench: the realtime emulator (provider), the real SDP proxy, the backend harness (Postgres 17, Auth
// stand-in, Deno edge functions) and the browser host serving the built renderer (`npm run build`
// first) with main's real core — outbox, sync engine, recording files — behind `window.kiosk`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserHost } from '../../src/host/browser-host';
import { createKioskCore, type KioskCore } from '../../src/main/kiosk-core';
import { createNodePlatform } from '../../src/host/node-platform';
import { silentLogger } from '../../src/main/platform/logger';
import { hashPin } from '../../src/main/identity/pin-hash';
import type { InterviewLaunch, InterviewPolicies } from '../../src/shared/domain/interview';
import type { TranscriptEntry } from '../../src/shared/domain/transcript';
import { startApiVideoStandIn, type ApiVideoStandIn } from './api-video-stand-in';
import { startBackendStack, type BackendStack } from './backend-stack';
import { startResponsesApiStandIn, type ResponsesApiStandIn } from './responses-api-stand-in';
import { startTestKioskHost } from './kiosk-host';
import { startTestProxy, type TestProxy } from './proxy-process';
import { startRealtimeEmulator, type InterviewScript, type RealtimeEmulator, type RealtimeEmulatorOptions } from './realtime-emulator';

export const demoTenantId = '00000000-0000-4000-8000-000000000001';
export const demoKioskId = '00000000-0000-4000-8000-000000000101';
const e2eAssessorKey = 'sk-e2e-responses-stand-in';
const demoProctor = { email: 'proctor@demo.example', password: 'demo-password-1' };
const consentText =
  'This interview is conducted by an AI interviewer on behalf of the Demo Assessment Centre.\n\n' +
  'Your voice is transcribed and the transcript is shared with the hiring team. You may stop at any time by telling the proctor.';

export interface InterviewStackOptions {
  script?: Partial<InterviewScript>;
  /** The demo tenant's interview policies (what interview-start hands the kiosk). */
  policies?: Partial<Pick<InterviewPolicies, 'maxDurationMinutes' | 'recording'>>;
  /** The network lab's hooks: answers rewritten to its UDP relay, main's backend URL through its TCP relay. */
  netlab?: {
    rewriteAnswer?: RealtimeEmulatorOptions['rewriteAnswer'];
    rewriteOffer?: RealtimeEmulatorOptions['rewriteOffer'];
    backendUrl?: (supabaseUrl: string) => Promise<string>;
  };
  /**
   * Runs the processing worker (reports, AI assessments) with the Responses API stand-in as the demo
   * centre's provider. Off by default: most e2e tests end before anything would be processed.
   */
  processing?: boolean;
}

export interface InterviewStack {
  host: BrowserHost;
  emulator: RealtimeEmulator;
  proxy: TestProxy;
  backend: BackendStack;
  /** The provider stand-in the worker asks for assessments (only with `processing`). */
  assessor: ResponsesApiStandIn | null;
  /** Where main uploads finished recordings (api.video's wire format). */
  apiVideo: ApiVideoStandIn;
  core: KioskCore;
  /** The kiosk's data directory (outbox database, recording files until they are uploaded). */
  kioskDataDir: string;
  /** Schedules a fresh interview for today and starts it as the signed-in proctor; main launches the window. */
  startInterview(): Promise<InterviewLaunch>;
  /** The interview's transcript as stored in Postgres, in seq order. */
  storedTranscript(interviewSessionId: string): Promise<StoredEntry[]>;
  storedSession(interviewSessionId: string): Promise<{ status: string; end_reason: string | null; last_seq: number | null; webrtc_status: string; offers: number; answers: number }>;
  /** Recordings registered for the interview in Postgres (after main uploaded them). */
  storedRecordings(interviewSessionId: string): Promise<Array<{ id: string; video_id: string; bytes: string; duration_ms: string }>>;
  /** The interview's session log as stored in Postgres, in time order. */
  storedEvents(interviewSessionId: string): Promise<Array<{ kind: string; data: Record<string, unknown> }>>;
  stop(): Promise<void>;
}

/** A transcript row as Postgres holds it, with the heard/generated split and the correction audit. */
export type StoredEntry = Pick<TranscriptEntry, 'id' | 'seq' | 'speaker' | 'text' | 'status'> & {
  confidence: number | null;
  generated_text: string | null;
  heard_ms: number | null;
  heard_estimated: boolean;
  corrected_by: string | null;
  original_status: string | null;
};

async function enrolmentCode(backend: BackendStack, kioskId: string): Promise<string> {
  const [row] = await backend.sql<{ code: string }>(`select code from private.issue_kiosk_enrolment($1, interval '1 hour', null)`, [kioskId]);
  return row!.code;
}

export async function startInterviewStack(options: InterviewStackOptions = {}): Promise<InterviewStack> {
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => console.error(error));
  };
  try {
    // The kiosk pre-connects the call during consent and asks for the greeting on Start, as the provider
    // speaks only on `response.create`: an emulator that greeted as soon as the channel opened would
    // greet a candidate still reading the consent.
    const emulator = await startRealtimeEmulator({ script: { autoStart: false, ...options.script }, rewriteAnswer: options.netlab?.rewriteAnswer, rewriteOffer: options.netlab?.rewriteOffer });
    stops.push(() => emulator.stop());
    const assessor = options.processing ? await startResponsesApiStandIn({ keys: [e2eAssessorKey] }) : null;
    if (assessor) stops.push(() => assessor.stop());
    const backend = await startBackendStack({
      seed: true,
      processingWorker: assessor
        ? {
            OPENAI_BASE_URL: assessor.url,
            AI_PROVIDER_KEYS: JSON.stringify({ [demoTenantId]: e2eAssessorKey }),
            PROCESSING_POLL_MS: '250',
            PROCESSING_RETRY_BASE_MS: '200',
          }
        : undefined,
    });
    stops.push(() => backend.stop());
    const proxy = await startTestProxy({ emulator, signingKey: backend.proxySigningKey, encryptionKey: backend.proxyEncryptionKeys[demoTenantId] });
    stops.push(() => proxy.stop());
    await backend.sql('update public.tenants set proxy_url = $1 where id = $2', [proxy.signalUrl, demoTenantId]);
    const apiVideo = await startApiVideoStandIn();
    stops.push(() => apiVideo.stop());
    if (options.policies) {
      const { maxDurationMinutes, recording } = options.policies;
      if (maxDurationMinutes !== undefined) await backend.sql('update public.tenants set max_duration_minutes = $1 where id = $2', [maxDurationMinutes, demoTenantId]);
      if (recording !== undefined) await backend.sql('update public.tenants set recording_enabled = $1 where id = $2', [recording, demoTenantId]);
    }

    const kioskDataDir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
    stops.push(async () => rmSync(kioskDataDir, { recursive: true, force: true }));
    writeFileSync(
      join(kioskDataDir, 'tenant-config.json'),
      JSON.stringify({
        version: 1,
        tenantId: demoTenantId,
        kioskId: demoKioskId,
        supabase: { url: options.netlab?.backendUrl ? await options.netlab.backendUrl(backend.supabaseUrl) : backend.supabaseUrl, publishableKey: backend.publishableKey },
        // Enrolled at start like a real kiosk: a one-time code, redeemed by main for its own identity.
        device: { enrolmentCode: await enrolmentCode(backend, demoKioskId) },
        branding: { organisationName: 'Demo Assessment Centre', accentColor: '#38bdf8' },
        policies: { maxDurationMinutes: 30, consentText, recording: true },
        proctorPinHash: await hashPin('531862'),
        allowedOrigins: [proxy.url],
        recordingUpload: { provider: 'api.video', uploadUrl: apiVideo.uploadUrl, uploadToken: apiVideo.token },
      }),
    );
    const platform = createNodePlatform({
      dataDir: kioskDataDir,
      logger: silentLogger,
      tuning: { syncPollIntervalMs: 200, backoff: { baseMs: 200, maxMs: 1_000 }, recordingFlushIntervalMs: 500 },
    });
    let core!: KioskCore;
    const host = await startTestKioskHost({
      createCore: (policy) => {
        core = createKioskCore({ ...policy, platform, appInfo: { name: 'interview-kiosk', version: '0.0.0-e2e', platform: 'browser', shell: 'browser-host' } });
        return core;
      },
    });
    stops.push(() => host.close());

    const call = async <T>(channel: string, payload?: unknown): Promise<T> => {
      const envelope = await core.dispatch(channel, payload, host.url);
      if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.code} ${envelope.error.message}`);
      return envelope.value as T;
    };

    return {
      host,
      emulator,
      proxy,
      backend,
      assessor,
      apiVideo,
      core,
      kioskDataDir,
      async startInterview() {
        const [session] = await backend.sql<{ id: string }>(
          `insert into public.interview_sessions (tenant_id, candidate_id, position_id, kiosk_id, scheduled_at, status)
           select c.tenant_id, c.id, p.id, $2, now(), 'scheduled'
             from (select * from public.candidates where tenant_id = $1 order by email limit 1) c
             cross join (select * from public.positions where tenant_id = $1 order by title limit 1) p
           returning id`,
          [demoTenantId, demoKioskId],
        );
        await call('proctor.signIn', demoProctor);
        return call<InterviewLaunch>('proctor.startInterview', { interviewSessionId: session!.id });
      },
      storedTranscript: (id) =>
        backend.sql(
          `select id, seq, speaker, text, status, confidence, generated_text, heard_ms, heard_estimated, corrected_by, original_status
             from public.transcript_entries where interview_session_id = $1 order by seq`,
          [id],
        ),
      storedRecordings: (id) => backend.sql('select id, video_id, bytes, duration_ms from public.recordings where interview_session_id = $1', [id]),
      storedEvents: (id) => backend.sql('select kind, data from public.session_events where interview_session_id = $1 order by at, id', [id]),
      async storedSession(id) {
        const [row] = await backend.sql<{ status: string; end_reason: string | null; last_seq: number | null; webrtc_status: string; offers: number; answers: number }>(
          `select status, end_reason, last_seq, webrtc_status, jsonb_array_length(sdp_offers) as offers, jsonb_array_length(sdp_answers) as answers
             from public.interview_sessions where id = $1`,
          [id],
        );
        return row!;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
