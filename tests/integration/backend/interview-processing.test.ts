// Processing after the interview, end to end on the real stack: interview-end queues the jobs in the
// close's transaction, the real Deno worker (a child process) claims and runs them, and the report
// holds exactly the figures this test computes on its own from the stored rows. A worker killed
// mid-job is replaced and the job still ends once; running figures move with each stored batch.
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { startProcessingWorker } from '../../support/processing-worker-process';
import { startResponsesApiStandIn, type ResponsesApiStandIn } from '../../support/responses-api-stand-in';
import { docExample, entry, ids, invoke, scheduleInterview, shapeOf, signedIn } from './backend-test-kit';
import { eventually, expectedAnalytics, runDemoInterview, tenantAKey } from './processing-fixture';

let stack: BackendStack;
let kioskA: SupabaseClient;
let provider: ResponsesApiStandIn;

beforeAll(async () => {
  [stack, provider] = await Promise.all([
    startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' }),
    startResponsesApiStandIn({ keys: [tenantAKey] }),
  ]);
  kioskA = await signedIn(stack, 'kiosk-1@demo.example');
});

afterAll(async () => {
  await Promise.all([stack?.stop(), provider?.stop()]);
});

function workerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    SUPABASE_DB_URL: stack.authenticatorUrl,
    OPENAI_BASE_URL: provider.url,
    AI_PROVIDER_KEYS: JSON.stringify({ [ids.tenantA]: tenantAKey }),
    AI_ASSESSMENT_MODEL: 'gpt-test-model',
    PROCESSING_POLL_MS: '100',
    PROCESSING_RETRY_BASE_MS: '50',
    PROCESSING_RETRY_MAX_MS: '200',
    ...extra,
  };
}

/** One drain by a fresh worker process (PROCESSING_ONCE), as a scheduler would run it. */
async function drainOnce(extra: Record<string, string> = {}): Promise<string[]> {
  const worker = startProcessingWorker(workerEnv({ PROCESSING_ONCE: '1', ...extra }));
  const code = await worker.exited;
  expect(code, worker.logs.join('\n')).toBe(0);
  return worker.logs;
}

interface JobRow {
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

async function jobs(interviewId: string): Promise<JobRow[]> {
  return await stack.sql<JobRow>(
    'select kind, status, attempts, last_error from public.processing_jobs where interview_id = $1 order by kind',
    [interviewId],
  );
}

async function assessments(interviewId: string) {
  return await stack.sql<{ status: string; model: string; prompt_version: string; rubric_version: string; result: unknown; failure_reason: string | null }>(
    'select status, model, prompt_version, rubric_version, result, failure_reason from public.interview_assessments where interview_id = $1 order by created_at',
    [interviewId],
  );
}

/** Jobs of other tests' interviews wait, so a worker here works on this interview's jobs only. */
async function parkOthers(interviewId: string) {
  await stack.sql(
    `update public.processing_jobs set run_after = now() + interval '1 day' where interview_id <> $1 and status in ('pending', 'running')`,
    [interviewId],
  );
}

/** Only the assessment job left to run: the report is done first so each test watches one job. */
async function reportDoneFirst(interviewId: string) {
  await parkOthers(interviewId);
  await stack.sql(`update public.processing_jobs set run_after = now() + interval '1 hour' where interview_id = $1 and kind = 'assessment'`, [interviewId]);
  await drainOnce();
  await stack.sql(`update public.processing_jobs set run_after = now() where interview_id = $1 and kind = 'assessment'`, [interviewId]);
}

describe('interview-end queues the processing', () => {
  it('queues a report and (opted-in tenant, position with a rubric) an assessment, once however often it is ended', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    expect(await jobs(interview.id)).toEqual([
      { kind: 'assessment', status: 'pending', attempts: 0, last_error: null },
      { kind: 'report', status: 'pending', attempts: 0, last_error: null },
    ]);
    const again = await invoke(kioskA, 'interview-end', { interview_session_id: interview.id, last_seq: interview.lastSeq, reason: 'completed' });
    expect(again).toEqual({ status: 200, body: { status: 'completed', missing: [] } });
    expect(await jobs(interview.id)).toHaveLength(2);
  });

  it('queues nothing while entries are missing (the gap check refuses the close) and only the report for a position without a rubric', async () => {
    const gapped = await scheduleInterview(stack, { status: 'in_progress' });
    await invoke(kioskA, 'interview-transcript', { interview_session_id: gapped, entries: [entry(0), entry(2)] });
    const refused = await invoke(kioskA, 'interview-end', { interview_session_id: gapped, last_seq: 2, reason: 'completed' });
    expect(refused.status).toBe(409);
    expect(await jobs(gapped)).toEqual([]);

    const plain = await scheduleInterview(stack, { status: 'in_progress' });
    await stack.sql('update public.interview_sessions set position_id = $2 where id = $1', [plain, '00000000-0000-4000-8000-000000000302']);
    await invoke(kioskA, 'interview-transcript', { interview_session_id: plain, entries: [entry(0)] });
    expect((await invoke(kioskA, 'interview-end', { interview_session_id: plain, last_seq: 0, reason: 'error' })).body).toMatchObject({ status: 'failed' });
    expect((await jobs(plain)).map((job) => job.kind)).toEqual(['report']);
  });
});

