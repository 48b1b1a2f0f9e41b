// The review console as a centre runs it: `npm start -- --browser` brings up the stack and prints the
// console's URL; a demo interview runs through the kiosk for real; then the demo reviewer signs in,
// finds it, reads the transcript, follows the assessment's evidence to candidate lines, records an
// override (stored in Postgres, shown with who and when); the other centre's reviewer sees nothing.
//
// The report and assessment tables belong to the processing side (issue 14's other half). Where this
// database has them, the test reads the worker's report and writes the assessment a tenant's opt-in
// would produce; where it does not, the test creates them to the agreed contract so the console's
// rendering of both is still exercised.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmStart, queryPostgres } from '../support/npm-start';
import { formatFigure } from '../../src/review/figures';
import { expectedAnalytics } from '../support/expected-analytics';

const screenshots = 'docs/screenshots';
const reviewerA = { email: 'reviewer@demo.example', id: '00000000-0000-4000-8000-000000000209' };
const reviewerB = { email: 'reviewer@other.example' };
const password = 'demo-password-1';

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-review-'));
chmodSync(dataDir, 0o755);
test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type RunningStart = Awaited<ReturnType<typeof start>>;

async function start() {
  const running = await npmStart({ dataDir, mode: 'pretty' });
  const urls = {
    kiosk: running.url('Kiosk (candidate screen)'),
    proctor: running.url('Proctor panel'),
    postgres: running.url('Postgres (local only)'),
    review: running.url('Review console'),
  };
  return { ...running, urls };
}

const query = queryPostgres;

/** The demo interview, run through the kiosk and the proctor panel exactly as local-stack.spec does. */
async function runDemoInterview(browser: Browser, stack: RunningStart): Promise<string> {
  const kiosk = await browser.newPage();
  await kiosk.goto(stack.urls.kiosk);
  await expect(kiosk.locator('[data-screen="idle"]')).toBeVisible();
  const proctor = await browser.newPage();
  await proctor.goto(`${stack.urls.proctor}#sign-in`);
  await proctor.getByLabel('Email').fill('proctor@demo.example');
  await proctor.getByLabel('Password').fill(password);
  await proctor.getByRole('button', { name: 'Sign in' }).click();
  await expect(proctor.getByTestId('proctor-status')).toHaveText('Signed in as proctor@demo.example');
  const first = proctor.getByTestId('interview-list').locator('li', { has: proctor.getByRole('button', { name: 'Start' }) }).first();
  const candidate = (await first.getAttribute('data-candidate'))!;
  await first.getByRole('button', { name: 'Start' }).click();

  await expect(kiosk.locator('[data-screen="consent"]')).toBeVisible({ timeout: 20_000 });
  await kiosk.getByRole('button', { name: 'I agree, continue' }).click();
  await kiosk.getByRole('button', { name: 'I heard it' }).click();
  const start = kiosk.getByRole('button', { name: 'Start the interview' });
  await expect(start).toBeEnabled({ timeout: 20_000 });
  await start.click();
  await expect(kiosk.locator('.turn.interviewer[data-saved="true"]', { hasText: 'That is all the questions I have' })).toBeVisible({ timeout: 90_000 });
  await kiosk.getByRole('button', { name: 'I have finished' }).click();
  await kiosk.getByRole('button', { name: 'Yes, I am done' }).click();
  await expect(kiosk.locator('[data-screen="complete"]')).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(
      async () =>
        (
          await query<{ id: string }>(
            stack.urls.postgres,
            `select s.id from interview_sessions s join candidates c on c.id = s.candidate_id
              where c.name = $1 and s.status = 'completed' and s.started_at is not null order by s.ended_at desc limit 1`,
            [candidate],
          )
        )[0]?.id,
      { timeout: 60_000 },
    )
    .toBeTruthy();
  const [session] = await query<{ id: string }>(
    stack.urls.postgres,
    `select s.id from interview_sessions s join candidates c on c.id = s.candidate_id
      where c.name = $1 and s.status = 'completed' order by s.ended_at desc limit 1`,
    [candidate],
  );
  await kiosk.close();
  await proctor.close();
  return session!.id;
}

const tableExists = async (db: string, name: string) =>
  (await query<{ present: boolean }>(db, `select to_regclass($1) is not null as present`, [name]))[0]!.present;

