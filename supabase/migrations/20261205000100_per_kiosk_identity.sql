-- Each kiosk has its own device identity, and that identity reaches only the interviews assigned to
-- its own kiosk. Before this migration the `kiosk` role was tenant-wide: one kiosk's credentials (kept
-- in clear in every kiosk's tenant config) read every candidate's name and e-mail, every transcript,
-- the positions' briefs and plans and the tenant's proxy settings, and could start, write to and end
-- any interview of the tenant.
--
--   1. Enrolment: an admin issues a one-time code for one kiosk row (kiosk-enrolment-code);
--      only its sha-256 is stored, it expires, and it is spent by the first redemption. The kiosk-enrol
--      edge function redeems it (private.claim_kiosk_enrolment), creates the kiosk's own Auth user and
--      binds it (private.complete_kiosk_enrolment): kiosks.device_user_id and a `kiosk` membership. A
--      kiosk enrolled again loses its previous device identity's membership in the same step.
--   2. One device identity per kiosk row, and the kiosk role's reach: its own kiosk row; the sessions
--      assigned to that kiosk while they run (and, ended, for as long as a resumed upload may still
--      register their recording); their transcript and events while they run. No tenant row, no
--      position, no candidate: what an interview needs of those comes through security-definer
--      functions that check the kiosk first (private.interview_launch, private.kiosk_sessions).
--   3. The lifecycle functions (start, end, correction) apply the same kiosk rule as the policies.
-- Policies keep reading the caller through (select auth.uid()), once per statement; staff (admin,
-- proctor) keep their tenant-wide reach.

-- 2a. One kiosk row per device identity. A database where several kiosk rows share one identity (the
-- old shared set-up) keeps it on the oldest row; the others must be enrolled.
update public.kiosks k set device_user_id = null
where k.device_user_id is not null
  and exists (select 1 from public.kiosks o
              where o.device_user_id = k.device_user_id and (o.created_at, o.id) < (k.created_at, k.id));
drop index if exists public.kiosks_device_user_id_idx;
create unique index kiosks_device_user_id_key on public.kiosks (device_user_id) where device_user_id is not null;

-- The caller's writing role for one interview: staff of its tenant, or the device identity of the
-- kiosk it is assigned to. Null for everyone else, including another kiosk of the same tenant.
create function private.session_writer_role(p_tenant_id uuid, p_kiosk_id uuid) returns text
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when r.role in ('admin', 'proctor') then r.role
    when r.role = 'kiosk' and p_kiosk_id is not null
         and exists (select 1 from public.kiosks k
                     where k.id = p_kiosk_id and k.tenant_id = p_tenant_id and k.device_user_id = (select auth.uid()))
      then 'kiosk'
  end
  from (select private.caller_role(p_tenant_id) as role) r
$$;
revoke all on function private.session_writer_role(uuid, uuid) from public, anon, authenticated;

-- 2b. Policies. Every tenant-wide read or write that included the kiosk role is narrowed to staff,
-- and the kiosk gets its own, assignment-bound policy next to it.
drop policy "members read their tenant" on public.tenants;
create policy "staff read their tenant" on public.tenants
  for select to authenticated
  using (id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));

drop policy "members read kiosks" on public.kiosks;
create policy "staff read kiosks" on public.kiosks
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
-- Every kiosk policy below finds "my kiosk" through this one row, so a device user who lost its
-- membership (a revoked kiosk) reaches nothing, even while kiosks.device_user_id still names it.
create policy "a kiosk reads its own row" on public.kiosks
  for select to authenticated
  using (device_user_id = (select auth.uid())
         and tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'kiosk'));

drop policy "members read positions" on public.positions;
create policy "staff read positions" on public.positions
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));

drop policy "members read candidates" on public.candidates;
create policy "staff read candidates" on public.candidates
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));

drop policy "members read sessions" on public.interview_sessions;
create policy "staff read sessions" on public.interview_sessions
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
-- Running, or ended so recently that the kiosk may still be replaying its end or registering the
-- recording (the grace private.guard_recording_after_end allows).
create policy "a kiosk reads its running interviews" on public.interview_sessions
  for select to authenticated
  using (kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid()))
         and (status = 'in_progress'
              or status in ('completed', 'failed')
                 and ended_at > now() - (select l.recording_grace from private.evidence_limits() l)));

