-- Two views for whoever watches the backend: interviews still `in_progress` well past their allowed
-- length, and interviews whose transcript has holes. Both are security_invoker, so a tenant member
-- querying through the API sees only their own tenant (RLS of the underlying tables applies), while
-- the deployer in the SQL editor (as postgres) sees every tenant.

-- Beyond the interview's maximum length a kiosk still has time to flush its queue and end the
-- interview; only past this margin does "in progress" mean stuck (a crashed or offline kiosk).
create function public.monitoring_grace() returns interval
language sql
immutable
set search_path = ''
as $$ select interval '15 minutes' $$;

create view public.stuck_interview_sessions with (security_invoker = true) as
select s.id as interview_session_id,
       s.tenant_id,
       t.name as tenant_name,
       s.kiosk_id,
       s.started_at,
       d.max_duration_minutes,
       s.started_at + make_interval(mins => d.max_duration_minutes) + public.monitoring_grace() as stuck_since,
       now() - (s.started_at + make_interval(mins => d.max_duration_minutes)) as over_time,
       s.webrtc_status,
       s.proxy_machine_id,
       (select max(e.created_at) from public.transcript_entries e where e.interview_session_id = s.id) as last_entry_at
from public.interview_sessions s
join public.tenants t on t.id = s.tenant_id
join public.positions p on p.id = s.position_id
-- The same cap interview-start hands the kiosk: the position's length, never beyond the centre's.
cross join lateral (select least(coalesce(p.max_duration_minutes, t.max_duration_minutes), t.max_duration_minutes)
                      as max_duration_minutes) d
where s.status = 'in_progress'
  and s.started_at + make_interval(mins => d.max_duration_minutes) + public.monitoring_grace() < now();

-- Every seq from 0 up to the highest the session knows of (its highest stored seq, or the last seq
-- the kiosk declared at the end) should be stored. A running interview may show a hole briefly while
-- the kiosk's queue drains; one that stays, or any hole in an ended interview, is data to recover.
create view public.interview_transcript_gaps with (security_invoker = true) as
with known as (
  select s.id, s.tenant_id, s.status, s.started_at, s.ended_at, s.last_seq,
         a.max_seq, a.stored, a.last_entry_at,
         greatest(coalesce(a.max_seq, -1), coalesce(s.last_seq, -1)) as expected_last_seq
  from public.interview_sessions s
  cross join lateral (select max(e.seq) as max_seq, count(*)::integer as stored, max(e.created_at) as last_entry_at
                      from public.transcript_entries e where e.interview_session_id = s.id) a
  where s.status in ('in_progress', 'completed', 'failed')
)
select k.id as interview_session_id,
       k.tenant_id,
       t.name as tenant_name,
       k.status,
       k.started_at,
       k.ended_at,
       k.last_seq,
       k.max_seq,
       k.expected_last_seq,
       k.stored,
       k.expected_last_seq + 1 - k.stored as missing_count,
       (select array_agg(g.seq order by g.seq)
        from (select g.seq from generate_series(0, k.expected_last_seq) as g(seq)
              where not exists (select 1 from public.transcript_entries e
                                where e.interview_session_id = k.id and e.seq = g.seq)
              order by g.seq limit 100) g) as first_missing_seqs,
       k.last_entry_at
from known k
join public.tenants t on t.id = k.tenant_id
where k.stored < k.expected_last_seq + 1;

revoke all on public.stuck_interview_sessions, public.interview_transcript_gaps from anon, authenticated;
grant select on public.stuck_interview_sessions, public.interview_transcript_gaps to authenticated, service_role;
revoke all on function public.monitoring_grace() from public, anon;
grant execute on function public.monitoring_grace() to authenticated, service_role;
