// Finds an interview the caller may write to: invisible (other tenant, another kiosk's, or none) → 404;
// visible but not as staff or as the kiosk it is assigned to (e.g. the candidate) → 403. Row-level
// security already shows a kiosk only the interviews assigned to it while they run (and, ended, within
// the recording grace); the kiosk check here says the same again so this stays true if a policy widens.
import { ApiError } from './api-error.ts';
import { memberships, roleIn, type Tx, writerRoles } from './caller-database.ts';

export interface WritableSession {
  id: string;
  tenant_id: string;
  status: string;
  proxy_machine_id: string | null;
  last_seq: number | null;
  kiosk_id: string | null;
}

export async function writableSession(tx: Tx, sessionId: string, lock = false): Promise<WritableSession> {
  const mine = await memberships(tx);
  const [session] = await tx<WritableSession[]>`
    select id, tenant_id, status, proxy_machine_id, last_seq, kiosk_id from public.interview_sessions where id = ${sessionId}`;
  if (!session) throw new ApiError(404, 'session_not_found', 'No such interview in your assessment centre.');
  const role = roleIn(mine, session.tenant_id, writerRoles);
  if (!role) {
    throw new ApiError(403, 'forbidden', 'Only staff or the kiosk of this assessment centre may write to this interview.');
  }
  if (role === 'kiosk' && !(await isCallersKiosk(tx, session.kiosk_id))) {
    throw new ApiError(404, 'session_not_found', 'No such interview in your assessment centre.');
  }
  if (lock) {
    // Re-read under the row lock: concurrent ends (or events) of one interview take turns.
    const [locked] = await tx<WritableSession[]>`
      select id, tenant_id, status, proxy_machine_id, last_seq, kiosk_id from public.interview_sessions where id = ${sessionId} for update`;
    return locked ?? session;
  }
  return session;
}

/** Whether the caller is the device identity of this kiosk (RLS shows a kiosk only its own row). */
export async function isCallersKiosk(tx: Tx, kioskId: string | null): Promise<boolean> {
  if (!kioskId) return false;
  const [own] = await tx<{ id: string }[]>`
    select id from public.kiosks where id = ${kioskId} and device_user_id = (select auth.uid())`;
  return Boolean(own);
}