drop policy "writers run sessions" on public.interview_sessions;
create policy "staff run sessions" on public.interview_sessions
  for update to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')))
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
create policy "a kiosk runs its interview while in progress" on public.interview_sessions
  for update to authenticated
  using (kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid())) and status = 'in_progress')
  with check (kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid())) and status = 'in_progress');

drop policy "members read transcripts" on public.transcript_entries;
create policy "staff read transcripts" on public.transcript_entries
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
create policy "a kiosk reads its running transcript" on public.transcript_entries
  for select to authenticated
  using (interview_session_id in (
    select s.id from public.interview_sessions s
    where s.kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid())) and s.status = 'in_progress'));

drop policy "writers add entries while in progress" on public.transcript_entries;
create policy "staff add entries while in progress" on public.transcript_entries
  for insert to authenticated
  with check (
    tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor'))
    and interview_session_id in (select s.id from public.interview_sessions s where s.status = 'in_progress'));
create policy "a kiosk adds entries to its running interview" on public.transcript_entries
  for insert to authenticated
  with check (interview_session_id in (
    select s.id from public.interview_sessions s
    where s.kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid())) and s.status = 'in_progress'));

drop policy "members read session events" on public.session_events;
create policy "staff read session events" on public.session_events
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
create policy "a kiosk reads its running interview's events" on public.session_events
  for select to authenticated
  using (interview_session_id in (
    select s.id from public.interview_sessions s
    where s.kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid())) and s.status = 'in_progress'));

drop policy "writers append session events" on public.session_events;
create policy "staff append session events" on public.session_events
  for insert to authenticated
  with check (
    tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor'))
    and kind <> 'transcript_correction');
create policy "a kiosk appends to its running interview's events" on public.session_events
  for insert to authenticated
  with check (
    interview_session_id in (
      select s.id from public.interview_sessions s
      where s.kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid())) and s.status = 'in_progress')
    and kind <> 'transcript_correction');

drop policy "members read recordings" on public.recordings;
create policy "staff read recordings" on public.recordings
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
-- The sessions subquery runs under the kiosk's own session policy: running or within the grace.
create policy "a kiosk reads its interviews' recordings" on public.recordings
  for select to authenticated
  using (interview_session_id in (
    select s.id from public.interview_sessions s
    where s.kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid()))));

drop policy "writers add recordings" on public.recordings;
create policy "staff add recordings" on public.recordings
  for insert to authenticated
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
create policy "a kiosk adds its interviews' recordings" on public.recordings
  for insert to authenticated
  with check (interview_session_id in (
    select s.id from public.interview_sessions s
    where s.kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid()))));

drop policy "writers change recordings" on public.recordings;
create policy "staff change recordings" on public.recordings
  for update to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')))
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
create policy "a kiosk changes its interviews' recordings" on public.recordings
  for update to authenticated
  using (interview_session_id in (
    select s.id from public.interview_sessions s
    where s.kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid()))))
  with check (interview_session_id in (
    select s.id from public.interview_sessions s
    where s.kiosk_id in (select k.id from public.kiosks k where k.device_user_id = (select auth.uid()))));

-- 2c. What an interview needs of the tables the kiosk no longer reads, checked here.
-- interview-start's launch: the session (locked), its candidate's name, its position's brief, the
-- tenant's proxy settings and policies. Staff of the tenant get any of its interviews; a kiosk only the
-- one running on it (it resumes, a proctor starts). 42501 for everything else, one answer for all.
create function private.interview_launch(p_session_id uuid)
returns table (
  id uuid, tenant_id uuid, status text, proxy_machine_id text, role text, kiosk_id uuid,
  candidate_id uuid, candidate_name text,
  position_id uuid, title text, description text, instructions text, interview_plan jsonb, voice text, model text,
  transcription_model text, position_minutes integer,
  proxy_strategy text, proxy_url text, fly_app_name text, fly_region text, fly_image text,
  tenant_minutes integer, consent_text text, recording_enabled boolean
)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session public.interview_sessions%rowtype;
  v_role text;