/** The processing side's tables to the agreed contract, for a database that does not have them yet. */
async function ensureProcessingTables(db: string): Promise<{ createdReports: boolean }> {
  const readers = `tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'reviewer'))`;
  const createdReports = !(await tableExists(db, 'public.interview_reports'));
  if (createdReports) {
    await query(
      db,
      `create table public.interview_reports (interview_id uuid primary key, tenant_id uuid not null, analytics jsonb not null,
         computed_at timestamptz not null default now(), report_version integer not null default 1);
       alter table public.interview_reports enable row level security;
       grant select on public.interview_reports to authenticated;
       create policy "test: staff read reports" on public.interview_reports for select to authenticated using (${readers});`,
    );
  }
  if (!(await tableExists(db, 'public.interview_assessments'))) {
    await query(
      db,
      `create table public.interview_assessments (id uuid primary key default gen_random_uuid(), interview_id uuid not null, tenant_id uuid not null,
         status text not null, model text, prompt_version text, rubric_version text, result jsonb, failure_reason text,
         created_at timestamptz not null default now());
       alter table public.interview_assessments enable row level security;
       grant select on public.interview_assessments to authenticated;
       create policy "test: staff read assessments" on public.interview_assessments for select to authenticated using (${readers});`,
    );
  }
  return { createdReports };
}

async function signIn(page: Page, url: string, email: string, options: { axe?: boolean } = {}) {
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1, name: 'Review console' })).toBeFocused();
  if (options.axe) await expectNoAxeViolations(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
}