describe('the tenant opt-in', () => {
  it('queues no assessment for a tenant that has not opted in, and fails a queued one whose tenant opted out before it ran', async () => {
    const queued = await runDemoInterview(stack, kioskA);
    await stack.sql('update public.tenants set ai_assessment_enabled = false where id = $1', [ids.tenantA]);
    try {
      const optedOut = await runDemoInterview(stack, kioskA);
      expect((await jobs(optedOut.id)).map((job) => job.kind)).toEqual(['report']);
      await parkOthers(queued.id);
      const before = provider.requests.length;
      await drainOnce();
      expect(provider.requests.length).toBe(before);
      expect((await jobs(queued.id)).find((job) => job.kind === 'assessment')).toMatchObject({
        status: 'failed',
        last_error: 'not_opted_in: the tenant has turned the AI assessment off',
      });
      expect(await assessments(queued.id)).toEqual([]);
    } finally {
      await stack.sql('update public.tenants set ai_assessment_enabled = true where id = $1', [ids.tenantA]);
    }
  });
});

describe('the report', () => {
  it('holds, for every analytic, the value computed independently from the stored entries and events', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await reportDoneFirst(interview.id);
    const [report] = await stack.sql<{ analytics: Record<string, unknown>; report_version: number }>(
      'select analytics, report_version from public.interview_reports where interview_id = $1',
      [interview.id],
    );
    const expected = await expectedAnalytics(stack, interview.id);
    // Field by field, so a failure names the figure.
    for (const [field, value] of Object.entries(expected)) expect(report!.analytics[field], field).toEqual(value);
    expect(Object.keys(report!.analytics).sort()).toEqual(Object.keys(expected).sort());
    expect(report!.report_version).toBe(1);
    expect(shapeOf(report!.analytics)).toEqual(shapeOf(docExample('interview-report/analytics')));
    // The fixture's story, so the independent computation itself is not trivially empty.
    expect(expected.interruptions).toBe(1);
    expect(expected.turns).toEqual({ total: 10, failed: 2, lost: 1, corrected: 1 });
    expect(expected.questions_covered.map((q) => q.covered)).toEqual([true, true, true, false]);
    expect(expected.connection.recoveries).toBe(1);
    expect(expected.lockdown_incidents).toEqual({ focus_lost: 2, display_added: 1, shortcut_blocked: 1 });
    expect((await jobs(interview.id)).find((job) => job.kind === 'report')).toEqual({ kind: 'report', status: 'done', attempts: 1, last_error: null });
  });

  it('is the same report when the job runs again', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await reportDoneFirst(interview.id);
    const read = () => stack.sql<{ analytics: unknown }>('select analytics from public.interview_reports where interview_id = $1', [interview.id]);
    const first = await read();
    await stack.sql(`update public.processing_jobs set status = 'pending' where interview_id = $1 and kind = 'report'`, [interview.id]);
    await drainOnce();
    expect(await read()).toEqual(first);
    expect(first).toHaveLength(1);
  });

  it('is stored once when the worker holding the job died: the lock times out, another claim runs it, the dead claim cannot settle', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await parkOthers(interview.id);
    await stack.sql(`update public.processing_jobs set run_after = now() + interval '1 hour' where interview_id = $1 and kind = 'assessment'`, [interview.id]);
    // A worker that claimed the report and died before finishing: its claim stays `running`.
    const [dead] = await stack.sql<{ id: string; claim_id: string }>(
      `select id, claim_id from private.claim_processing_job(interval '1 hour') where interview_id = $1`,
      [interview.id],
    );
    expect(dead).toBeDefined();
    // Within the lock timeout nobody else takes it.
    await drainOnce({ PROCESSING_LOCK_TIMEOUT_MS: '3600000' });
    expect((await jobs(interview.id)).find((job) => job.kind === 'report')?.status).toBe('running');
    await stack.sql(`update public.processing_jobs set locked_at = now() - interval '2 minutes' where id = $1`, [dead!.id]);
    await drainOnce({ PROCESSING_LOCK_TIMEOUT_MS: '60000' });
    expect((await jobs(interview.id)).find((job) => job.kind === 'report')).toMatchObject({ status: 'done', attempts: 2 });
    const [{ settled }] = await stack.sql<{ settled: boolean }>(
      `select private.settle_processing_job($1, $2, 'failed', 'late', null) as settled`,
      [dead!.id, dead!.claim_id],
    );
    expect(settled).toBe(false);
    expect(await stack.sql('select 1 from public.interview_reports where interview_id = $1', [interview.id])).toHaveLength(1);
  });
});

