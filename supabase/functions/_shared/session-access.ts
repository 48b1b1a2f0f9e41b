// Finds an interview the caller may write to: invisible (other tenant, or none) → 404; visible but not
// as staff or the tenant's kiosk (e.g. the candidate) → 403.
import { ApiError } from './api-error.ts';
import { memberships, roleIn, type Tx, writerRoles } from './caller-database.ts';

export interface WritableSession {
  id: string;
  tenant_id: string;
  status: string;
  proxy_machine_id: string | null;
  last_seq: number | null;
}

export async function writableSession(tx: Tx, sessionId: string, lock = false): Promise<WritableSession> {
  const mine = await memberships(tx);
  const [session] = await tx<WritableSession[]>`
    select id, tenant_id, status, proxy_machine_id, last_seq from public.interview_sessions where id = ${sessionId}`;
  if (!session) throw new ApiError(404, 'session_not_found', 'No such interview in your assessment centre.');
  if (!roleIn(mine, session.tenant_id, writerRoles)) {
    throw new ApiError(403, 'forbidden', 'Only staff or the kiosk of this assessment centre may write to this interview.');
  }
  if (lock) {
    // Re-read under the row lock: concurrent ends (or events) of one interview take turns.
    const [locked] = await tx<WritableSession[]>`
      select id, tenant_id, status, proxy_machine_id, last_seq from public.interview_sessions where id = ${sessionId} for update`;
    return locked ?? session;
  }
  return session;
}