begin
  select * into v_session from public.interview_sessions s where s.id = p_session_id for update;
  v_role := case when found then private.session_writer_role(v_session.tenant_id, v_session.kiosk_id) end;
  if v_role is null or (v_role = 'kiosk' and v_session.status <> 'in_progress') then
    raise exception 'not allowed to launch this interview' using errcode = '42501';
  end if;
  return query
    select v_session.id, v_session.tenant_id, v_session.status, v_session.proxy_machine_id, v_role, v_session.kiosk_id,
           c.id, c.name,
           p.id, p.title, p.description, p.instructions, p.interview_plan, p.voice, p.model,
           p.transcription_model, p.max_duration_minutes,
           t.proxy_strategy, t.proxy_url, t.fly_app_name, t.fly_region, t.fly_image,
           t.max_duration_minutes, t.consent_text, t.recording_enabled
    from public.candidates c, public.positions p, public.tenants t
    where c.id = v_session.candidate_id and p.id = v_session.position_id and t.id = v_session.tenant_id;
end
$$;
revoke all on function private.interview_launch(uuid) from public, anon;
grant execute on function private.interview_launch(uuid) to authenticated, service_role;

-- kiosk-sessions for a kiosk: the interviews assigned to the caller's own kiosk that run or are
-- scheduled for today (UTC), with the candidate's name and the position's title, nothing more.
create function private.kiosk_sessions()
returns table (id uuid, scheduled_at timestamptz, status text, candidate_id uuid, candidate_name text,
               position_id uuid, position_title text)
language sql
stable
security definer
set search_path = ''
as $$
  select s.id, s.scheduled_at, s.status, c.id, c.name, p.id, p.title
  from public.kiosks k
  join public.tenant_users tu on tu.tenant_id = k.tenant_id and tu.user_id = k.device_user_id and tu.role = 'kiosk'
  join public.interview_sessions s on s.kiosk_id = k.id
  join public.candidates c on c.id = s.candidate_id
  join public.positions p on p.id = s.position_id
  where k.device_user_id = (select auth.uid())
    and (s.status = 'in_progress'
         or s.status = 'scheduled'
            and s.scheduled_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
            and s.scheduled_at < (date_trunc('day', now() at time zone 'UTC') + interval '1 day') at time zone 'UTC')
  order by s.scheduled_at, s.id
$$;
revoke all on function private.kiosk_sessions() from public, anon;
grant execute on function private.kiosk_sessions() to authenticated, service_role;

-- 3. The lifecycle functions, with the kiosk bound to its own interviews (only the role line changes).
create or replace function private.start_interview(p_session_id uuid, p_webrtc_server_url text, p_proxy_machine_id text)
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
  v_role := case when found then private.session_writer_role(v_session.tenant_id, v_session.kiosk_id) end;
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
  v_role := case when found then private.session_writer_role(v_session.tenant_id, v_session.kiosk_id) end;
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

create or replace function private.correct_transcript_entry(
  p_session_id uuid,
  p_correction_id uuid,
  p_target_id uuid,
  p_seq integer,
  p_speaker text,
  p_text text,
  p_confidence real
) returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session public.interview_sessions%rowtype;
  v_role text;
  v_target public.transcript_entries%rowtype;
  v_data jsonb;
