-- The server, not the client, decides when an interview is complete, and its evidence cannot be
-- rewritten once it is.
--   1. interview-end's gap check runs over what is stored: a client claiming `last_seq = -1` (or any seq
--      below what it uploaded) no longer closes an interview whose entries say otherwise.
--   2. Session events are accepted only while the interview is in progress, with an `at` inside the
--      interview (a small clock-skew allowance either side), bounded in size and number per interview.
--   3. After an interview has ended, no client role changes its WebRTC audit columns, and a recording
--      may only be registered once (a resumed upload after a restart) and never repointed.
-- The service role (operators, migrations) is not bound by these triggers; every client role is. The
-- trigger functions are not security definers: they run as the caller, whose current_user is the client role.

-- How far a kiosk's clock may be from the server's, and how long after its end a recording may still
-- be registered (a kiosk that was offline uploads it when it is back).
create function private.evidence_limits() returns table (clock_skew interval, recording_grace interval, max_events integer)
language sql
immutable
set search_path = ''
as $$ select interval '120 seconds', interval '72 hours', 20000 $$;

create function private.is_client_role() returns boolean
language sql
stable
set search_path = ''
as $$ select current_user in ('authenticated', 'anon') $$;

create or replace function private.end_interview(p_session_id uuid, p_last_seq integer, p_reason text)
returns table (status text, missing integer[], proxy_machine_id text, fly_app_name text, proxy_strategy text)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session public.interview_sessions%rowtype;
  v_role text;
  v_missing integer[];
  v_status text;
  v_last integer;
begin
  select * into v_session from public.interview_sessions s where s.id = p_session_id for update;
  v_role := case when found then private.caller_role(v_session.tenant_id) end;
  if v_role is null or v_role not in ('admin', 'proctor', 'kiosk') then
    raise exception 'not allowed to end this interview' using errcode = '42501';
  end if;
  if p_reason is null or p_reason not in ('completed', 'time_limit', 'proctor', 'candidate_left', 'error') then
    raise exception 'unknown end reason %', p_reason using errcode = '22023';
  end if;
  if p_last_seq is null or p_last_seq < -1 then
    raise exception 'last_seq must be -1 or more' using errcode = '22023';
  end if;
  if v_session.status in ('completed', 'failed') then
    return query select v_session.status, '{}'::integer[], null::text, null::text, null::text;
    return;
  end if;
  if v_session.status <> 'in_progress' then
    raise exception 'interview is %, only a running interview can end', v_session.status using errcode = '55000';
  end if;

  -- The stored entries are the evidence: the check covers the client's claim and everything uploaded.
  select greatest(p_last_seq, coalesce(max(t.seq), -1)) into v_last
  from public.transcript_entries t where t.interview_session_id = p_session_id;

  select coalesce(array_agg(m.seq order by m.seq), '{}') into v_missing
  from (select g.seq from generate_series(0, v_last) as g(seq)
        where not exists (select 1 from public.transcript_entries t
                          where t.interview_session_id = p_session_id and t.seq = g.seq)
        order by g.seq limit 1000) as m;
  if cardinality(v_missing) > 0 then
    return query select v_session.status, v_missing, null::text, null::text, null::text;
    return;
  end if;

  v_status := case when p_reason = 'error' then 'failed' else 'completed' end;
  update public.interview_sessions s
  set status = v_status,
      ended_at = now(),
      end_reason = p_reason,
      last_seq = v_last,
      webrtc_status = case when v_status = 'failed' then 'failed' else 'closed' end
  where s.id = p_session_id;

  return query
    select v_status, '{}'::integer[], v_session.proxy_machine_id, t.fly_app_name, t.proxy_strategy
    from public.tenants t where t.id = v_session.tenant_id;
end
$$;

-- 2. Session events: in progress, inside the interview's time, bounded.
-- `not valid`: a hosted database may already hold larger events from before this rule; they stay as
-- evidence, and only new rows are checked.
alter table public.session_events add constraint session_events_data_size check (octet_length(data::text) <= 32768) not valid;

create function private.check_session_event() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_status text;
  v_started timestamptz;
  v_skew interval := (select l.clock_skew from private.evidence_limits() l);
