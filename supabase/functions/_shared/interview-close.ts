// interview-end: closes the interview only when every entry up to the kiosk's last seq is stored;
// otherwise answers which seqs are missing. Ending twice answers the first outcome again. A dedicated
// proxy machine is torn down once the session is closed.
import type { z } from 'npm:zod@4.6.7';
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller } from './caller-database.ts';
import { flyClientFromEnv } from './fly-machines.ts';
import type { interviewEndBody } from './request-schemas.ts';
import { writableSession } from './session-access.ts';

const missingListCap = 1000;

export async function endInterview(input: z.infer<typeof interviewEndBody>, caller: Caller) {
  const outcome = await asCaller(caller, async (tx) => {
    const session = await writableSession(tx, input.interview_session_id, true);
    if (session.status === 'completed' || session.status === 'failed') {
      return { status: session.status, teardown: null as null | { app: string; machineId: string } };
    }
    if (session.status !== 'in_progress') {
      throw new ApiError(409, 'session_not_in_progress', `The interview is ${session.status}; only a running interview can end.`);
    }
    if (input.last_seq >= 0) {
      const missing = await tx<{ seq: number }[]>`
        select g.seq from generate_series(0, ${input.last_seq}::integer) as g(seq)
        where not exists (select 1 from public.transcript_entries t
                          where t.interview_session_id = ${session.id} and t.seq = g.seq)
        order by g.seq limit ${missingListCap}`;
      if (missing.length > 0) {
        throw new ApiError(409, 'missing_entries', `${missing.length === missingListCap ? 'At least ' : ''}${missing.length} transcript entries up to seq ${input.last_seq} have not arrived; upload them first.`, {
          missing: missing.map((row) => row.seq),
        });
      }
    }
    const status = input.reason === 'error' ? 'failed' : 'completed';
    const [closed] = await tx<{ fly_app_name: string | null; proxy_strategy: string }[]>`
      with closed as (
        update public.interview_sessions
        set status = ${status}, ended_at = now(), end_reason = ${input.reason}, last_seq = ${input.last_seq},
            webrtc_status = ${status === 'failed' ? 'failed' : 'closed'}
        where id = ${session.id}
        returning tenant_id)
      select t.fly_app_name, t.proxy_strategy from closed join public.tenants t on t.id = closed.tenant_id`;
    const teardown =
      closed && closed.proxy_strategy === 'dedicated' && closed.fly_app_name && session.proxy_machine_id
        ? { app: closed.fly_app_name, machineId: session.proxy_machine_id }
        : null;
    return { status, teardown };
  });

  if (outcome.teardown) {
    try {
      await flyClientFromEnv().destroyMachine(outcome.teardown.app, outcome.teardown.machineId);
    } catch {
      // The machine was created with auto_destroy and exits when its interview ends; a failed teardown
      // must not turn a closed interview into an error for the kiosk.
      console.error(JSON.stringify({ fn: 'interview-end', teardown: 'failed', machine: outcome.teardown.machineId }));
    }
  }
  return { status: outcome.status, missing: [] as number[] };
}
