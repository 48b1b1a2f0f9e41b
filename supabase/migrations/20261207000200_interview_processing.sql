-- Processing after the interview (issue 14, server half).
--   1. A durable job queue in a table (`processing_jobs`): closing an interview queues its jobs in the
--      same transaction as the close; a worker claims them with `for update skip locked`, retries with
--      backoff, and a job whose worker died is reclaimed after its lock times out. pgmq is not used:
--      it does not install on the embedded Postgres the tests and the local stack run (its binaries
--      are not in the package), and a queue the tests cannot run is a queue nobody tested.
--   2. `interview_reports`: the analytics of a finished interview, one row per interview, upserted.
--   3. `interview_running_figures`: candidate speech and questions covered so far, refreshed by a
--      statement trigger in the transaction that stores each transcript batch or correction.
--   4. AI assessment, per tenant opt-in: `positions.rubric`, `tenants.ai_assessment_enabled`, and
--      `interview_assessments` (always a suggestion awaiting human review, or a failure with reason).
-- Staff read through RLS (reviewer and admin; running figures also proctor). No client role writes
-- any of these tables: only the worker (service_role) and the security-definer triggers do.

-- 4a. Rubric and opt-in. The rubric's shape is checked by the worker with zod (docs/backend.md); the
-- database only keeps it an object.
alter table public.positions
  add column rubric jsonb check (rubric is null or jsonb_typeof(rubric) = 'object');
alter table public.tenants
  add column ai_assessment_enabled boolean not null default false;

-- 1. Jobs.
create table public.processing_jobs (
  id uuid primary key default extensions.gen_random_uuid(),
  tenant_id uuid not null,
  interview_id uuid not null,
  kind text not null check (kind in ('report', 'assessment')),
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),
  -- Claims so far, a reclaimed crash included.
  attempts integer not null default 0 check (attempts >= 0),
  run_after timestamptz not null default now(),
  locked_at timestamptz,
  -- Which claim holds the job: a worker whose lock timed out and was reclaimed can no longer finish it.
  claim_id uuid,
  last_error text check (length(last_error) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (interview_id, kind),
  check ((status = 'running') = (locked_at is not null and claim_id is not null)),
  foreign key (interview_id, tenant_id) references public.interview_sessions (id, tenant_id) on delete cascade
);
create index processing_jobs_interview_tenant_idx on public.processing_jobs (interview_id, tenant_id);
create index processing_jobs_tenant_idx on public.processing_jobs (tenant_id, status);
-- The claim's scan: due pending jobs and running ones whose lock may have timed out.
create index processing_jobs_due_idx on public.processing_jobs (run_after) where status in ('pending', 'running');
create trigger processing_jobs_touch before update on public.processing_jobs
  for each row execute function public.touch_updated_at();

-- 2. Reports.
create table public.interview_reports (
  interview_id uuid primary key,
  tenant_id uuid not null,
  analytics jsonb not null check (jsonb_typeof(analytics) = 'object'),
  computed_at timestamptz not null default now(),
  report_version integer not null check (report_version >= 1),
  foreign key (interview_id, tenant_id) references public.interview_sessions (id, tenant_id) on delete cascade
);
create index interview_reports_interview_tenant_idx on public.interview_reports (interview_id, tenant_id);
create index interview_reports_tenant_idx on public.interview_reports (tenant_id);

-- 3. Running figures.
create table public.interview_running_figures (
  interview_id uuid primary key,
  tenant_id uuid not null,
  candidate_speech_ms bigint not null default 0 check (candidate_speech_ms >= 0),
  questions_covered integer not null default 0 check (questions_covered >= 0),
  entries integer not null default 0 check (entries >= 0),
  updated_at timestamptz not null default now(),
  foreign key (interview_id, tenant_id) references public.interview_sessions (id, tenant_id) on delete cascade
);
create index interview_running_figures_interview_tenant_idx on public.interview_running_figures (interview_id, tenant_id);
create index interview_running_figures_tenant_idx on public.interview_running_figures (tenant_id);

-- 4b. Assessments.
create table public.interview_assessments (
  id uuid primary key default extensions.gen_random_uuid(),
  interview_id uuid not null,
  tenant_id uuid not null,
  status text not null check (status in ('suggested', 'failed')),
  model text not null check (length(model) between 1 and 200),
  prompt_version text not null check (length(prompt_version) between 1 and 100),
  rubric_version text not null check (length(rubric_version) between 1 and 100),
  result jsonb check (result is null or jsonb_typeof(result) = 'object'),
  failure_reason text check (length(failure_reason) <= 2000),
  created_at timestamptz not null default now(),
  check (status = 'suggested' and result is not null and failure_reason is null
         or status = 'failed' and result is null and failure_reason is not null),
  foreign key (interview_id, tenant_id) references public.interview_sessions (id, tenant_id) on delete cascade
);
create index interview_assessments_interview_tenant_idx on public.interview_assessments (interview_id, tenant_id);
create index interview_assessments_tenant_idx on public.interview_assessments (tenant_id);
-- One suggestion per interview, prompt and rubric version: a job run twice stores it once.
create unique index interview_assessments_one_suggestion
  on public.interview_assessments (interview_id, prompt_version, rubric_version) where status = 'suggested';

