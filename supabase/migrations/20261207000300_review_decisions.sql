-- The review console: the tenant's reviewers read finished interviews and record the human decision.
--   1. Reviewers read what a review rests on, and only once the interview is over: the finished session,
--      its candidate and position (names for the list), transcript, session events and recording rows.
--      Admins and proctors keep the tenant-wide reach they had; kiosks and candidates gain nothing.
--   2. public.review_decisions: the human decision per competency (competency_key null = the overall
--      decision), confirm or override, with who and when. Append-only: a change of mind is a new row,
--      so the history of who decided what stays readable. The AI assessment (another migration) is only
--      ever a suggestion; this table is the decision.

-- 1. Reviewer reads. The sessions subqueries below run under the caller's own session policies.
create policy "reviewers read finished sessions" on public.interview_sessions
  for select to authenticated
  using (status in ('completed', 'failed')
         and tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'reviewer'));

create policy "reviewers read candidates" on public.candidates
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'reviewer'));

create policy "reviewers read positions" on public.positions
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'reviewer'));

create policy "reviewers read finished transcripts" on public.transcript_entries
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'reviewer')
         and interview_session_id in (select s.id from public.interview_sessions s where s.status in ('completed', 'failed')));

create policy "reviewers read finished session events" on public.session_events
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'reviewer')
         and interview_session_id in (select s.id from public.interview_sessions s where s.status in ('completed', 'failed')));

create policy "reviewers read finished recordings" on public.recordings
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role = 'reviewer')
         and interview_session_id in (select s.id from public.interview_sessions s where s.status in ('completed', 'failed')));

-- 2. Decisions.
create table public.review_decisions (
  id uuid primary key default extensions.gen_random_uuid(),
  tenant_id uuid not null,
  interview_id uuid not null,
  -- The suggestion this decision answers (public.interview_assessments.id), null when there was none.
  -- No foreign key: the assessments table belongs to the processing migration, and a decision must
  -- outlive a re-run assessment.
  assessment_id uuid,
  competency_key text check (length(competency_key) between 1 and 100),
  decision text not null check (decision in ('confirm', 'override')),
  score integer check (score between 0 and 1000),
  note text not null default '' check (length(note) <= 4000),
  decided_by uuid not null default auth.uid() references auth.users (id),
  -- As the token said it when deciding: the history names people, and clients read no auth.users.
  decided_by_email text default auth.email() check (length(decided_by_email) <= 320),
  decided_at timestamptz not null default now(),
  foreign key (interview_id, tenant_id) references public.interview_sessions (id, tenant_id) on delete cascade,
  -- Overriding a competency means giving it another score and saying why.
  constraint review_decisions_override_explained check (
    decision = 'confirm'
    or (length(btrim(note)) > 0 and (competency_key is null or score is not null)))
);
create index review_decisions_interview_idx on public.review_decisions (interview_id, tenant_id, decided_at);
create index review_decisions_tenant_idx on public.review_decisions (tenant_id);
create index review_decisions_decided_by_idx on public.review_decisions (decided_by);

alter table public.review_decisions enable row level security;
revoke all on public.review_decisions from public, anon, authenticated;
grant select on public.review_decisions to authenticated;
-- Column privileges: a client names what it decides, never who decided or when (the defaults do).
grant insert (tenant_id, interview_id, assessment_id, competency_key, decision, score, note)
  on public.review_decisions to authenticated;
grant all on public.review_decisions to service_role;

create policy "reviewers read their tenant's decisions" on public.review_decisions
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'reviewer')));

create policy "reviewers decide on finished interviews" on public.review_decisions
  for insert to authenticated
  with check (
    decided_by = (select auth.uid())
    and tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'reviewer'))
    and interview_id in (select s.id from public.interview_sessions s where s.status in ('completed', 'failed')));

-- Nobody edits a stored decision, whatever their grants (the service role and the owner included). A
-- delete is refused too, except as the cascade of removing the interview or the tenant (data erasure),
-- which reaches this trigger one level down.
create function private.review_decisions_append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and pg_trigger_depth() > 1 then
    return old;
  end if;
  raise exception 'review_decisions is append-only: record a new decision instead' using errcode = '42501';
end
$$;
revoke all on function private.review_decisions_append_only() from public, anon, authenticated;

create trigger review_decisions_append_only before update or delete on public.review_decisions
  for each row execute function private.review_decisions_append_only();
create trigger review_decisions_no_truncate before truncate on public.review_decisions
  for each statement execute function private.review_decisions_append_only();
