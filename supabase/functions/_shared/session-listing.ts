// kiosk-sessions: the caller's tenants' interviews scheduled for today (UTC), and any still in progress.
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller, memberships } from './caller-database.ts';

interface ListedRow {
  id: string;
  scheduled_at: Date;
  status: string;
  candidate_id: string;
  candidate_name: string;
  candidate_email: string;
  position_id: string;
  position_title: string;
}

export async function listKioskSessions(_input: Record<string, never>, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    const tenants = (await memberships(tx)).map((m) => m.tenant_id);
    if (tenants.length === 0) throw new ApiError(403, 'not_a_tenant_member', 'This account belongs to no assessment centre.');
    const rows = await tx<ListedRow[]>`
      select s.id, s.scheduled_at, s.status,
             c.id as candidate_id, c.name as candidate_name, c.email as candidate_email,
             p.id as position_id, p.title as position_title
      from public.interview_sessions s
      join public.candidates c on c.id = s.candidate_id
      join public.positions p on p.id = s.position_id
      where s.tenant_id = any(${tenants}::uuid[])
        and (s.status = 'in_progress'
             or (s.scheduled_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
                 and s.scheduled_at < (date_trunc('day', now() at time zone 'UTC') + interval '1 day') at time zone 'UTC'))
      order by s.scheduled_at, s.id`;
    return {
      sessions: rows.map((row) => ({
        id: row.id,
        candidate: { id: row.candidate_id, name: row.candidate_name, email: row.candidate_email },
        position: { id: row.position_id, title: row.position_title },
        scheduled_at: new Date(row.scheduled_at).toISOString(),
        status: row.status,
      })),
    };
  });
}
