-- An interview's lifecycle (start, end) changes only through the rules that guard it, never through a
-- plain UPDATE from a client. Before this migration the kiosk identity and proctors could set
-- `status`, `ended_at` or `last_seq` through the Data API and skip the gap check of interview-end.
--
-- The mechanism:
--   * `authenticated` keeps UPDATE only on the columns a client legitimately writes (the schedule and
--     the WebRTC audit), and INSERT only on the scheduling columns, so a new session always starts
--     `scheduled`. Writing any other column fails with 42501 (permission denied), whatever RLS says.
--   * The lifecycle columns (status, started_at, ended_at, end_reason, last_seq, webrtc_server_url,
--     proxy_machine_id) are written by `private.start_interview` and `private.end_interview`: security
--     definer functions that re-check the caller's tenant role from `auth.uid()` and the state rules,
--     including the gap check, before they write. The edge functions call them inside the caller's
--     transaction; `private` is not an exposed API schema, so the Data API cannot reach them.
--   * A trigger keeps a started interview's schedule (candidate, position, kiosk, time) fixed for
--     clients, and leaves rescheduling to staff.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

revoke insert, update on public.interview_sessions from authenticated;
grant insert (id, tenant_id, candidate_id, position_id, kiosk_id, scheduled_at)
  on public.interview_sessions to authenticated;
grant update (candidate_id, position_id, kiosk_id, scheduled_at,
              webrtc_status, webrtc_session_id, ice_candidates, sdp_offers, sdp_answers)
  on public.interview_sessions to authenticated;

-- The caller's role in a tenant, from the verified claims the API layer set for this transaction.
create function private.caller_role(p_tenant_id uuid) returns text
language sql
stable
security definer
set search_path = ''
as $$
  select tu.role from public.tenant_users tu
  where tu.tenant_id = p_tenant_id and tu.user_id = (select auth.uid())
$$;

create function private.start_interview(p_session_id uuid, p_webrtc_server_url text, p_proxy_machine_id text)
returns table (started_at timestamptz, next_seq integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session public.interview_sessions%rowtype;
  v_role text;
begin
  select * into v_session from public.interview_sessions s where s.id = p_session_id for update;
  v_role := case when found then private.caller_role(v_session.tenant_id) end;
  -- One answer for "no such session" and "not yours", so the function reveals nothing about other tenants.
  if v_role is null or v_role not in ('admin', 'proctor', 'kiosk') then
    raise exception 'not allowed to start this interview' using errcode = '42501';
  end if;
  if v_session.status not in ('scheduled', 'in_progress') then
    raise exception 'interview is %, it cannot start', v_session.status using errcode = '55000';
  end if;
  -- The kiosk identity may resume a running interview after a restart, not begin one.
  if v_session.status = 'scheduled' and v_role = 'kiosk' then
    raise exception 'a proctor must start this interview' using errcode = '42501';
  end if;

  update public.interview_sessions s
  set status = 'in_progress',
      started_at = coalesce(s.started_at, now()),
      webrtc_status = 'connecting',
      webrtc_server_url = p_webrtc_server_url,
      proxy_machine_id = p_proxy_machine_id
  where s.id = p_session_id;

  return query
    select s.started_at,
           (select coalesce(max(t.seq), -1) + 1 from public.transcript_entries t where t.interview_session_id = s.id)::integer
    from public.interview_sessions s where s.id = p_session_id;
end
$$;

-- Closes an interview only when every entry up to p_last_seq is stored; otherwise returns the first
-- 1000 missing seqs and changes nothing. Ending an ended interview returns its status again.
create function private.end_interview(p_session_id uuid, p_last_seq integer, p_reason text)
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

  select coalesce(array_agg(m.seq order by m.seq), '{}') into v_missing
  from (select g.seq from generate_series(0, p_last_seq) as g(seq)
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
      last_seq = p_last_seq,
      webrtc_status = case when v_status = 'failed' then 'failed' else 'closed' end
  where s.id = p_session_id;

  return query
    select v_status, '{}'::integer[], v_session.proxy_machine_id, t.fly_app_name, t.proxy_strategy
    from public.tenants t where t.id = v_session.tenant_id;
end
$$;

revoke all on function private.caller_role(uuid) from public, anon, authenticated;
revoke all on function private.start_interview(uuid, text, text) from public, anon;
revoke all on function private.end_interview(uuid, integer, text) from public, anon;
grant execute on function private.start_interview(uuid, text, text) to authenticated, service_role;
grant execute on function private.end_interview(uuid, integer, text) to authenticated, service_role;

-- Clients (not the functions above, which run as their owner) may reschedule only an interview that
-- has not started, and only as staff: the kiosk identity runs interviews, it does not plan them.
create function public.guard_session_schedule() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('authenticated', 'anon') then
    return new;
  end if;
  if (new.candidate_id, new.position_id, new.kiosk_id, new.scheduled_at)
     is distinct from (old.candidate_id, old.position_id, old.kiosk_id, old.scheduled_at) then
    if old.status <> 'scheduled' then
      raise exception 'interview is %: its schedule can no longer change', old.status using errcode = '42501';
    end if;
    if not exists (select 1 from public.tenant_users tu
                   where tu.tenant_id = old.tenant_id and tu.user_id = (select auth.uid())
                     and tu.role in ('admin', 'proctor')) then
      raise exception 'only staff may reschedule an interview' using errcode = '42501';
    end if;
  end if;
  return new;
end
$$;
revoke all on function public.guard_session_schedule() from public, anon, authenticated;

create trigger interview_sessions_guard_schedule before update on public.interview_sessions
  for each row execute function public.guard_session_schedule();