begin
  -- A share lock: the interview cannot end (or change state) while a correction to it is applied.
  select * into v_session from public.interview_sessions s where s.id = p_session_id for share;
  v_role := case when found then private.session_writer_role(v_session.tenant_id, v_session.kiosk_id) end;
  -- The rule the row-level security applies to writes: the tenant's staff and its kiosk identity.
  if v_role is null or v_role not in ('admin', 'proctor', 'kiosk') then
    raise exception 'not allowed to correct this interview''s transcript' using errcode = '42501';
  end if;
  if not (v_session.status = 'in_progress'
          or v_session.status in ('completed', 'failed')
             and v_session.ended_at is not null
             and now() <= v_session.ended_at + private.transcript_correction_grace()) then
    raise exception 'the interview is % and no longer takes corrections', v_session.status using errcode = '55000';
  end if;
  if p_correction_id is null or p_target_id is null or p_correction_id = p_target_id then
    raise exception 'a correction needs its own id and the id of the entry it corrects' using errcode = '22023';
  end if;
  if p_text is null or length(p_text) > 20000 then
    raise exception 'a correction needs a text of at most 20000 characters' using errcode = '22023';
  end if;

  select * into v_target from public.transcript_entries t
  where t.id = p_target_id and t.interview_session_id = p_session_id
  for update;
  if v_target.id is not null and v_target.corrected_by = p_correction_id then
    return 'duplicate';
  end if;
  if exists (select 1 from public.transcript_entries t where t.id = p_correction_id)
     or exists (select 1 from public.transcript_entries t where t.corrected_by = p_correction_id) then
    return 'conflict';
  end if;
  if v_target.id is null then
    return 'not_found';
  end if;
  if v_target.seq <> p_seq then
    return 'seq_mismatch';
  end if;
  if v_target.speaker <> p_speaker then
    return 'speaker_mismatch';
  end if;
  if v_target.status <> 'failed' then
    return 'not_failed';
  end if;

  update public.transcript_entries t
  set text = p_text,
      status = 'final',
      confidence = p_confidence,
      corrected_by = p_correction_id,
      corrected_at = now(),
      original_text = v_target.text,
      original_status = v_target.status
  where t.id = p_target_id;

  -- Events keep to the 32 KB the log allows; the row above holds both texts in full.
  v_data := jsonb_build_object('seq', p_seq, 'target', p_target_id, 'correction', p_correction_id,
                               'original_text', v_target.text, 'text', p_text);
  if octet_length(v_data::text) > 32768 then
    v_data := jsonb_build_object('seq', p_seq, 'target', p_target_id, 'correction', p_correction_id,
                                 'original_text', left(v_target.text, 2000), 'text', left(p_text, 2000), 'truncated', true);
  end if;
  insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data)
  values (extensions.gen_random_uuid(), p_session_id, v_session.tenant_id, 'transcript_correction', now(), v_data);
  return 'corrected';
end
$$;

-- 1. Enrolment codes. Not in an exposed schema and no client privilege: only the functions below touch it.
create table private.kiosk_enrolments (
  id uuid primary key default extensions.gen_random_uuid(),
  kiosk_id uuid not null,
  tenant_id uuid not null,
  -- sha-256 of the code: a read of this table (a backup, a support query) gives no usable code.
  code_hash bytea not null unique check (octet_length(code_hash) = 32),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  claimed_at timestamptz,
  device_user_id uuid references auth.users (id) on delete set null,
  enrolled_at timestamptz,
  foreign key (kiosk_id, tenant_id) references public.kiosks (id, tenant_id) on delete cascade
);
create index kiosk_enrolments_kiosk_id_idx on private.kiosk_enrolments (kiosk_id);
alter table private.kiosk_enrolments enable row level security;
revoke all on private.kiosk_enrolments from public, anon, authenticated;

-- Issues a code for one kiosk; earlier unused codes of that kiosk expire at once, so at most one is
-- outstanding. The code (32 hex digits, 128 random bits) is returned here and never again.
create function private.issue_kiosk_enrolment(p_kiosk_id uuid, p_valid_for interval, p_created_by uuid)
returns table (code text, expires_at timestamptz)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tenant uuid;
  v_code text := encode(extensions.gen_random_bytes(16), 'hex');
  v_expires timestamptz := now() + p_valid_for;
begin
  if p_valid_for is null or p_valid_for < interval '5 minutes' or p_valid_for > interval '7 days' then
    raise exception 'an enrolment code is valid for 5 minutes to 7 days' using errcode = '22023';
  end if;
  select k.tenant_id into v_tenant from public.kiosks k where k.id = p_kiosk_id;
  if v_tenant is null then
    raise exception 'no such kiosk' using errcode = '42501';
  end if;
  update private.kiosk_enrolments e set expires_at = now()
  where e.kiosk_id = p_kiosk_id and e.claimed_at is null and e.expires_at > now();
  insert into private.kiosk_enrolments (kiosk_id, tenant_id, code_hash, created_by, expires_at)
  values (p_kiosk_id, v_tenant, extensions.digest(v_code, 'sha256'), p_created_by, v_expires);
  return query select v_code, v_expires;
end
$$;
revoke all on function private.issue_kiosk_enrolment(uuid, interval, uuid) from public, anon, authenticated;
grant execute on function private.issue_kiosk_enrolment(uuid, interval, uuid) to service_role;