describe('several workers', () => {
  it('never take the same job: two draining side by side settle each of ten jobs once, on its first claim', async () => {
    const interviews: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const id = await scheduleInterview(stack, { status: 'in_progress' });
      await invoke(kioskA, 'interview-transcript', { interview_session_id: id, entries: [entry(0)] });
      await invoke(kioskA, 'interview-end', { interview_session_id: id, last_seq: 0, reason: 'completed' });
      interviews.push(id);
    }
    await stack.sql(
      `update public.processing_jobs set run_after = now() + interval '1 day' where status = 'pending' and not (interview_id = any($1::uuid[]) and kind = 'report')`,
      [interviews],
    );
    const workers = [0, 1].map(() => startProcessingWorker(workerEnv({ PROCESSING_ONCE: '1' })));
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    const rows = await stack.sql<{ status: string; attempts: number }>(
      `select status, attempts from public.processing_jobs where interview_id = any($1::uuid[]) and kind = 'report'`,
      [interviews],
    );
    expect(rows).toEqual(interviews.map(() => ({ status: 'done', attempts: 1 })));
    const claimed = workers.flatMap((w) => w.logs.filter((line) => line.includes('"event":"claimed"')).map((line) => (JSON.parse(line) as { job: string }).job));
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed).toHaveLength(10);
    expect(await stack.sql('select 1 from public.interview_reports where interview_id = any($1::uuid[])', [interviews])).toHaveLength(10);
  });
});

describe('a worker that dies or stalls mid-job', () => {
  it('killed while its report transaction waits: the job stays running, the next worker reclaims it after the lock timeout, one report', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await parkOthers(interview.id);
    await stack.sql(`update public.processing_jobs set run_after = now() + interval '1 hour' where interview_id = $1 and kind = 'assessment'`, [interview.id]);
    // Holding the reports table makes the worker's upsert wait, i.e. stop mid-job where we can see it.
    const blocker = new pg.Client({ connectionString: stack.dbUrl });
    await blocker.connect();
    let first;
    try {
      await blocker.query('begin');
      await blocker.query('lock table public.interview_reports in exclusive mode');
      first = startProcessingWorker(workerEnv({ PROCESSING_LOCK_TIMEOUT_MS: '1000' }));
      await eventually(
        () => stack.sql<{ n: number }>(`select count(*)::int as n from pg_locks where relation = 'public.interview_reports'::regclass and not granted`),
        (rows) => rows[0]!.n > 0,
        'the worker waiting on the reports table',
      );
      expect((await jobs(interview.id)).find((job) => job.kind === 'report')).toMatchObject({ status: 'running', attempts: 1 });
      await first.kill();
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    expect(await stack.sql('select 1 from public.interview_reports where interview_id = $1', [interview.id])).toEqual([]);
    const second = startProcessingWorker(workerEnv({ PROCESSING_LOCK_TIMEOUT_MS: '1000' }));
    try {
      await eventually(() => jobs(interview.id), (rows) => rows.some((job) => job.kind === 'report' && job.status === 'done'), 'the second worker finishing the report');
    } finally {
      await second.stop();
    }
    expect((await jobs(interview.id)).find((job) => job.kind === 'report')).toMatchObject({ attempts: 2 });
    expect(await stack.sql('select 1 from public.interview_reports where interview_id = $1', [interview.id])).toHaveLength(1);
  });

  it('stalled past the lock timeout: another worker takes the job over and stores it; the stalled one, answered late, stores nothing', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await reportDoneFirst(interview.id);
    provider.script([{ kind: 'hang', ms: 4000 }]);
    const before = provider.requests.length;
    const slow = startProcessingWorker(workerEnv({ PROCESSING_LOCK_TIMEOUT_MS: '600000' }));
    await eventually(async () => provider.requests.length, (count) => count > before, 'the slow worker calling the provider');
    const quick = startProcessingWorker(workerEnv({ PROCESSING_LOCK_TIMEOUT_MS: '500' }));
    try {
      await eventually(() => jobs(interview.id), (rows) => rows.some((job) => job.kind === 'assessment' && job.status === 'done'), 'the second worker taking over');
      await eventually(async () => slow.logs, (logs) => logs.some((line) => line.includes('"event":"lost_claim"')), 'the slow worker noticing it lost the claim');
    } finally {
      await Promise.all([slow.stop(), quick.stop()]);
    }
    expect((await assessments(interview.id)).map((row) => row.status)).toEqual(['suggested']);
    expect((await jobs(interview.id)).find((job) => job.kind === 'assessment')).toMatchObject({ status: 'done', attempts: 2 });
  });
});

