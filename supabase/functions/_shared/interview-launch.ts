// interview-start: checks the caller may start (or resume) the interview, readies the tenant's proxy,
// marks the session in progress and hands back what the kiosk needs, with freshly signed tokens.
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller, memberships, roleIn, staffRoles, writerRoles } from './caller-database.ts';
import { flyClientFromEnv } from './fly-machines.ts';
import { interviewerInstructions } from './interviewer-instructions.ts';
import { proxyEncryptionKey, sealSessionConfig, signProxyToken } from './proxy-tokens.ts';

interface LaunchRow {
  id: string;
  tenant_id: string;
  status: string;
  proxy_machine_id: string | null;
  kiosk_id: string | null;
  candidate_id: string;
  candidate_name: string;
  position_id: string;
  title: string;
  description: string;
  instructions: string;
  interview_plan: unknown;
  voice: string | null;
  model: string | null;
  transcription_model: string | null;
  position_minutes: number | null;
  proxy_strategy: 'shared' | 'dedicated';
  proxy_url: string | null;
  fly_app_name: string | null;
  fly_region: string | null;
  fly_image: string | null;
  tenant_minutes: number;
  consent_text: string;
  recording_enabled: boolean;
  proxy_encryption_key: unknown;
}

/** The kiosk's WebSocket signalling URL on a proxy base URL. */
export function signalUrl(base: string, machineId: string | null): string {
  const url = new URL(base);
  if (!url.pathname.endsWith('/v1/signal')) url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/signal`;
  // Fly routes a browser WebSocket to one machine only when the app replays it there (fly-replay);
  // the proxy reads this parameter to do so.
  if (machineId) url.searchParams.set('instance', machineId);
  return url.toString();
}

export async function startInterview(input: { interview_session_id: string; kiosk_id?: string }, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    const mine = await memberships(tx);
    if (!mine.some((m) => writerRoles.includes(m.role))) {
      throw new ApiError(403, 'forbidden', 'Only staff of the assessment centre can start interviews.');
    }
    // What the caller may see decides "no such interview" (a kiosk sees only what runs on it).
    const [visible] = await tx<{ tenant_id: string }[]>`
      select tenant_id from public.interview_sessions where id = ${input.interview_session_id}`;
    const onlyKiosk = mine.every((m) => m.role === 'kiosk');
    if (!visible) {
      // A kiosk gets one answer for "none", "another kiosk's" and "not running yet": a proctor starts interviews.
      if (onlyKiosk) throw new ApiError(403, 'forbidden', 'A proctor must start this interview; a kiosk resumes only its own running one.');
      throw new ApiError(404, 'session_not_found', 'No such interview in your assessment centre.');
    }
    const role = roleIn(mine, visible.tenant_id, writerRoles);
    if (!role) throw new ApiError(403, 'forbidden', 'You are not staff of this interview\'s assessment centre.');
    // private.interview_launch locks the session row (concurrent starts take turns, so a dedicated proxy
    // is made once), re-checks the caller (a kiosk: only the interview running on it) and reads the
    // candidate, position and tenant settings that a kiosk may not read itself.
    const [row] = await tx<LaunchRow[]>`select * from private.interview_launch(${input.interview_session_id}::uuid)`;
    if (!row) throw new ApiError(404, 'session_not_found', 'No such interview in your assessment centre.');
    if (row.status !== 'scheduled' && row.status !== 'in_progress') {
      throw new ApiError(409, 'not_startable', `This interview is ${row.status} and cannot be started again.`);
    }
    // The kiosk's device identity may resume a running interview (fresh tokens after a restart), not begin one.
    if (row.status === 'scheduled' && !staffRoles.includes(role as 'admin' | 'proctor')) {
      throw new ApiError(403, 'forbidden', 'A proctor must start this interview.');
    }
    const encryptionKey = await proxyEncryptionKey(row.proxy_encryption_key);
    if (input.kiosk_id && input.kiosk_id !== row.kiosk_id) {
      if (row.kiosk_id !== null || row.status !== 'scheduled') {
        throw new ApiError(409, 'wrong_kiosk', 'This interview is assigned to another kiosk; start it there, or reassign it first.');
      }
      // Staff (a kiosk never gets here with a scheduled interview); the composite foreign key keeps the
      // kiosk inside the interview's tenant (422 invalid_reference otherwise).
      await tx`update public.interview_sessions set kiosk_id = ${input.kiosk_id} where id = ${row.id}`;
    }

    let machineId: string | null = null;
    let base = row.proxy_url;
    if (row.proxy_strategy === 'dedicated') {
      const machine = await flyClientFromEnv().ensureInterviewMachine(
        {
          app: row.fly_app_name!,
          image: row.fly_image!,
          region: row.fly_region,
          interviewSessionId: row.id,
          tenantId: row.tenant_id,
        },
        row.proxy_machine_id,
      );
      machineId = machine.id;
      base = row.proxy_url ?? `wss://${row.fly_app_name}.fly.dev`;
    }
    if (!base) throw new ApiError(503, 'proxy_unavailable', 'This assessment centre has no proxy configured.');
    const url = signalUrl(base, machineId);

    // private.start_interview re-checks the caller and the state under the row lock and is the only
    // path allowed to write an interview's status (clients hold no UPDATE on that column).
    const [updated] = await tx<{ started_at: Date; next_seq: number }[]>`
      select started_at, next_seq from private.start_interview(${row.id}::uuid, ${url}::text, ${machineId}::text)`;
    const next_seq = updated.next_seq;

    // The centre's policy is the ceiling; a position may ask for a shorter interview.
    const maxMinutes = Math.min(row.position_minutes ?? row.tenant_minutes, row.tenant_minutes);
    const now = Math.floor(Date.now() / 1000);
    const proxyToken = await signProxyToken(row.id, row.tenant_id, now);
    const sessionConfig = await sealSessionConfig(
      row.id,
      row.tenant_id,
      {
        instructions: interviewerInstructions(row, row.candidate_name, maxMinutes),
        ...(row.voice ? { voice: row.voice } : {}),
        ...(row.model ? { model: row.model } : {}),
        ...(row.transcription_model ? { transcription_model: row.transcription_model } : {}),
        max_duration_s: maxMinutes * 60,
      },
      encryptionKey,
      now,
    );
    return {
      session: { id: row.id, status: 'in_progress', started_at: new Date(updated.started_at).toISOString() },
      candidate: { id: row.candidate_id, name: row.candidate_name },
      position: { id: row.position_id, title: row.title },
      proxy: { url, token: proxyToken.token, expires_at: proxyToken.expiresAt },
      session_config: sessionConfig,
      policies: {
        max_duration_minutes: maxMinutes,
        consent_text: row.consent_text,
        recording: row.recording_enabled,
      },
      next_seq: Number(next_seq),
    };
  });
}