begin
  if not private.is_client_role() then
    return new;
  end if;
  select s.status, s.started_at into v_status, v_started
  from public.interview_sessions s where s.id = new.interview_session_id;
  if not found then
    return new; -- not the caller's interview: row-level security refuses the row with its own error
  end if;
  if v_status <> 'in_progress' then
    raise exception 'the interview is %, events are accepted only while it is in progress', v_status using errcode = '55000';
  end if;
  if new.at < v_started - v_skew or new.at > now() + v_skew then
    raise exception 'event time % is outside the interview', new.at using errcode = '22023';
  end if;
  return new;
end
$$;

create trigger session_events_in_progress before insert on public.session_events
  for each row execute function private.check_session_event();

-- Counted once per statement (a batch), not once per row.
create function private.bound_session_events() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_max integer := (select l.max_events from private.evidence_limits() l);
begin
  if not private.is_client_role() then
    return null;
  end if;
  if exists (
    select 1 from (select distinct i.interview_session_id from inserted i) as touched
    where (select count(*) from public.session_events e where e.interview_session_id = touched.interview_session_id) > v_max
  ) then
    raise exception 'an interview keeps at most % session events', v_max using errcode = '54000';
  end if;
  return null;
end
$$;

create trigger session_events_bounded after insert on public.session_events
  referencing new table as inserted
  for each statement execute function private.bound_session_events();

-- 3. After the end: the WebRTC audit is frozen, a recording is registered at most once and never moved.
create function private.freeze_ended_session_audit() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if private.is_client_role() and old.status in ('completed', 'failed', 'cancelled')
     and (new.webrtc_status, new.webrtc_session_id, new.ice_candidates, new.sdp_offers, new.sdp_answers)
         is distinct from (old.webrtc_status, old.webrtc_session_id, old.ice_candidates, old.sdp_offers, old.sdp_answers) then
    raise exception 'the interview has ended; its WebRTC audit cannot change' using errcode = '55000';
  end if;
  return new;
end
$$;

create trigger interview_sessions_audit_frozen before update on public.interview_sessions
  for each row execute function private.freeze_ended_session_audit();

create function private.guard_recording_after_end() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_status text;
  v_ended timestamptz;
  v_grace interval := (select l.recording_grace from private.evidence_limits() l);
begin
  if not private.is_client_role() then
    return new;
  end if;
  select s.status, s.ended_at into v_status, v_ended
  from public.interview_sessions s where s.id = new.interview_session_id;
  if not found or v_status = 'in_progress' then
    return new;
  end if;
  if v_status not in ('completed', 'failed') then
    raise exception 'the interview is %, it has no recording to register', v_status using errcode = '55000';
  end if;
  if tg_op = 'UPDATE' then
    -- A replayed registration of the same upload changes nothing and is accepted; anything else is a repoint.
    if (new.provider, new.video_id, new.bytes, new.duration_ms) is distinct from (old.provider, old.video_id, old.bytes, old.duration_ms) then
      raise exception 'the interview has ended; its recording cannot be repointed' using errcode = '55000';
    end if;
    return new;
  end if;
  if now() > v_ended + v_grace then
    raise exception 'the interview ended too long ago to register a recording' using errcode = '55000';
  end if;
  -- An upsert fires this insert check first, so a replay of the registration already stored passes here.
  if exists (select 1 from public.recordings r
             where r.interview_session_id = new.interview_session_id
               and (r.id, r.provider, r.video_id, r.bytes, r.duration_ms) is distinct from (new.id, new.provider, new.video_id, new.bytes, new.duration_ms)) then
    raise exception 'the interview has ended and already has its recording' using errcode = '55000';
  end if;
  return new;
end
$$;

create trigger recordings_guard_after_end before insert or update on public.recordings
  for each row execute function private.guard_recording_after_end();

-- The triggers run as the caller (so current_user names the client role and RLS bounds their reads):
-- the caller needs to execute the two helpers, and nothing else here.
revoke all on function private.evidence_limits() from public, anon;
revoke all on function private.is_client_role() from public, anon;
grant execute on function private.evidence_limits(), private.is_client_role() to authenticated;
revoke all on function private.check_session_event() from public, anon, authenticated;
revoke all on function private.bound_session_events() from public, anon, authenticated;
revoke all on function private.freeze_ended_session_audit() from public, anon, authenticated;
revoke all on function private.guard_recording_after_end() from public, anon, authenticated;