-- RLS. Readers by role; nobody but the service role writes.
alter table public.processing_jobs enable row level security;
alter table public.interview_reports enable row level security;
alter table public.interview_running_figures enable row level security;
alter table public.interview_assessments enable row level security;

revoke all on public.processing_jobs, public.interview_reports, public.interview_running_figures,
  public.interview_assessments from anon, authenticated;
grant select on public.processing_jobs, public.interview_reports, public.interview_running_figures,
  public.interview_assessments to authenticated;
grant all on public.processing_jobs, public.interview_reports, public.interview_running_figures,
  public.interview_assessments to service_role;

create policy "reviewers read processing jobs" on public.processing_jobs
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'reviewer')));
create policy "reviewers read reports" on public.interview_reports
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'reviewer')));
create policy "staff read running figures" on public.interview_running_figures
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'reviewer', 'proctor')));
create policy "reviewers read assessments" on public.interview_assessments
  for select to authenticated
  using (tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'reviewer')));

-- The turn timeline: the one definition of a turn's start, length and words, which the running
-- figures and the worker's report both read. An entry carries only when its turn began, so:
--   interviewer turn: heard_ms when it was cut off, otherwise its text at 70 ms per character (the
--     kiosk's default speaking rate, docs/transcript-turns.md), never past the next turn's start;
--   candidate turn: from its start to the next turn's start (or the interview's end);
--   the last turn ends at the interview's end when known, else it counts as no time.
-- Lengths are whole milliseconds, rounded down (the end taken to the millisecond, as clients read it).
-- Words are runs of non-space characters of the stored text (what was heard, for a cut-off turn).
create function private.turn_timeline(p_session_id uuid)
returns table (seq integer, speaker text, status text, started_at timestamptz, duration_ms bigint, words integer,
               corrected boolean, text text)
language sql
stable
set search_path = ''
as $$
  with ordered as (
    select t.seq, t.speaker, t.status, t."timestamp" as started_at, t.text, t.heard_ms, t.corrected_by is not null as corrected,
           coalesce(lead(t."timestamp") over (order by t.seq), date_trunc('milliseconds', s.ended_at)) as next_at
    from public.transcript_entries t
    join public.interview_sessions s on s.id = t.interview_session_id
    where t.interview_session_id = p_session_id
  ), spans as (
    select o.*, greatest(0, coalesce(floor(extract(epoch from (o.next_at - o.started_at)) * 1000)::bigint, 0)) as span_ms
    from ordered o
  )
  select sp.seq, sp.speaker, sp.status, sp.started_at,
         case when sp.speaker = 'candidate' then sp.span_ms
              when sp.heard_ms is not null then least(sp.heard_ms::bigint, case when sp.next_at is null then sp.heard_ms::bigint else sp.span_ms end)
              else least(length(sp.text)::bigint * 70, case when sp.next_at is null then length(sp.text)::bigint * 70 else sp.span_ms end)
         end as duration_ms,
         case when btrim(sp.text) = '' then 0 else cardinality(regexp_split_to_array(btrim(sp.text), '\s+')) end as words,
         sp.corrected, sp.text
  from spans sp
  order by sp.seq
$$;

-- Which of the position's planned questions the interviewer has raised. A plan item is a topic line
-- ("Designing an idempotent upload API"); its key words are its words of 4 letters or more, compared
-- by their first 5 letters (so "designing" meets "design"). An item is covered when one interviewer
-- turn holds at least half of its key words (at least one). Deterministic, and crude on purpose: it
-- says the topic came up, not how well it was answered.
create function private.question_coverage(p_session_id uuid)
returns table (ord integer, question text, covered boolean)
language sql
stable
set search_path = ''
as $$
  with plan as (
    select (q.ord - 1)::integer as ord, q.item as question
    from public.interview_sessions s
    join public.positions p on p.id = s.position_id
    cross join lateral jsonb_array_elements_text(case when jsonb_typeof(p.interview_plan) = 'array' then p.interview_plan else '[]'::jsonb end)
      with ordinality as q(item, ord)
    where s.id = p_session_id
  ), keys as (
    select pl.ord, array_agg(distinct left(w, 5)) as stems
    from plan pl
    cross join lateral regexp_split_to_table(lower(pl.question), '[^[:alnum:]]+') as w
    where length(w) >= 4
    group by pl.ord
  ), turns as (
    select array_agg(distinct left(w, 5)) as stems, t.seq
    from public.transcript_entries t
    cross join lateral regexp_split_to_table(lower(t.text), '[^[:alnum:]]+') as w
    where t.interview_session_id = p_session_id and t.speaker = 'interviewer' and length(w) >= 4
    group by t.seq
  )
  select pl.ord, pl.question,
         coalesce(exists (
           select 1 from turns tu
           where cardinality(array(select unnest(k.stems) intersect select unnest(tu.stems)))
                 >= greatest(1, ceil(cardinality(k.stems) / 2.0))
         ) and k.stems is not null, false) as covered
  from plan pl
  left join keys k on k.ord = pl.ord
  order by pl.ord
