// kiosk-sessions: today's (UTC) interviews and any still in progress. Staff see their tenants'; a
// kiosk's device identity sees only those assigned to its own kiosk, with the candidate's name and no
// e-mail (private.kiosk_sessions, since the kiosk reads no candidate or position row itself).
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller, memberships, staffRoles } from './caller-database.ts';

interface ListedRow {
  id: string;
  scheduled_at: Date;
  status: string;
  /** Only the staff listing reads it; a kiosk lists running and scheduled interviews, which have none. */
  end_reason?: string | null;
  candidate_id: string;
  candidate_name: string;
  candidate_email?: string;
  position_id: string;
  position_title: string;
}

export async function listKioskSessions(_input: Record<string, never>, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    const mine = await memberships(tx);
    if (mine.length === 0) throw new ApiError(403, 'not_a_tenant_member', 'This account belongs to no assessment centre.');
    const staffTenants = mine.filter((m) => (staffRoles as readonly string[]).includes(m.role)).map((m) => m.tenant_id);
    const rows: ListedRow[] = [];
    if (staffTenants.length > 0) {
      rows.push(
        ...(await tx<ListedRow[]>`
          select s.id, s.scheduled_at, s.status, s.end_reason,
                 c.id as candidate_id, c.name as candidate_name, c.email as candidate_email,
                 p.id as position_id, p.title as position_title
          from public.interview_sessions s
          join public.candidates c on c.id = s.candidate_id
          join public.positions p on p.id = s.position_id
          where s.tenant_id = any(${staffTenants}::uuid[])
            and (s.status = 'in_progress'
                 or (s.scheduled_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
                     and s.scheduled_at < (date_trunc('day', now() at time zone 'UTC') + interval '1 day') at time zone 'UTC'))`),
      );
    }
    if (mine.some((m) => m.role === 'kiosk')) {
      rows.push(...(await tx<ListedRow[]>`select * from private.kiosk_sessions()`));
    }
    rows.sort((a, b) => +new Date(a.scheduled_at) - +new Date(b.scheduled_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      sessions: rows.map((row) => ({
        id: row.id,
        candidate: {
          id: row.candidate_id,
          name: row.candidate_name,
          ...(row.candidate_email !== undefined ? { email: row.candidate_email } : {}),
        },
        position: { id: row.position_id, title: row.position_title },
        scheduled_at: new Date(row.scheduled_at).toISOString(),
        status: row.status,
        end_reason: row.end_reason ?? null,
      })),
    };
  });
}
