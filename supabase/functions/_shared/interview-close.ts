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

interface EndRow {
  status: string;
  missing: number[];
  proxy_machine_id: string | null;
  fly_app_name: string | null;
  proxy_strategy: string | null;
}

export async function endInterview(input: z.infer<typeof interviewEndBody>, caller: Caller) {
  const outcome = await asCaller(caller, async (tx) => {
    const session = await writableSession(tx, input.interview_session_id, true);
    if (session.status === 'completed' || session.status === 'failed') {
      return { status: session.status, teardown: null as null | { app: string; machineId: string } };
    }
    if (session.status !== 'in_progress') {
      throw new ApiError(409, 'session_not_in_progress', `The interview is ${session.status}; only a running interview can end.`);
    }
    // The gap check and the close happen in the database (private.end_interview), the only path
    // allowed to write an interview's status, end and last seq. Closing also queues the interview's
    // processing jobs (report, and the AI assessment when opted in) in this same transaction: a
    // trigger on the status change, so a refused or rolled-back close queues nothing.
    const [closed] = await tx<EndRow[]>`
      select status, missing, proxy_machine_id, fly_app_name, proxy_strategy
      from private.end_interview(${session.id}::uuid, ${input.last_seq}::integer, ${input.reason}::text)`;
    if (closed.missing.length > 0) {
      const missing = closed.missing.map(Number);
      throw new ApiError(409, 'missing_entries', `${missing.length === missingListCap ? 'At least ' : ''}${missing.length} transcript entries up to seq ${input.last_seq} have not arrived; upload them first.`, {
        missing,
      });
    }
    const status = closed.status as 'completed' | 'failed';
    const teardown =
      closed.proxy_strategy === 'dedicated' && closed.fly_app_name && closed.proxy_machine_id
        ? { app: closed.fly_app_name, machineId: closed.proxy_machine_id }
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
