// interview-events: appends to the session's append-only event log (idempotent on the event id) and
// keeps the session row's WebRTC audit columns in step with the log, so a replay adds nothing twice.
import type { z } from 'npm:zod@4.6.7';
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller } from './caller-database.ts';
import type { interviewEventsBody } from './request-schemas.ts';
import { writableSession } from './session-access.ts';

const auditKinds = ['webrtc_status', 'sdp_offer', 'sdp_answer', 'ice_candidate'];

export async function appendEvents(input: z.infer<typeof interviewEventsBody>, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    const session = await writableSession(tx, input.interview_session_id, true);
    const rows = input.events.map((event) => ({ id: event.id, kind: event.kind, at: event.at, data: event.data }));
    const inserted = await tx<{ id: string }[]>`
      insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data)
      select e.id, ${session.id}, ${session.tenant_id}, e.kind, e.at, e.data
      from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as e(id uuid, kind text, at timestamptz, data jsonb)
      on conflict do nothing
      returning id`;
    const insertedIds = new Set(inserted.map((row) => row.id));
    const skipped = input.events.filter((event) => !insertedIds.has(event.id));
    if (skipped.length > 0) {
      const existing = await tx<{ id: string }[]>`
        select id from public.session_events
        where interview_session_id = ${session.id} and id = any(${skipped.map((e) => e.id)}::uuid[])`;
      const known = new Set(existing.map((row) => row.id));
      const conflicts = skipped.filter((event) => !known.has(event.id)).map((event) => event.id);
      if (conflicts.length > 0) {
        throw new ApiError(409, 'event_conflict', 'Some event ids are already used elsewhere.', { conflicts });
      }
    }
    const touchedAudit = input.events.some((event) => insertedIds.has(event.id) && auditKinds.includes(event.kind));
    if (touchedAudit) {
      // Rebuilt from the log in event-time order, so late or out-of-order batches land where they belong.
      await tx`
        update public.interview_sessions s
        set sdp_offers = coalesce((select jsonb_agg(jsonb_build_object('id', e.id, 'at', e.at) || e.data order by e.at, e.id)
                                   from public.session_events e where e.interview_session_id = s.id and e.kind = 'sdp_offer'), '[]'::jsonb),
            sdp_answers = coalesce((select jsonb_agg(jsonb_build_object('id', e.id, 'at', e.at) || e.data order by e.at, e.id)
                                    from public.session_events e where e.interview_session_id = s.id and e.kind = 'sdp_answer'), '[]'::jsonb),
            ice_candidates = coalesce((select jsonb_agg(jsonb_build_object('id', e.id, 'at', e.at) || e.data order by e.at, e.id)
                                       from public.session_events e where e.interview_session_id = s.id and e.kind = 'ice_candidate'), '[]'::jsonb),
            webrtc_status = case when s.status = 'in_progress' then
                              coalesce((select e.data ->> 'status' from public.session_events e
                                        where e.interview_session_id = s.id and e.kind = 'webrtc_status'
                                        order by e.at desc, e.id desc limit 1), s.webrtc_status)
                            else s.webrtc_status end,
            webrtc_session_id = coalesce((select coalesce(e.data ->> 'call_id', e.data ->> 'session_id') from public.session_events e
                                          where e.interview_session_id = s.id and e.kind in ('sdp_answer', 'webrtc_status')
                                            and coalesce(e.data ->> 'call_id', e.data ->> 'session_id') is not null
                                          order by e.at desc, e.id desc limit 1), s.webrtc_session_id)
        where s.id = ${session.id}`;
    }
    return { inserted: inserted.length, duplicates: skipped.length };
  });
}
