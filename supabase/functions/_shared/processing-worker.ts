// The processing worker: claims due jobs from public.processing_jobs (skip locked, so workers side by
// side never take the same job), runs them and settles each claim: done, retried after a backoff, or
// failed with the reason. A worker that dies mid-job leaves its claim `running`; once the lock is older
// than the lock timeout another claim takes the job over, and the dead claim can no longer settle it.
// Every write of a job's result happens in the transaction that settles the claim, so a job counted
// done has its result and a reclaimed job never stores twice. docs/backend.md "Processing".
import { z } from 'npm:zod@4.6.7';
import {
  AssessmentFailure,
  assessmentRequest,
  outputText,
  promptVersion,
  requestAssessment,
  type AssessedTurn,
  rubricSchema,
  validateAssessment,
} from './ai-assessment.ts';
import { backoffMs, type BackoffSchedule } from './backoff.ts';
import { serviceTransaction, type Tx } from './caller-database.ts';
import { computeAnalytics, reportVersion, type LoggedEvent, type TimelineTurn } from './interview-analytics.ts';

export interface WorkerConfig {
  lockTimeoutMs: number;
  pollMs: number;
  maxAttempts: number;
  retry: BackoffSchedule;
  /** Provider keys by tenant id: a tenant's key serves that tenant's assessments only. */
  providerKeys: Record<string, string>;
  providerBaseUrl: string;
  model: string;
  providerTimeoutMs: number;
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  PROCESSING_LOCK_TIMEOUT_MS: positiveInt(10 * 60_000),
  PROCESSING_POLL_MS: positiveInt(2_000),
  PROCESSING_MAX_ATTEMPTS: positiveInt(5),
  PROCESSING_RETRY_BASE_MS: positiveInt(30_000),
  PROCESSING_RETRY_MAX_MS: positiveInt(30 * 60_000),
  AI_PROVIDER_KEYS: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'AI_PROVIDER_KEYS is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.uuid(), z.string().min(1))),
  OPENAI_BASE_URL: z.url().default('https://api.openai.com'),
  AI_ASSESSMENT_MODEL: z.string().min(1).max(200).default('gpt-4.1'),
  AI_PROVIDER_TIMEOUT_MS: positiveInt(120_000),
});