$$;

create function private.refresh_running_figures(p_session_id uuid) returns void
language sql
set search_path = ''
as $$
  insert into public.interview_running_figures (interview_id, tenant_id, candidate_speech_ms, questions_covered, entries, updated_at)
  select s.id, s.tenant_id,
         coalesce((select sum(tl.duration_ms) from private.turn_timeline(s.id) tl where tl.speaker = 'candidate'), 0),
         (select count(*) from private.question_coverage(s.id) qc where qc.covered),
         (select count(*) from public.transcript_entries t where t.interview_session_id = s.id),
         now()
  from public.interview_sessions s where s.id = p_session_id
  on conflict (interview_id) do update
    set candidate_speech_ms = excluded.candidate_speech_ms,
        questions_covered = excluded.questions_covered,
        entries = excluded.entries,
        updated_at = excluded.updated_at
$$;

-- Once per stored batch (one insert statement) or correction (one update), in its transaction.
create function private.running_figures_after_entries() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session uuid;
begin
  for v_session in select distinct n.interview_session_id from new_entries n loop
    perform private.refresh_running_figures(v_session);
  end loop;
  return null;
end
$$;
create trigger transcript_entries_running_figures_insert after insert on public.transcript_entries
  referencing new table as new_entries
  for each statement execute function private.running_figures_after_entries();
create trigger transcript_entries_running_figures_update after update on public.transcript_entries
  referencing new table as new_entries
  for each statement execute function private.running_figures_after_entries();

-- Closing an interview (private.end_interview, after its gap check: the only path to completed or
-- failed) queues its processing in the same transaction. The assessment is queued only for a tenant
-- that opted in and a position with a rubric. A second close changes no status and queues nothing; the
-- unique (interview_id, kind) makes a re-queue a no-op anyway.
create function private.queue_processing_on_close() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status in ('completed', 'failed') and old.status is distinct from new.status then
    insert into public.processing_jobs (tenant_id, interview_id, kind)
    values (new.tenant_id, new.id, 'report')
    on conflict (interview_id, kind) do nothing;
    insert into public.processing_jobs (tenant_id, interview_id, kind)
    select new.tenant_id, new.id, 'assessment'
    from public.tenants t, public.positions p
    where t.id = new.tenant_id and p.id = new.position_id and t.ai_assessment_enabled and p.rubric is not null
    on conflict (interview_id, kind) do nothing;
  end if;
  return null;
end
$$;
create trigger interview_sessions_queue_processing after update of status on public.interview_sessions
  for each row execute function private.queue_processing_on_close();

-- The worker's claim: one due job, pending or running with a lock older than the timeout (its worker
-- died). skip locked lets several workers claim side by side without waiting on each other.
create function private.claim_processing_job(p_lock_timeout interval)
returns setof public.processing_jobs
language sql
set search_path = ''
as $$
  update public.processing_jobs j
  set status = 'running', attempts = j.attempts + 1, locked_at = now(), claim_id = extensions.gen_random_uuid()
  where j.id = (
    select c.id from public.processing_jobs c
    where (c.status = 'pending' and c.run_after <= now())
       or (c.status = 'running' and c.locked_at < now() - p_lock_timeout)
    order by c.run_after, c.created_at
    for update skip locked
    limit 1)
  returning j.*
$$;

-- Ends a claim: done, retried at p_retry_at, or failed for good (p_retry_at null). false when the
-- claim is no longer the job's (reclaimed after a lock timeout): the caller must not keep its work.
create function private.settle_processing_job(p_job_id uuid, p_claim_id uuid, p_outcome text, p_error text, p_retry_at timestamptz)
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  if p_outcome not in ('done', 'retry', 'failed') then
    raise exception 'unknown outcome %', p_outcome using errcode = '22023';
  end if;
  update public.processing_jobs j
  set status = case p_outcome when 'done' then 'done' when 'retry' then 'pending' else 'failed' end,
      locked_at = null,
      claim_id = null,
      run_after = case when p_outcome = 'retry' then coalesce(p_retry_at, now()) else j.run_after end,
      last_error = case when p_outcome = 'done' then j.last_error else left(p_error, 2000) end
  where j.id = p_job_id and j.claim_id = p_claim_id and j.status = 'running';
  return found;
end
$$;

revoke all on function private.turn_timeline(uuid), private.question_coverage(uuid), private.refresh_running_figures(uuid),
  private.claim_processing_job(interval), private.settle_processing_job(uuid, uuid, text, text, timestamptz)
  from public, anon, authenticated;
grant execute on function private.turn_timeline(uuid), private.question_coverage(uuid), private.refresh_running_figures(uuid),
  private.claim_processing_job(interval), private.settle_processing_job(uuid, uuid, text, text, timestamptz)
  to service_role;
revoke all on function private.running_figures_after_entries(), private.queue_processing_on_close()
  from public, anon, authenticated;
