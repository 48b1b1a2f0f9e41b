// The main job as a newcomer runs it: `npm start -- --browser` brings up the whole local stack, the
// demo proctor starts an interview from the proctor panel, the candidate takes it in the kiosk page,
// and the transcript lands in the embedded Postgres. Ctrl+C stops everything; a restart keeps the data.
import { expect, test, type Page } from '@playwright/test';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmStart, queryPostgres } from '../support/npm-start';

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-local-'));
// Run as root, embedded Postgres initialises its cluster as an unprivileged user, who must reach it.
chmodSync(dataDir, 0o755);

test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `--pretty`: the human lines a terminal gets (stdout is a pipe here); `--json`: one object a line. */
async function start(mode: 'pretty' | 'json') {
  const running = await npmStart({ dataDir, mode, readyTimeoutMs: 120_000 });
  return { ...running, urls: { kiosk: running.url('Kiosk (candidate screen)'), proctor: running.url('Proctor panel'), postgres: running.url('Postgres (local only)') } };
}

const query = queryPostgres;

async function startFirstInterviewAsProctor(page: Page, proctorUrl: string): Promise<string> {
  await page.goto(`${proctorUrl}#sign-in`);
  await expect(page.getByTestId('proctor-status')).toHaveText('Not signed in');
  await page.getByLabel('Email').fill('proctor@demo.example');
  await page.getByLabel('Password').fill('demo-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('proctor-status')).toHaveText('Signed in as proctor@demo.example');
  const first = page.getByTestId('interview-list').locator('li', { has: page.getByRole('button', { name: 'Start' }) }).first();
  const candidate = (await first.getAttribute('data-candidate'))!;
  await first.getByRole('button', { name: 'Start' }).click();
  return candidate;
}

test('npm start -- --browser runs a demo interview end to end into the embedded Postgres, stops on Ctrl+C and keeps the data', async ({ browser }) => {
  test.setTimeout(300_000);
  const first = await start('pretty');
  // Human lines, and only what is true this time: the data folder was empty, so this start created it.
  expect(first.output()).toMatch(/INFO \(start\): Postgres 17: creating the database/);
  expect(first.output()).toContain('This was the first start');
  let sessionId: string;
  let entries: number;
  try {
    const kiosk = await browser.newPage();
    await kiosk.goto(first.urls.kiosk);
    await expect(kiosk.locator('[data-screen="idle"]')).toBeVisible();

    const proctor = await browser.newPage();
    const candidate = await startFirstInterviewAsProctor(proctor, first.urls.proctor);

    await expect(kiosk.locator('[data-screen="consent"]')).toBeVisible({ timeout: 20_000 });
    await kiosk.getByRole('button', { name: 'I agree, continue' }).click();
    await kiosk.getByRole('button', { name: 'I heard it' }).click();
    const start = kiosk.getByRole('button', { name: 'Start the interview' });
    await expect(start).toBeEnabled({ timeout: 20_000 });
    await start.click();
    await expect(kiosk.locator('[data-screen="room"]')).toBeVisible();
    await expect(kiosk.locator('.turn.interviewer[data-saved="true"]', { hasText: 'That is all the questions I have' })).toBeVisible({ timeout: 90_000 });
    await kiosk.getByRole('button', { name: 'I have finished' }).click();
    await kiosk.getByRole('button', { name: 'Yes, I am done' }).click();
    await expect(kiosk.locator('[data-screen="complete"]')).toBeVisible({ timeout: 30_000 });

    await expect
      .poll(
        async () =>
          (
            await query<{ status: string }>(
              first.urls.postgres,
              `select s.status from interview_sessions s join candidates c on c.id = s.candidate_id where c.name = $1 and s.started_at is not null order by s.started_at desc limit 1`,
              [candidate],
            )
          )[0]?.status,
        { timeout: 60_000 },
      )
      .toBe('completed');
    const [session] = await query<{ id: string; last_seq: number }>(
      first.urls.postgres,
      `select s.id, s.last_seq from interview_sessions s join candidates c on c.id = s.candidate_id where c.name = $1 and s.status = 'completed' order by s.ended_at desc limit 1`,
      [candidate],
    );
    sessionId = session!.id;
    const rows = await query<{ seq: number; speaker: string }>(first.urls.postgres, 'select seq, speaker from transcript_entries where interview_session_id = $1 order by seq', [sessionId]);
    entries = rows.length;
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, index) => index));
    expect(session!.last_seq).toBe(rows.length - 1);
    expect(new Set(rows.map((row) => row.speaker))).toEqual(new Set(['candidate', 'interviewer']));
  } finally {
    // npm itself reports the interrupt in its exit status; what matters is that start stopped everything.
    await first.stop();
    expect(first.output()).toContain('INFO (start): Stopped.');
    // After "ready" a newcomer reads words: no raw JSON line (the in-memory sign-ins were said before it).
    const afterReady = first.output().slice(first.output().search(/INFO \(start\): ready/));
    expect(afterReady.split('\n').filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
    expect(first.output()).not.toContain('vault.encryption_unavailable');
    expect(first.output()).toContain('Sign-ins live in memory only');
    await expect(query(first.urls.postgres, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
  }

  // Piped tools get JSON; the second start finds its database and does not claim to create it.
  const second = await start('json');
  try {
    const kept = await query<{ count: string }>(second.urls.postgres, 'select count(*) from transcript_entries where interview_session_id = $1', [sessionId!]);
    expect(Number(kept[0]!.count)).toBe(entries!);
  } finally {
    await second.stop();
    expect(second.output()).toMatch(/"name":"start".*"msg":"Stopped\./);
    expect(second.output()).toMatch(/"msg":"Postgres 17: starting…"/);
    expect(second.output()).not.toContain('creating the database');
    expect(second.output()).not.toContain('This was the first start');
  }
});