/** The worker's settings from its environment; a bad value stops the worker before it claims anything. */
export function workerConfigFromEnv(env: Record<string, string | undefined>): WorkerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // The path names the variable; the value (perhaps a key) is never echoed.
    throw new Error(`processing worker: ${issue.path.join('.') || 'environment'}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    lockTimeoutMs: e.PROCESSING_LOCK_TIMEOUT_MS,
    pollMs: e.PROCESSING_POLL_MS,
    maxAttempts: e.PROCESSING_MAX_ATTEMPTS,
    retry: { baseMs: e.PROCESSING_RETRY_BASE_MS, maxMs: e.PROCESSING_RETRY_MAX_MS },
    providerKeys: e.AI_PROVIDER_KEYS,
    providerBaseUrl: e.OPENAI_BASE_URL,
    model: e.AI_ASSESSMENT_MODEL,
    providerTimeoutMs: e.AI_PROVIDER_TIMEOUT_MS,
  };
}

interface Job {
  id: string;
  tenant_id: string;
  interview_id: string;
  kind: 'report' | 'assessment';
  attempts: number;
  claim_id: string;
  last_error: string | null;
}

/** A job failure: `retry` when running it again may succeed. */
class JobFailure extends Error {
  constructor(readonly reason: string, readonly retry: boolean, readonly assessment?: { model: string; rubricVersion: string }) {
    super(reason);
  }
}

function log(line: Record<string, unknown>) {
  console.log(JSON.stringify({ worker: 'processing', ...line }));
}

/** Claims and runs jobs until none is due; answers how many it settled. */
export async function drainJobs(config: WorkerConfig, shouldStop: () => boolean = () => false): Promise<number> {
  let settled = 0;
  while (!shouldStop()) {
    const job = await claim(config);
    if (!job) break;
    await runClaimed(config, job);
    settled += 1;
  }
  return settled;
}

/** Drains, then waits `pollMs`, until stopped. */
export async function runWorker(config: WorkerConfig, signal: AbortSignal): Promise<void> {
  log({ event: 'started', lock_timeout_ms: config.lockTimeoutMs, max_attempts: config.maxAttempts });
  while (!signal.aborted) {
    try {
      await drainJobs(config, () => signal.aborted);
    } catch (error) {
      // The database went away for a moment: the claims stay in the table, the next round picks up.
      log({ event: 'drain_failed', error: error instanceof Error ? error.message : String(error) });
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, config.pollMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
  log({ event: 'stopped' });
}

async function claim(config: WorkerConfig): Promise<Job | null> {
  const [job] = await serviceTransaction((tx) => tx<Job[]>`
    select id, tenant_id, interview_id, kind, attempts, claim_id, last_error
    from private.claim_processing_job(make_interval(secs => ${config.lockTimeoutMs / 1000}::double precision))`);
  return job ?? null;
}

async function runClaimed(config: WorkerConfig, job: Job): Promise<void> {
  log({ event: 'claimed', job: job.id, kind: job.kind, interview: job.interview_id, attempt: job.attempts });
  try {
    if (job.attempts > config.maxAttempts) {
      // Claimed more often than allowed: earlier claims died without settling (a crash each time).
      throw new JobFailure(`gave up after ${job.attempts - 1} attempts${job.last_error ? ` (last: ${job.last_error})` : ' (the worker stopped each time)'}`, false);
    }
    const stored = job.kind === 'report' ? await runReport(job) : await runAssessment(config, job);
    log({ event: stored ? 'done' : 'lost_claim', job: job.id, kind: job.kind });
  } catch (error) {
    const failure =
      error instanceof JobFailure ? error : new JobFailure(`internal: ${error instanceof Error ? error.message : String(error)}`, true);
    const final = !failure.retry || job.attempts >= config.maxAttempts;
    await serviceTransaction(async (tx) => {
      if (final && job.kind === 'assessment' && failure.assessment) {
        await tx`
          insert into public.interview_assessments (interview_id, tenant_id, status, model, prompt_version, rubric_version, failure_reason)
          select ${job.interview_id}, ${job.tenant_id}, 'failed', ${failure.assessment.model}, ${promptVersion},
                 ${failure.assessment.rubricVersion}, ${failure.reason.slice(0, 2000)}
          where exists (select 1 from public.processing_jobs j where j.id = ${job.id} and j.claim_id = ${job.claim_id})`;
      }
      const delayMs = backoffMs(job.attempts, config.retry);
      await tx`
        select private.settle_processing_job(${job.id}::uuid, ${job.claim_id}::uuid, ${final ? 'failed' : 'retry'}::text,
          ${failure.reason}::text, now() + make_interval(secs => ${delayMs / 1000}::double precision))`;
    });
    log({ event: final ? 'failed' : 'retry', job: job.id, kind: job.kind, attempt: job.attempts, reason: failure.reason });
  }
}

/** Settles the claim as done inside `tx`; a lost claim rolls the transaction back. */
async function settleDone(tx: Tx, job: Job): Promise<void> {
  const [{ ok }] = await tx<{ ok: boolean }[]>`
    select private.settle_processing_job(${job.id}::uuid, ${job.claim_id}::uuid, 'done', null, null) as ok`;
  if (!ok) throw new LostClaim();
}

class LostClaim extends Error {}

/** Runs `work` and settles done in one transaction; false when the claim was taken over meanwhile. */
async function storeAndSettle(job: Job, work: (tx: Tx) => Promise<void>): Promise<boolean> {
  try {
    await serviceTransaction(async (tx) => {
      await work(tx);
      await settleDone(tx, job);
    });
    return true;
  } catch (error) {
    if (error instanceof LostClaim) return false;
    throw error;
  }
}

async function runReport(job: Job): Promise<boolean> {
  return await storeAndSettle(job, async (tx) => {
    const [session] = await tx<{ started_at: string | null; ended_at: string | null; status: string }[]>`
      select started_at, ended_at, status from public.interview_sessions where id = ${job.interview_id}`;
    if (!session) throw new JobFailure('interview_not_found', false);
    const turns = await tx<TimelineTurn[]>`
      select seq, speaker, status, started_at, duration_ms::double precision as duration_ms, words, corrected
      from private.turn_timeline(${job.interview_id}::uuid)`;
    const coverage = await tx<{ question: string; covered: boolean }[]>`
      select question, covered from private.question_coverage(${job.interview_id}::uuid)`;
    const events = await tx<LoggedEvent[]>`
      select kind, at, data from public.session_events
      where interview_session_id = ${job.interview_id} and kind in ('telemetry', 'lockdown')
      order by at, id`;
    const analytics = computeAnalytics({
      started_at: iso(session.started_at),
      ended_at: iso(session.ended_at),
      turns: turns.map((turn) => ({ ...turn, started_at: iso(turn.started_at)! })),
      coverage,
      events: events.map((event) => ({ ...event, at: iso(event.at)! })),
    });
    await tx`
      insert into public.interview_reports (interview_id, tenant_id, analytics, computed_at, report_version)
      values (${job.interview_id}, ${job.tenant_id}, ${JSON.stringify(analytics)}::text::jsonb, now(), ${reportVersion})
      on conflict (interview_id) do update
        set analytics = excluded.analytics, computed_at = excluded.computed_at, report_version = excluded.report_version`;
  });
}

async function runAssessment(config: WorkerConfig, job: Job): Promise<boolean> {
  const input = await serviceTransaction(async (tx) => {
    const [row] = await tx<{ enabled: boolean; rubric: unknown }[]>`
      select t.ai_assessment_enabled as enabled, p.rubric
      from public.interview_sessions s
      join public.tenants t on t.id = s.tenant_id
      join public.positions p on p.id = s.position_id
      where s.id = ${job.interview_id}`;
    if (!row) throw new JobFailure('interview_not_found', false);
    if (!row.enabled) throw new JobFailure('not_opted_in: the tenant has turned the AI assessment off', false);
    const rubric = rubricSchema.safeParse(row.rubric);
    if (!rubric.success) {
      const issue = rubric.error.issues[0];
      throw new JobFailure(`rubric_invalid: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'no rubric'}`, false);
    }
    const [existing] = await tx<{ id: string }[]>`
      select id from public.interview_assessments
      where interview_id = ${job.interview_id} and status = 'suggested'
        and prompt_version = ${promptVersion} and rubric_version = ${rubric.data.version}`;
    const turns = await tx<AssessedTurn[]>`
      select seq, speaker, status, text from public.transcript_entries
      where interview_session_id = ${job.interview_id} order by seq`;
    return { rubric: rubric.data, turns, existing: existing?.id ?? null };
  });
  const meta = { model: config.model, rubricVersion: input.rubric.version };
  // Run twice (a crash after storing, before settling, cannot happen: both are one transaction; but a
  // job re-queued by hand can): the suggestion already stored is the answer.
  if (input.existing) return await storeAndSettle(job, async () => {});

  // Evidence must be the candidate's words: with none there is nothing to assess, and asking would
  // only fail validation at every attempt.
  if (!input.turns.some((turn) => turn.speaker === 'candidate' && turn.text.trim() !== '')) {
    throw new JobFailure('no_candidate_words: the transcript holds no candidate turn with words', false, meta);
  }
  const key = config.providerKeys[job.tenant_id];
  if (!key) throw new JobFailure('no_provider_key: the worker holds no provider key for this tenant', false, meta);
  let result;
  try {
    const body = await requestAssessment(
      config.providerBaseUrl,
      key,
      assessmentRequest(config.model, input.rubric, input.turns),
      config.providerTimeoutMs,
    );
    result = validateAssessment(outputText(body), input.rubric, input.turns);
  } catch (error) {
    if (error instanceof AssessmentFailure) throw new JobFailure(error.reason, error.retry, meta);
    throw error;
  }
  return await storeAndSettle(job, async (tx) => {
    await tx`
      insert into public.interview_assessments (interview_id, tenant_id, status, model, prompt_version, rubric_version, result)
      values (${job.interview_id}, ${job.tenant_id}, 'suggested', ${config.model}, ${promptVersion}, ${input.rubric.version},
              ${JSON.stringify(result)}::text::jsonb)
      on conflict (interview_id, prompt_version, rubric_version) where status = 'suggested' do nothing`;
  });
}

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