describe('running figures', () => {
  it('move with each stored batch in its transaction, and a refused batch changes nothing', async () => {
    const id = await scheduleInterview(stack, { status: 'in_progress' });
    const figures = async () =>
      (await stack.sql<{ candidate_speech_ms: string; questions_covered: number; entries: number }>(
        'select candidate_speech_ms, questions_covered, entries from public.interview_running_figures where interview_id = $1',
        [id],
      ))[0];
    const base = Date.now() - 600_000;
    const t = (s: number) => new Date(base + s * 1000).toISOString();
    await invoke(kioskA, 'interview-transcript', {
      interview_session_id: id,
      entries: [
        entry(0, { speaker: 'interviewer', text: 'Debugging a slow database query: where do you start?', timestamp: t(0) }),
        entry(1, { speaker: 'candidate', text: 'With the plan.', timestamp: t(10) }),
      ],
    });
    // No end yet: the last candidate turn counts as no time until the next turn starts.
    expect(await figures()).toEqual({ candidate_speech_ms: '0', questions_covered: 1, entries: 2 });
    await invoke(kioskA, 'interview-transcript', {
      interview_session_id: id,
      entries: [entry(2, { speaker: 'interviewer', text: 'Designing an idempotent upload API, then.', timestamp: t(25) })],
    });
    expect(await figures()).toEqual({ candidate_speech_ms: '15000', questions_covered: 2, entries: 3 });
    const taken = entry(2, { timestamp: t(30) });
    const refused = await invoke(kioskA, 'interview-transcript', { interview_session_id: id, entries: [entry(3, { timestamp: t(40) }), taken] });
    expect(refused.status).toBe(409);
    expect(await figures()).toEqual({ candidate_speech_ms: '15000', questions_covered: 2, entries: 3 });
  });
});