-- The admin's way in (the kiosk-enrolment-code edge function, as the caller): an admin of the kiosk's
-- tenant, nobody else; "no such kiosk" and "not your kiosk" are one answer.
create function private.create_kiosk_enrolment_code(p_kiosk_id uuid, p_valid_minutes integer default 1440)
returns table (code text, expires_at timestamptz)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tenant uuid;
begin
  select k.tenant_id into v_tenant from public.kiosks k where k.id = p_kiosk_id;
  if v_tenant is null or private.caller_role(v_tenant) is distinct from 'admin' then
    raise exception 'only an admin of the kiosk''s assessment centre may enrol it' using errcode = '42501';
  end if;
  return query select i.code, i.expires_at
    from private.issue_kiosk_enrolment(p_kiosk_id, make_interval(mins => p_valid_minutes), (select auth.uid())) i;
end
$$;
revoke all on function private.create_kiosk_enrolment_code(uuid, integer) from public, anon;
grant execute on function private.create_kiosk_enrolment_code(uuid, integer) to authenticated, service_role;

-- Spends a code: the first redemption of an unexpired code, by the kiosk it was issued for, claims it;
-- every other attempt (unknown, expired, already used, another kiosk's) gets the same refusal and
-- spends nothing, so a kiosk configured with the wrong code cannot retire another kiosk's identity.
-- Committed before the Auth user is created, so two concurrent redemptions cannot both go on.
create function private.claim_kiosk_enrolment(p_code text, p_kiosk_id uuid)
returns table (enrolment_id uuid, kiosk_id uuid, tenant_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
begin
  return query
    update private.kiosk_enrolments e set claimed_at = now()
    where e.code_hash = extensions.digest(coalesce(p_code, ''), 'sha256') and e.kiosk_id = p_kiosk_id
      and e.claimed_at is null and e.expires_at > now()
    returning e.id, e.kiosk_id, e.tenant_id;
  if not found then
    raise exception 'this enrolment code is unknown, expired or already used' using errcode = '42501';
  end if;
end
$$;
revoke all on function private.claim_kiosk_enrolment(text, uuid) from public, anon, authenticated;
grant execute on function private.claim_kiosk_enrolment(text, uuid) to service_role;

-- Binds the new Auth user to the claimed code's kiosk: it becomes the kiosk's device identity with
-- role `kiosk`, and the identity it replaces (if any) loses its membership in the same transaction.
-- Returns that previous identity so the caller can delete its Auth user.
create function private.complete_kiosk_enrolment(p_enrolment_id uuid, p_user_id uuid)
returns table (kiosk_id uuid, tenant_id uuid, previous_device_user_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_enrolment private.kiosk_enrolments%rowtype;
  v_previous uuid;
begin
  select * into v_enrolment from private.kiosk_enrolments e where e.id = p_enrolment_id for update;
  if not found or v_enrolment.claimed_at is null or v_enrolment.enrolled_at is not null then
    raise exception 'this enrolment is not waiting for its device identity' using errcode = '55000';
  end if;
  select k.device_user_id into v_previous from public.kiosks k where k.id = v_enrolment.kiosk_id for update;
  if not found then
    raise exception 'the kiosk was removed while it enrolled' using errcode = '55000';
  end if;
  if v_previous is not null then
    delete from public.tenant_users tu
    where tu.user_id = v_previous and tu.tenant_id = v_enrolment.tenant_id and tu.role = 'kiosk';
  end if;
  update public.kiosks k set device_user_id = p_user_id where k.id = v_enrolment.kiosk_id;
  insert into public.tenant_users (tenant_id, user_id, role) values (v_enrolment.tenant_id, p_user_id, 'kiosk');
  update private.kiosk_enrolments e set device_user_id = p_user_id, enrolled_at = now() where e.id = p_enrolment_id;
  -- Deleting the old Auth user also ends its sessions; an account that is still a member elsewhere stays.
  if v_previous is not null and exists (select 1 from public.tenant_users tu where tu.user_id = v_previous) then
    v_previous := null;
  end if;
  return query select v_enrolment.kiosk_id, v_enrolment.tenant_id, v_previous;
end
$$;
revoke all on function private.complete_kiosk_enrolment(uuid, uuid) from public, anon, authenticated;
grant execute on function private.complete_kiosk_enrolment(uuid, uuid) to service_role;