async function expectNoAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('a reviewer finds the finished demo interview, follows the evidence and records an override; another centre sees nothing', async ({ browser }) => {
  test.setTimeout(420_000);
  mkdirSync(screenshots, { recursive: true });
  const stack = await start();
  try {
    expect(stack.output()).toContain(`Demo reviewer sign-in (review console): ${reviewerA.email} / ${password}`);
    const interviewId = await runDemoInterview(browser, stack);
    const db = stack.urls.postgres;
    const entries = await query<{ seq: number; speaker: string; text: string; status: string; generated_text: string | null; offset_ms: number }>(
      db,
      `select e.seq, e.speaker, e.text, e.status, e.generated_text, (extract(epoch from e."timestamp" - s.started_at) * 1000)::float8 as offset_ms
         from transcript_entries e join interview_sessions s on s.id = e.interview_session_id
        where e.interview_session_id = $1 order by e.seq`,
      [interviewId],
    );
    const candidateSeqs = entries.filter((e) => e.speaker === 'candidate').map((e) => e.seq);
    expect(candidateSeqs.length).toBeGreaterThanOrEqual(1);

    const { createdReports } = await ensureProcessingTables(db);
    if (createdReports) {
      await query(
        db,
        `insert into public.interview_reports (interview_id, tenant_id, analytics)
         select id, tenant_id, $2::jsonb from interview_sessions where id = $1`,
        [
          interviewId,
          JSON.stringify({
            talk_time_ms: { interviewer: 42_000, candidate: 65_000 },
            candidate_words_per_minute: 132.5,
            longest_silence_ms: 4200,
            turns: { failed: 0, lost: 0, corrected: 1 },
            questions_covered: [
              { question: 'Warm-up: the candidate’s recent work', covered: true },
              { question: 'Debugging a slow database query', covered: false },
            ],
          }),
        ],
      );
    } else {
      // The worker reports on every closed interview: wait for its row rather than writing one.
      await expect
        .poll(async () => (await query(db, `select 1 from public.interview_reports where interview_id = $1`, [interviewId])).length, { timeout: 90_000 })
        .toBe(1);
    }
    const [report] = await query<{ analytics: Record<string, unknown> }>(db, `select analytics from public.interview_reports where interview_id = $1`, [interviewId]);
    // Without a stand-in report, the worker's figures must be the documented definitions applied to the
    // stored rows, computed here on their own (the processing integration test's independent reading).
    const expected = createdReports ? null : await expectedAnalytics({ sql: (text, params) => query(db, text, params) }, interviewId);
    if (expected) for (const [field, value] of Object.entries(expected)) expect(report!.analytics[field], field).toEqual(value);
    const assessment = {
      competencies: [
        {
          key: 'communication',
          name: 'Communication',
          score: 4,
          scale_min: 1,
          scale_max: 5,
          rationale: 'Clear, structured answers.',
          evidence_seqs: candidateSeqs.slice(0, 2),
        },
        { key: 'problem_solving', name: 'Problem solving', score: 3, scale_min: 1, scale_max: 5, rationale: 'Reasonable approach.', evidence_seqs: [candidateSeqs.at(-1)!] },
      ],
    };
    const [{ id: assessmentId }] = (await query<{ id: string }>(
      db,
      `insert into public.interview_assessments (interview_id, tenant_id, status, model, prompt_version, rubric_version, result)
       select id, tenant_id, 'suggested', 'stand-in-model', 'p1', 'r1', $2::jsonb from interview_sessions where id = $1 returning id`,
      [interviewId, JSON.stringify(assessment)],
    )) as [{ id: string }];

    // The list.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, stack.urls.review, reviewerA.email, { axe: true });
    await expect(page.getByRole('heading', { level: 1, name: 'Finished interviews' })).toBeFocused();
    const row = page.getByTestId('interview-table').locator('tr', { has: page.locator(`a[href="#/interview/${interviewId}"]`) });
    await expect(row).toContainText('Awaiting review');
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${screenshots}/review-1-list-1280x800.png` });

    // Filters: awaiting review keeps it, reviewed hides it.
    await page.getByLabel('Review').selectOption('reviewed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.locator(`a[href="#/interview/${interviewId}"]`)).toHaveCount(0);
    await page.getByLabel('Review').selectOption('pending');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.locator(`a[href="#/interview/${interviewId}"]`)).toHaveCount(1);

    // One interview: transcript lines with speakers, in order.
    await page.locator(`a[href="#/interview/${interviewId}"]`).click();
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toBeFocused();
    const lines = page.getByTestId('transcript').locator('li');
    await expect(lines).toHaveCount(entries.length);
    for (const entry of entries) {
      const line = page.locator(`#line-${entry.seq}`);
      await expect(line.locator('.who')).toHaveText(entry.speaker === 'candidate' ? 'Candidate' : 'Interviewer');
      if (entry.text) await expect(line).toContainText(entry.text.slice(0, 40));
      // A cut-off interviewer turn (when the live run has one; tests/renderer/review-interview-screen
      // covers it always): what the candidate heard, and what the model had generated.
      if (entry.status === 'interrupted' && entry.generated_text !== null) {
        await expect(line).toContainText('Interrupted — heard');
        await expect(line.locator('.generated')).toContainText(entry.generated_text.slice(0, 40));
      }
      if (entry.status === 'failed') await expect(line).toContainText('Not transcribed');
    }

    // The analytics as stored, whoever computed them.
    const analytics = page.locator('section[aria-labelledby="analytics-heading"]');
    for (const key of Object.keys(report!.analytics)) await expect(analytics.locator(`[data-figure="${key}"]`).first()).toBeVisible();
    if (expected) {
      // What the reviewer reads is those independent values, in the console's units.
      await expect(analytics.locator('[data-figure="word_count"] [data-figure="candidate"] dd')).toHaveText(formatFigure('count', expected.word_count.candidate));
      await expect(analytics.locator('[data-figure="longest_silence_ms"] dd')).toHaveText(formatFigure('longest_silence_ms', expected.longest_silence_ms));
      await expect(analytics.locator('[data-figure="interruptions"] dd')).toHaveText(formatFigure('interruptions', expected.interruptions));
    }
    if (createdReports) {
      await expect(analytics.locator('[data-figure="longest_silence_ms"] dd')).toHaveText('4.2 s');
      await expect(analytics.locator('[data-figure="candidate_words_per_minute"] dd')).toHaveText('132.5 per minute');
      await expect(analytics.locator('[data-figure="talk_time_ms"] [data-figure="candidate"] dd')).toHaveText('1 min 05 s');
      await expect(analytics).toContainText('Debugging a slow database query (not covered)');
    }

    // The suggestion is labelled as one; its evidence lands on candidate lines.
    await expect(page.getByTestId('suggestion-note')).toContainText('suggestion');
    const communication = page.locator('[data-competency="communication"]');
    for (const seq of candidateSeqs.slice(0, 2)) {
      await communication.getByRole('button', { name: `Show transcript line ${seq}`, exact: true }).click();
      const cited = page.locator(`#line-${seq}`);
      await expect(cited).toHaveClass(/highlighted/);
      await expect(cited).toBeFocused();
      await expect(cited.locator('.who')).toHaveText('Candidate');
    }
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: `${screenshots}/review-3-evidence-1024x768.png` });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Click a line's time: the recording plays from that moment of the interview.
    const recording = page.getByTestId('recording');
    await expect(recording).toBeVisible();
    const target = entries.find((e) => e.offset_ms >= 1000) ?? entries[0]!;
    // Where the seek landed, read at its `seeked` event (before playing on could move it).
    const seekedAt = recording.evaluate(
      (video) => new Promise<number>((done) => video.addEventListener('seeked', () => done((video as HTMLVideoElement).currentTime), { once: true })),
    );
    await page.locator(`#line-${target.seq}`).getByRole('button', { name: /^Play the recording from/ }).click();
    await expect(page.locator(`#line-${target.seq}`)).toHaveClass(/highlighted/);
    expect(await seekedAt).toBeCloseTo(target.offset_ms / 1000, 1);
    await recording.evaluate((video) => (video as HTMLVideoElement).pause());
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${screenshots}/review-2-interview-1280x800.png` });

    // An override: refused without its reason, then stored as the reviewer and shown.
    await communication.getByLabel('Override').check();
    await communication.getByLabel('Your score').fill('2');
    await communication.getByRole('button', { name: 'Record decision' }).click();
    const why = communication.getByLabel('Why (required)');
    expect(await why.evaluate((element) => (element as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    await expect(communication.getByRole('status')).toHaveText('');
    await communication.getByLabel('Why (required)').fill('Answers were short and needed prompting.');
    await communication.getByRole('button', { name: 'Record decision' }).click();
    await expect(communication.getByRole('status')).toHaveText('Decision recorded.');
    await expect(communication.locator('.history li')).toHaveCount(1);
    await expect(communication.locator('.history li').first()).toContainText(`Overridden to 2 by ${reviewerA.email}`);
    const stored = await query<{ decision: string; score: number; note: string; decided_by: string; assessment_id: string; competency_key: string }>(
      db,
      `select decision, score, note, decided_by, assessment_id, competency_key from public.review_decisions where interview_id = $1`,
      [interviewId],
    );
    expect(stored).toEqual([
      {
        decision: 'override',
        score: 2,
        note: 'Answers were short and needed prompting.',
        decided_by: reviewerA.id,
        assessment_id: assessmentId,
        competency_key: 'communication',
      },
    ]);
    // Confirming a suggestion stores the score it confirms.
    const problemSolving = page.locator('[data-competency="problem_solving"]');
    await problemSolving.getByRole('button', { name: 'Record decision' }).click();
    await expect(problemSolving.locator('.history li').first()).toContainText(`Confirmed at 3 by ${reviewerA.email}`);
    expect(
      await query(db, `select decision, score from public.review_decisions where interview_id = $1 and competency_key = 'problem_solving'`, [interviewId]),
    ).toEqual([{ decision: 'confirm', score: 3 }]);
    // Shown again after a reload: it comes from the database, not the page's memory.
    await page.reload();
    await expect(page.locator('[data-competency="communication"] .history li')).toContainText(`Overridden to 2 by ${reviewerA.email}`);
    await page.getByRole('link', { name: '← All finished interviews' }).click();
    await expect(page.getByTestId('interview-table').locator('tr', { has: page.locator(`a[href="#/interview/${interviewId}"]`) })).toContainText('Reviewed (2 decisions)');
    await context.close();

    // The other centre's reviewer: nothing listed, and the interview's address leads nowhere.
    const other = await browser.newPage();
    await signIn(other, stack.urls.review, reviewerB.email);
    await expect(other.getByTestId('no-interviews')).toBeVisible();
    await other.goto(`${stack.urls.review}#/interview/${interviewId}`);
    await expect(other.getByRole('alert')).toContainText('No finished interview with this id is yours to review.');
    await expect(other.getByTestId('transcript')).toHaveCount(0);
    await other.close();
  } finally {
    await stack.stop();
  }
  // npm may exit on the interrupt before start.ts has stopped everything; its output still arrives.
  await expect.poll(() => stack.output(), { timeout: 60_000 }).toContain('INFO (start): Stopped.');
});