describe('the AI assessment', () => {
  it('stores one suggestion whose evidence cites candidate turns, with model, prompt and rubric versions; the request had the documented shape', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await reportDoneFirst(interview.id);
    const before = provider.requests.length;
    await drainOnce();
    const [stored, ...others] = await assessments(interview.id);
    expect(others).toEqual([]);
    expect(stored).toMatchObject({ status: 'suggested', model: 'gpt-test-model', prompt_version: 'assessment-2026-12-v1', rubric_version: 'backend-engineer-2026-12', failure_reason: null });
    const result = stored!.result as { competencies: Array<{ key: string; score: number; scale_min: number; scale_max: number; evidence_seqs: number[] }> };
    expect(result.competencies.map((c) => c.key)).toEqual(['api_design', 'debugging', 'communication']);
    expect(shapeOf(result)).toEqual(shapeOf(docExample('interview-assessment/result')));
    for (const competency of result.competencies) {
      expect(competency.score).toBeGreaterThanOrEqual(competency.scale_min);
      expect(competency.score).toBeLessThanOrEqual(competency.scale_max);
      expect(competency.evidence_seqs.length).toBeGreaterThan(0);
      for (const seq of competency.evidence_seqs) expect(interview.candidateSeqs).toContain(seq);
    }
    const sent = provider.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.key).toBe(tenantAKey);
    expect(sent[0]!.body.text.format).toMatchObject({ type: 'json_schema', strict: true });
    expect(provider.refused).toEqual([]);
    // The transcript went as data, with speakers and seqs; the failed stand-in that stayed empty did not.
    const input = JSON.stringify(sent[0]!.body.input);
    expect(input).toContain('read the query plan');
    expect((await jobs(interview.id)).find((job) => job.kind === 'assessment')).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('gives one suggestion when the provider fails three times, then answers', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await reportDoneFirst(interview.id);
    provider.script([
      { kind: 'fail', status: 503 },
      { kind: 'fail', status: 500 },
      { kind: 'fail', status: 429, code: 'rate_limit_exceeded' },
    ]);
    const worker = startProcessingWorker(workerEnv());
    try {
      await eventually(() => jobs(interview.id), (rows) => rows.some((job) => job.kind === 'assessment' && job.status === 'done'), 'the assessment job finishing');
    } finally {
      await worker.stop();
    }
    expect((await assessments(interview.id)).map((row) => row.status)).toEqual(['suggested']);
    expect((await jobs(interview.id)).find((job) => job.kind === 'assessment')).toMatchObject({ attempts: 4, last_error: 'provider_error: HTTP 429 rate_limit_exceeded' });
    expect(worker.logs.filter((line) => line.includes('"event":"retry"'))).toHaveLength(3);
  });

  it('never stores an invalid structured output as a suggestion: an interviewer turn cited, a score off the scale, a seq that does not exist', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await reportDoneFirst(interview.id);
    const answer = (change: (c: { key: string; score: number; rationale: string; evidence_seqs: number[] }[]) => void) => {
      const competencies = ['api_design', 'debugging', 'communication'].map((key) => ({ key, score: 3, rationale: 'Clear answers.', evidence_seqs: [3] }));
      change(competencies);
      return { kind: 'output' as const, output: { competencies } };
    };
    provider.script([
      answer((c) => (c[1]!.evidence_seqs = [4])),
      answer((c) => (c[0]!.score = 7)),
      answer((c) => (c[2]!.evidence_seqs = [99])),
    ]);
    const worker = startProcessingWorker(workerEnv({ PROCESSING_MAX_ATTEMPTS: '3', PROCESSING_RETRY_BASE_MS: '1', PROCESSING_RETRY_MAX_MS: '1' }));
    try {
      await eventually(() => jobs(interview.id), (rows) => rows.some((job) => job.kind === 'assessment' && job.status === 'failed'), 'the assessment job failing');
    } finally {
      await worker.stop();
    }
    const rows = await assessments(interview.id);
    expect(rows.map((row) => row.status)).toEqual(['failed']);
    expect(rows[0]!.failure_reason).toBe('invalid_output: communication cites seq 99, which is not in the transcript');
    expect(rows[0]!.result).toBeNull();
    const [job] = (await jobs(interview.id)).filter((j) => j.kind === 'assessment');
    expect(job).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('refuses each kind of invalid output on its own and takes the valid answer that follows', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await reportDoneFirst(interview.id);
    const valid = ['api_design', 'debugging', 'communication'].map((key) => ({ key, score: 2, rationale: 'Fine.', evidence_seqs: [1, 3] }));
    const bad: Array<[string, unknown]> = [
      ['invalid_output: debugging cites seq 4, an interviewer turn', { competencies: valid.map((c, i) => (i === 1 ? { ...c, evidence_seqs: [4] } : c)) }],
      ['invalid_output: api_design score 0 outside its scale 1..4', { competencies: valid.map((c, i) => (i === 0 ? { ...c, score: 0 } : c)) }],
      ['invalid_output: communication cites seq 7, a turn with no words', { competencies: valid.map((c, i) => (i === 2 ? { ...c, evidence_seqs: [7] } : c)) }],
      ['invalid_output: competency communication not answered', { competencies: valid.slice(0, 2) }],
      ['invalid_output: competency debugging answered twice', { competencies: [...valid, valid[1]] }],
      ['invalid_output: competencies.0: Unrecognized key: "confidence"', { competencies: valid.map((c, i) => (i === 0 ? { ...c, confidence: 1 } : c)) }],
    ];
    provider.script([...bad.map(([, output]) => ({ kind: 'output' as const, output })), { kind: 'incomplete', reason: 'max_output_tokens' }, { kind: 'output', output: { competencies: valid } }]);
    const worker = startProcessingWorker(workerEnv({ PROCESSING_MAX_ATTEMPTS: '10', PROCESSING_RETRY_BASE_MS: '1', PROCESSING_RETRY_MAX_MS: '1' }));
    try {
      await eventually(() => jobs(interview.id), (rows) => rows.some((job) => job.kind === 'assessment' && job.status !== 'pending' && job.status !== 'running'), 'the assessment job settling');
    } finally {
      await worker.stop();
    }
    const reasons = worker.logs.filter((line) => line.includes('"event":"retry"')).map((line) => (JSON.parse(line) as { reason: string }).reason);
    expect(reasons).toEqual([...bad.map(([reason]) => reason), 'invalid_output: response incomplete (max_output_tokens)']);
    const rows = await assessments(interview.id);
    expect(rows.map((row) => row.status)).toEqual(['suggested']);
    expect((rows[0]!.result as { competencies: Array<{ evidence_seqs: number[] }> }).competencies.every((c) => c.evidence_seqs.join() === '1,3')).toBe(true);
  });

  it('ends once when the worker is killed while the provider is answering: the next worker reclaims the job after the lock timeout', async () => {
    const interview = await runDemoInterview(stack, kioskA);
    await reportDoneFirst(interview.id);
    provider.script([{ kind: 'hang', ms: 120_000 }]);
    const before = provider.requests.length;
    const first = startProcessingWorker(workerEnv({ PROCESSING_LOCK_TIMEOUT_MS: '1000' }));
    await eventually(async () => provider.requests.length, (count) => count > before, 'the first worker calling the provider');
    expect((await jobs(interview.id)).find((job) => job.kind === 'assessment')?.status).toBe('running');
    await first.kill();
    expect((await jobs(interview.id)).find((job) => job.kind === 'assessment')).toMatchObject({ status: 'running', attempts: 1 });
    const second = startProcessingWorker(workerEnv({ PROCESSING_LOCK_TIMEOUT_MS: '1000' }));
    try {
      await eventually(() => jobs(interview.id), (rows) => rows.some((job) => job.kind === 'assessment' && job.status === 'done'), 'the second worker finishing the job');
    } finally {
      await second.stop();
    }
    expect((await assessments(interview.id)).map((row) => row.status)).toEqual(['suggested']);
    expect((await jobs(interview.id)).find((job) => job.kind === 'assessment')).toMatchObject({ attempts: 2 });
    expect(provider.requests.length - before).toBe(2);
  });
});

