-- Who may touch what. Tenant users act only inside their tenants, by role:
--   admin   – configuration (tenant, kiosks, positions) and everything below;
--   proctor – candidates and scheduling, and the interview data;
--   kiosk   – the kiosk's device identity: writes interview data (sessions, transcript, events, recordings).
-- A candidate (matched by the verified e-mail in their JWT) reads only their own sessions and transcript.
-- anon gets nothing. Policies target `authenticated` and call auth.uid()/auth.email() once per
-- statement through (select …); every column they filter on is indexed.

-- Candidates are matched by e-mail: keep one spelling.
alter table public.candidates add constraint candidates_email_lowercase check (email = lower(email));

alter table public.tenants enable row level security;
alter table public.tenant_users enable row level security;
alter table public.kiosks enable row level security;
alter table public.positions enable row level security;
alter table public.candidates enable row level security;
alter table public.interview_sessions enable row level security;
alter table public.transcript_entries enable row level security;
alter table public.session_events enable row level security;
alter table public.recordings enable row level security;

-- Supabase grants every new table to anon and authenticated by default: take that back and grant each
-- role only the statements some policy allows.
revoke all on all tables in schema public from anon, authenticated;
revoke all on all sequences in schema public from anon, authenticated;
revoke all on all functions in schema public from public, anon, authenticated;
alter default privileges for role postgres in schema public revoke all on tables from anon;
alter default privileges for role postgres in schema public revoke all on functions from anon;
alter default privileges for role postgres in schema public revoke all on sequences from anon;

grant select, update on public.tenants to authenticated;
grant select on public.tenant_users to authenticated;
grant select, insert, update, delete on public.kiosks to authenticated;
grant select, insert, update, delete on public.positions to authenticated;
grant select, insert, update, delete on public.candidates to authenticated;
grant select, insert, update, delete on public.interview_sessions to authenticated;
grant select, insert, update on public.transcript_entries to authenticated;
grant select, insert on public.session_events to authenticated;
grant select, insert, update on public.recordings to authenticated;
grant all on all tables in schema public to service_role;

-- tenant_users: each user sees their own memberships, which is all the policies below need.
create policy "members read their own memberships" on public.tenant_users
  for select to authenticated
  using (user_id = (select auth.uid()));

-- tenants
create policy "members read their tenant" on public.tenants
  for select to authenticated
  using (id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid())));
create policy "admins update their tenant" on public.tenants
  for update to authenticated
  using (id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'))
  with check (id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'));

-- kiosks and positions: configuration, read by every member, written by admins.
create policy "members read kiosks" on public.kiosks
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid())));
create policy "admins add kiosks" on public.kiosks
  for insert to authenticated
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'));
create policy "admins change kiosks" on public.kiosks
  for update to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'))
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'));
create policy "admins remove kiosks" on public.kiosks
  for delete to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'));

create policy "members read positions" on public.positions
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid())));
create policy "admins add positions" on public.positions
  for insert to authenticated
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'));
create policy "admins change positions" on public.positions
  for update to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'))
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'));
create policy "admins remove positions" on public.positions
  for delete to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'));

-- candidates: read by members (the kiosk shows the candidate's name), managed by staff; a candidate reads
-- their own record.
create policy "members read candidates" on public.candidates
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid())));
create policy "candidates read themselves" on public.candidates
  for select to authenticated
  using (email = (select auth.email()));
create policy "staff add candidates" on public.candidates
  for insert to authenticated
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
create policy "staff change candidates" on public.candidates
  for update to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')))
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
create policy "staff remove candidates" on public.candidates
  for delete to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));

-- interview_sessions: scheduled by staff, run (updated) by staff and the kiosk, removed by admins.
create policy "members read sessions" on public.interview_sessions
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid())));
create policy "candidates read their sessions" on public.interview_sessions
  for select to authenticated
  using (candidate_id in (select c.id from public.candidates c where c.email = (select auth.email())));
create policy "staff schedule sessions" on public.interview_sessions
  for insert to authenticated
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor')));
create policy "writers run sessions" on public.interview_sessions
  for update to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk')))
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk')));
create policy "admins remove sessions" on public.interview_sessions
  for delete to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'admin'));

-- transcript_entries: written only while the session is in progress; never deleted through the API.
create policy "members read transcripts" on public.transcript_entries
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid())));
create policy "candidates read their transcripts" on public.transcript_entries
  for select to authenticated
  using (interview_session_id in (
    select s.id from public.interview_sessions s
    where s.candidate_id in (select c.id from public.candidates c where c.email = (select auth.email()))));
create policy "writers add entries while in progress" on public.transcript_entries
  for insert to authenticated
  with check (
    tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk'))
    and interview_session_id in (select s.id from public.interview_sessions s where s.status = 'in_progress'));
create policy "writers correct entries while in progress" on public.transcript_entries
  for update to authenticated
  using (
    tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk'))
    and interview_session_id in (select s.id from public.interview_sessions s where s.status = 'in_progress'))
  with check (
    tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk'))
    and interview_session_id in (select s.id from public.interview_sessions s where s.status = 'in_progress'));

-- session_events: append-only (no update or delete grant; a trigger refuses updates even to owners).
create policy "members read session events" on public.session_events
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid())));
create policy "writers append session events" on public.session_events
  for insert to authenticated
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk')));

-- recordings
create policy "members read recordings" on public.recordings
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid())));
create policy "writers add recordings" on public.recordings
  for insert to authenticated
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk')));
create policy "writers change recordings" on public.recordings
  for update to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk')))
  with check (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk')));
