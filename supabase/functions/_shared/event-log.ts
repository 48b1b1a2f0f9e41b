// interview-events: appends to the session's append-only event log (idempotent on the event id) and
// keeps the session row's WebRTC audit columns in step with the log by merging in only the events this
// call inserted, so a replay adds nothing twice and a batch costs its own size, not the log's.
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
    const batch = input.events
      .filter((event) => insertedIds.has(event.id) && auditKinds.includes(event.kind))
      .map((event) => ({ id: event.id, kind: event.kind, at: event.at, data: event.data }));
    if (batch.length > 0) {
      // Only this batch is merged in (O(batch), not O(log)): a batch later than everything kept is
      // appended; a late, out-of-order one is merged into the kept array (never re-read from the log), so
      // it still lands in event-time order. The status and call id move only if nothing in the log is
      // later than the batch's latest, which reads just the events after it (the (session, at) index).
      const merged = (column: string, kind: string) => tx`
        case
          when not exists (select 1 from batch b where b.kind = ${kind}) then s.${tx(column)}
          when jsonb_array_length(s.${tx(column)}) = 0
               or ((s.${tx(column)} -> -1 ->> 'at')::timestamptz, (s.${tx(column)} -> -1 ->> 'id')::uuid)
                  < (select b.at, b.id from batch b where b.kind = ${kind} order by b.at, b.id limit 1)
            then s.${tx(column)} || (select jsonb_agg(b.item order by b.at, b.id) from batch b where b.kind = ${kind})
          else (select jsonb_agg(x.item order by x.at, x.id) from (
                  select k.value as item, (k.value ->> 'at')::timestamptz as at, (k.value ->> 'id')::uuid as id
                  from jsonb_array_elements(s.${tx(column)}) k
                  union all
                  select b.item, b.at, b.id from batch b where b.kind = ${kind}) x)
        end`;
      await tx`
        with batch as (
          select b.id, b.kind, b.at, b.data, jsonb_build_object('id', b.id, 'at', b.at) || b.data as item
          from jsonb_to_recordset(${JSON.stringify(batch)}::text::jsonb) as b(id uuid, kind text, at timestamptz, data jsonb)
        ),
        latest_status as (
          select b.at, b.id, b.data ->> 'status' as status from batch b
          where b.kind = 'webrtc_status' order by b.at desc, b.id desc limit 1
        ),
        latest_call as (
          select b.at, b.id, coalesce(b.data ->> 'call_id', b.data ->> 'session_id') as call_id from batch b
          where b.kind in ('sdp_answer', 'webrtc_status') and coalesce(b.data ->> 'call_id', b.data ->> 'session_id') is not null
          order by b.at desc, b.id desc limit 1
        )
        update public.interview_sessions s
        set sdp_offers = ${merged('sdp_offers', 'sdp_offer')},
            sdp_answers = ${merged('sdp_answers', 'sdp_answer')},
            ice_candidates = ${merged('ice_candidates', 'ice_candidate')},
            webrtc_status = coalesce(
              (select l.status from latest_status l
               where s.status = 'in_progress'
                 and not exists (select 1 from public.session_events e
                                 where e.interview_session_id = s.id and e.at >= l.at and e.kind = 'webrtc_status'
                                   and (e.at, e.id) > (l.at, l.id))),
              s.webrtc_status),
            webrtc_session_id = coalesce(
              (select l.call_id from latest_call l
               where not exists (select 1 from public.session_events e
                                 where e.interview_session_id = s.id and e.at >= l.at and e.kind in ('sdp_answer', 'webrtc_status')
                                   and coalesce(e.data ->> 'call_id', e.data ->> 'session_id') is not null
                                   and (e.at, e.id) > (l.at, l.id))),
              s.webrtc_session_id)
        where s.id = ${session.id}`;
    }
    return { inserted: inserted.length, duplicates: skipped.length };
  });
}