describe('bad inputs', () => {
  it('fails the assessment for good, without asking the provider, when the rubric is malformed or the tenant has no key', async () => {
    const badRubric = await runDemoInterview(stack, kioskA);
    const noKey = await runDemoInterview(stack, kioskA);
    await stack.sql(
      `update public.processing_jobs set run_after = now() + interval '1 day' where interview_id <> all($1::uuid[]) and status = 'pending'`,
      [[badRubric.id, noKey.id]],
    );
    const rubric = (await stack.sql<{ rubric: Record<string, unknown> }>('select rubric from public.positions where id = $1', [ids.backendEngineer]))[0]!.rubric;
    const before = provider.requests.length;
    try {
      await stack.sql(`update public.positions set rubric = '{"version": "x", "competencies": [{"key": "Bad Key"}]}' where id = $1`, [ids.backendEngineer]);
      await drainOnce({ PROCESSING_ONCE: '1', AI_PROVIDER_KEYS: '{}' });
    } finally {
      await stack.sql('update public.positions set rubric = $2 where id = $1', [ids.backendEngineer, rubric]);
    }
    expect(provider.requests.length).toBe(before);
    for (const id of [badRubric.id, noKey.id]) {
      const job = (await jobs(id)).find((j) => j.kind === 'assessment')!;
      expect(job).toMatchObject({ status: 'failed', attempts: 1 });
      expect(job.last_error).toMatch(/^rubric_invalid: competencies\.0\.key: a competency key is lower_snake/);
    }
    // The same two with the rubric back but no key for the tenant: failed with that reason, stored as such.
    await stack.sql(`update public.processing_jobs set status = 'pending', attempts = 0 where interview_id = any($1::uuid[]) and kind = 'assessment'`, [[badRubric.id, noKey.id]]);
    await drainOnce({ AI_PROVIDER_KEYS: JSON.stringify({ [ids.tenantB]: 'sk-other' }) });
    expect(provider.requests.length).toBe(before);
    const stored = await assessments(noKey.id);
    expect(stored.map((row) => [row.status, row.failure_reason])).toEqual([['failed', 'no_provider_key: the worker holds no provider key for this tenant']]);
  });

  it('reports an interview that produced no entries with zeros and nulls, and fails its assessment without asking the provider', async () => {
    const id = await scheduleInterview(stack, { status: 'in_progress' });
    await invoke(kioskA, 'interview-end', { interview_session_id: id, last_seq: -1, reason: 'candidate_left' });
    await parkOthers(id);
    const before = provider.requests.length;
    await drainOnce();
    expect(provider.requests.length).toBe(before);
    expect((await assessments(id)).map((row) => [row.status, row.failure_reason])).toEqual([
      ['failed', 'no_candidate_words: the transcript holds no candidate turn with words'],
    ]);
    const [report] = await stack.sql<{ analytics: Record<string, unknown> }>('select analytics from public.interview_reports where interview_id = $1', [id]);
    expect(report!.analytics).toMatchObject({
      talk_time_ms: { interviewer: 0, candidate: 0 },
      candidate_words_per_minute: null,
      response_latency_ms: { median: null, max: null, samples: [] },
      longest_silence_ms: 0,
      turns: { total: 0, failed: 0, lost: 0, corrected: 0 },
      questions_covered: (await stack.sql<{ q: string[] }>('select interview_plan as q from public.positions where id = $1', [ids.backendEngineer]))[0]!.q.map((question) => ({ question, covered: false })),
      connection: { stats_samples: 0, rtt_ms_median: null, packet_loss_pct: null, jitter_ms: null, recoveries: 0 },
    });
  });

  it('gives up on a job claimed more often than allowed (its worker died each time), with that reason', async () => {
    const id = await scheduleInterview(stack, { status: 'in_progress' });
    await invoke(kioskA, 'interview-end', { interview_session_id: id, last_seq: -1, reason: 'completed' });
    await parkOthers(id);
    await stack.sql(`update public.processing_jobs set attempts = 5 where interview_id = $1 and kind = 'report'`, [id]);
    await drainOnce({ PROCESSING_MAX_ATTEMPTS: '5' });
    expect((await jobs(id)).find((job) => job.kind === 'report')).toEqual({
      kind: 'report',
      status: 'failed',
      attempts: 6,
      last_error: 'gave up after 5 attempts (the worker stopped each time)',
    });
    expect(await stack.sql('select 1 from public.interview_reports where interview_id = $1', [id])).toEqual([]);
  });

  it('refuses to start with a malformed environment, naming the variable and never its value', async () => {
    for (const [name, value] of [
      ['AI_PROVIDER_KEYS', 'sk-secret-not-json'],
      ['AI_PROVIDER_KEYS', JSON.stringify({ 'not-a-tenant-uuid': 'sk-secret-value' })],
      ['PROCESSING_MAX_ATTEMPTS', '-1'],
      ['OPENAI_BASE_URL', 'not a url'],
    ] as const) {
      const worker = startProcessingWorker(workerEnv({ [name]: value, PROCESSING_ONCE: '1' }));
      expect(await worker.exited, name).not.toBe(0);
      const output = worker.logs.join('\n');
      expect(output).toContain(name);
      expect(output).not.toContain('sk-secret');
    }
  });

  it('the provider stand-in refuses a request off the documented shape (so the shape checks above can fail)', async () => {
    const send = (body: unknown, key = tenantAKey) =>
      fetch(`${provider.url}/v1/responses`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const format = { type: 'json_schema', name: 'x', strict: true, schema: { type: 'object', additionalProperties: false, required: ['a'], properties: { a: { type: 'string' } } } };
    const good = { model: 'm', input: 'hello', text: { format } };
    expect((await send(good)).status).toBe(200);
    expect((await send(good, 'sk-wrong')).status).toBe(401);
    expect((await send({ ...good, text: { format: { ...format, strict: false } } })).status).toBe(400);
    expect((await send({ ...good, response_format: { type: 'json_schema' } })).status).toBe(400);
    expect((await send({ ...good, text: { format: { ...format, schema: { ...format.schema, required: [] } } } })).status).toBe(400);
    expect((await send({ ...good, text: { format: { ...format, schema: { type: 'object', properties: {}, required: [] } } } })).status).toBe(400);
    provider.refused.splice(0);
  });
});
