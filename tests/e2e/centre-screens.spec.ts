// A test centre's day from the proctor's side, in Chromium over the real local stack: a kiosk whose
// browser refuses the camera and microphone reaches a final device-check state (not "asking…") within
// 5 s and the proctor's page shows it with what to do; the proctor's sign-in belongs to their page
// (a fresh browser must sign in); rows show each interview's stored state and Start is gone once it
// started; the proctor's page and the device check pass axe. Screenshots go to docs/screenshots/.
import AxeBuilder from '@axe-core/playwright';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { startInterviewStack, type InterviewStack } from '../support/interview-stack';
import { chromiumArgs, chromiumExecutable } from '../support/chromium';

const screenshots = 'docs/screenshots';
const demoProctor = { email: 'proctor@demo.example', password: 'demo-password-1' };

let stack: InterviewStack;
/** A Chromium that answers every permission prompt with "no", like a kiosk whose camera is blocked. */
let denying: Browser;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  mkdirSync(screenshots, { recursive: true });
  stack = await startInterviewStack();
  denying = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: [...chromiumArgs.filter((arg) => arg !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts'],
  });
});

test.afterAll(async () => {
  await denying?.close();
  await stack?.stop();
});

async function expectNoAxeViolations(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map((violation) => ({ rule: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ')) })),
    `axe on ${screen}`,
  ).toEqual([]);
}

async function signInAsProctor(page: Page) {
  await page.goto(`${stack.host.proctorUrl}#sign-in`);
  await expect(page.getByTestId('proctor-status')).toHaveText('Not signed in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await page.getByLabel('Email').fill(demoProctor.email);
  await page.getByLabel('Password').fill(demoProctor.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('proctor-status')).toHaveText(`Signed in as ${demoProctor.email}`);
  await expect(page.getByRole('heading', { level: 1, name: "Today's interviews" })).toBeFocused();
}

test('a denied camera and microphone: final states within 5 s, Retry, Start locked with the reason, and the proctor sees it with what to do', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await denying.newContext({ viewport: { width: 1280, height: 800 } });
  const kiosk = await context.newPage();
  await kiosk.goto(stack.host.url);
  await expect(kiosk.locator('[data-screen="idle"]')).toBeVisible();
  const launch = await stack.startInterview();
  await expect(kiosk.locator('[data-screen="consent"]')).toBeVisible({ timeout: 15_000 });
  await kiosk.getByRole('button', { name: 'I agree, continue' }).click();
  await expect(kiosk.locator('[data-screen="device-check"]')).toBeVisible();
  await expect(kiosk.getByRole('heading', { level: 1 })).toBeFocused();

  const checks = kiosk.getByTestId('device-checks');
  const microphone = checks.locator('[data-check="microphone"]');
  const camera = checks.locator('[data-check="camera"]');
  // The Done-when bound: the final state shows within 5 s of the device check, never "asking…".
  await expect(microphone).toHaveClass(/problem/, { timeout: 5_000 });
  await expect(camera).toHaveClass(/problem/, { timeout: 5_000 });
  await expect(checks).not.toContainText('asking…');
  await expect(checks.locator('[data-check="connection"]')).toContainText('waits for the microphone');
  await expect(kiosk.getByRole('button', { name: 'Start the interview' })).toBeDisabled();
  await expect(kiosk.getByText(/stays locked until the microphone works/)).toBeVisible();
  const retry = kiosk.getByRole('button', { name: 'Retry the microphone and camera' });
  await expect(retry).toBeVisible();
  const words = (await microphone.textContent()) ?? '';
  expect(['not allowed', 'the request was not answered'].some((said) => words.includes(said)), words).toBe(true);
  // Under the notice the screen still fits the kiosk's window: Retry, Start and the reason are on it.
  for (const [what, locator] of [
    ['Retry', retry],
    ['Start', kiosk.getByRole('button', { name: 'Start the interview' })],
    ['the reason Start is locked', kiosk.getByText(/stays locked until the microphone works/)],
  ] as const) {
    const box = await locator.boundingBox();
    expect(box, what).not.toBeNull();
    expect(box!.y + box!.height, `${what}: bottom vs the window`).toBeLessThanOrEqual(800);
  }
  await kiosk.screenshot({ path: `${screenshots}/device-check-denied.png` });
  await expectNoAxeViolations(kiosk, 'the device check with both devices refused');

  // Retry asks again; the browser refuses again and the screen comes back to the same final state.
  await retry.click();
  await expect(microphone).toHaveClass(/problem/, { timeout: 5_000 });
  await expect(retry).toBeVisible();

  // The proctor, in their own browser: signs in there (the stack's own sign-in is not theirs) and
  // sees the seat's refused devices with what to do.
  const proctorContext = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const proctor = await proctorContext.newPage();
  await signInAsProctor(proctor);
  const seat = proctor.getByTestId('proctor-seat');
  await expect(seat.getByTestId('seat-screen')).toHaveText('The candidate is on the device check.');
  await expect(seat.locator('[data-device="microphone"]')).toContainText(/refused|permission prompt not answered/);
  await expect(seat.locator('[data-device="microphone"]')).toContainText('press Retry');
  await expect(seat.locator('[data-device="camera"]')).toContainText(/refused|permission prompt not answered/);
  const row = proctor.getByTestId('interview-list').locator(`li[data-interview="${launch.interviewSessionId}"]`);
  await expect(row.getByTestId('interview-state')).toHaveText('in progress');
  await expect(row.getByRole('button', { name: /Resume/ })).toBeDisabled();
  await proctor.screenshot({ path: `${screenshots}/proctor-seat-devices-refused.png`, fullPage: true });
  await expectNoAxeViolations(proctor, 'the proctor page with the seat refused');

  // The proctor ends it; the row then reads how it ended, as stored.
  proctor.once('dialog', (dialog) => void dialog.accept());
  await proctor.getByRole('button', { name: 'End the running interview' }).click();
  await expect(proctor.getByTestId('proctor-message')).toHaveText('The interview is ending.');
  await expect(proctor.getByTestId('proctor-message')).toHaveClass(/success/);
  await expect(kiosk.locator('[data-screen="complete"]')).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await stack.storedSession(launch.interviewSessionId)).end_reason, { timeout: 30_000 }).toBe('proctor');
  await proctor.getByRole('button', { name: 'Refresh' }).click();
  await expect(row.getByTestId('interview-state')).toHaveText('ended by the proctor');
  await expect(row.getByRole('button')).toHaveCount(0);
  // Success clears itself.
  await expect(proctor.getByTestId('proctor-message')).toHaveCount(0, { timeout: 15_000 });
  await expect(seat).toContainText('No interview is running on this kiosk.');

  await proctorContext.close();
  await context.close();
});

test('the proctor session belongs to the page: a fresh browser must sign in; Start is gone once started; every view passes axe', async ({ browser }) => {
  test.setTimeout(120_000);
  // Someone signed in elsewhere (the stack's own proctor call).
  await stack.core.dispatch('proctor.signIn', demoProctor, stack.host.url);
  const fresh = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const page = await fresh.newPage();
  await page.goto(`${stack.host.proctorUrl}#interviews`);
  await expect(page.getByTestId('proctor-status')).toHaveText('Not signed in');
  await expect(page.getByRole('heading', { level: 1, name: "Today's interviews" })).toBeFocused();
  await expect(page.getByText('Sign in to see and start')).toBeVisible();
  const refused = await page.evaluate(() => window.kiosk!.proctor.listInterviews().then(() => 'listed', (error: { code: string }) => error.code));
  expect(refused).toBe('proctor.not_signed_in');
  await expectNoAxeViolations(page, 'the proctor interviews view, signed out');

  await page.goto(`${stack.host.proctorUrl}#sign-in`);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await page.screenshot({ path: `${screenshots}/proctor-sign-in.png` });
  await expectNoAxeViolations(page, 'the proctor sign-in');
  await page.getByLabel('Email').fill(demoProctor.email);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('proctor-message')).toHaveClass(/error/);
  await page.getByLabel('Email').fill(demoProctor.email);
  await page.getByLabel('Password').fill(demoProctor.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('proctor-status')).toHaveText(`Signed in as ${demoProctor.email}`);

  // A second fresh browser is still signed out, and the first stays signed in.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`${stack.host.proctorUrl}#interviews`);
  await expect(otherPage.getByTestId('proctor-status')).toHaveText('Not signed in');
  await other.close();
  await expect(page.getByTestId('proctor-status')).toHaveText(`Signed in as ${demoProctor.email}`);

  // Schedule one and start it from the page: the row turns "in progress", Start does not come back.
  const [session] = await stack.backend.sql<{ id: string; name: string }>(
    `insert into public.interview_sessions (tenant_id, candidate_id, position_id, kiosk_id, scheduled_at, status)
     select c.tenant_id, c.id, p.id, '00000000-0000-4000-8000-000000000101', now() + interval '1 minute', 'scheduled'
       from (select * from public.candidates where tenant_id = '00000000-0000-4000-8000-000000000001' order by email desc limit 1) c
       cross join (select * from public.positions where tenant_id = '00000000-0000-4000-8000-000000000001' order by title limit 1) p
     returning id, (select name from public.candidates where id = candidate_id) as name`,
  );
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.getByTestId('interview-list').locator(`li[data-interview="${session!.id}"]`);
  await expect(row.getByTestId('interview-state')).toHaveText('scheduled');
  await row.getByRole('button', { name: /^Start/ }).click();
  await expect(page.getByTestId('proctor-message')).toContainText(`The interview with ${session!.name} is starting on the kiosk.`);
  await expect(page.getByTestId('proctor-message')).toHaveClass(/success/);
  await expect(row.getByTestId('interview-state')).toHaveText('in progress');
  await expect(row.getByRole('button', { name: /Resume/ })).toBeDisabled();
  await expect(row.getByRole('button', { name: /^Start/ })).toHaveCount(0);
  await page.screenshot({ path: `${screenshots}/proctor-interviews.png`, fullPage: true });
  await expectNoAxeViolations(page, 'the proctor interviews view, one running');

  await page.goto(`${stack.host.proctorUrl}#device-check`);
  await expect(page.getByRole('heading', { level: 1, name: 'Device check' })).toBeFocused();
  await expectNoAxeViolations(page, 'the proctor device check');
  // Browser mode: quitting is Ctrl+C in the terminal, not a button that does nothing.
  await expect(page.getByRole('link', { name: 'Quit' })).toHaveCount(0);
  await page.goto(`${stack.host.proctorUrl}#quit`);
  await expect(page.getByRole('heading', { level: 1, name: 'Quit the kiosk' })).toBeFocused();
  await expect(page.getByText(/Ctrl\s*\+\s*C/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Quit' })).toHaveCount(0);
  await expectNoAxeViolations(page, 'the proctor quit view in browser mode');

  // No kiosk window runs this one: end it from main, as main does when the window does not answer.
  stack.core.services().interviews.finish(session!.id, -1, 'proctor');
  await fresh.close();
});

/** The room's clock as the candidate's screen reads it, in seconds. */
async function roomClock(page: Page): Promise<{ elapsed: number; remaining: number }> {
  const label = (await page.getByRole('timer').getAttribute('aria-label')) ?? '';
  const match = /Elapsed (\d+):(\d+), remaining (\d+):(\d+)/.exec(label);
  expect(match, label).not.toBeNull();
  const [, em, es, rm, rs] = match!.map(Number);
  return { elapsed: em! * 60 + es!, remaining: rm! * 60 + rs! };
}

test('proctor operations: identity check, a break that stops the clock and mutes, extra time, an incident note, resume, each in the session log in Postgres', async ({ page, browser }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(stack.host.url);
  await expect(page.locator('[data-screen="idle"]')).toBeVisible();
  stack.emulator.conversation.turnIndex = 0;
  stack.emulator.conversation.lastItemId = null;
  const launch = await stack.startInterview();
  await expect(page.locator('[data-screen="consent"]')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'I agree, continue' }).click();
  await page.getByRole('button', { name: 'I heard it' }).click();
  const start = page.getByRole('button', { name: 'Start the interview' });
  await expect(start).toBeEnabled({ timeout: 15_000 });
  await start.click();
  await expect(page.locator('[data-screen="room"]')).toBeVisible();

  const proctorContext = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  const proctor = await proctorContext.newPage();
  await signInAsProctor(proctor);
  const running = proctor.getByTestId('running-interview');
  await expect(running).toContainText(`Running interview with ${launch.candidate.name}`);
  await expect(proctor.getByTestId('seat-screen')).toHaveText('The candidate is in the interview room.');
  const message = proctor.getByTestId('proctor-message');

  await running.getByRole('button', { name: `Confirm the candidate is ${launch.candidate.name}` }).click();
  await expect(message).toHaveText('Identity confirmed and logged.');
  await expect(running.getByText('identity confirmed')).toBeVisible();

  await running.getByRole('button', { name: 'Pause for a break' }).click();
  await expect(message).toHaveText('The interview is on a break.');
  await expect(page.getByTestId('proctor-break')).toBeVisible();
  // The break takes focus (a screen reader reads it at once) and gives it back when it ends.
  await expect(page.getByRole('heading', { name: 'A short break' })).toBeFocused();
  // The screen ticks every second; after one tick it shows the clock as the break froze it...
  await page.waitForTimeout(1_200);
  const during = await roomClock(page);
  // ...and it stands still through the break.
  await page.waitForTimeout(2_500);
  expect(await roomClock(page)).toEqual(during);
  await page.screenshot({ path: `${screenshots}/room-proctor-break.png` });
  await expectNoAxeViolations(page, 'the room on a proctor break');

  await running.getByLabel('Extra time').selectOption('5');
  await running.getByRole('button', { name: 'Grant extra time' }).click();
  await expect(message).toHaveText('5 minutes of extra time granted.');
  await expect.poll(async () => (await roomClock(page)).remaining).toBe(during.remaining + 5 * 60);
  await expect(running.getByTestId('operations-summary')).toContainText('Extra time granted: 5 min.');

  // A reload (a renderer crash) during the break comes back on the break with the extra time counted.
  await page.reload();
  await expect(page.locator('[data-screen="room"]')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('proctor-break')).toBeVisible();
  // Main timed the break from its own record of it, a few milliseconds before the window did: the
  // screen's whole seconds may round the other way, never more.
  await expect.poll(async () => Math.abs((await roomClock(page)).remaining - (during.remaining + 5 * 60))).toBeLessThanOrEqual(1);
  expect(Math.abs((await roomClock(page)).elapsed - during.elapsed)).toBeLessThanOrEqual(1);

  await running.getByLabel('Incident note').fill('Fire alarm test; the candidate stayed seated.');
  await running.getByRole('button', { name: 'Add to the session log' }).click();
  await expect(message).toHaveText('The incident note is in the session log.');
  await proctor.screenshot({ path: `${screenshots}/proctor-running-interview.png`, fullPage: true });
  await expectNoAxeViolations(proctor, 'the proctor page with an interview on a break');

  await running.getByRole('button', { name: 'Resume the interview' }).click();
  await expect(message).toHaveText('The interview resumes.');
  await expect(page.getByTestId('proctor-break')).toBeHidden();
  await expect.poll(async () => (await roomClock(page)).elapsed, { timeout: 10_000 }).toBeGreaterThan(during.elapsed);

  proctor.once('dialog', (dialog) => void dialog.accept());
  await proctor.getByRole('button', { name: 'End the running interview' }).click();
  await expect(page.locator('[data-screen="complete"]')).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(
      async () =>
        (await stack.storedEvents(launch.interviewSessionId)).filter((event) => event.kind === 'proctor').map((event) => event.data.action),
      { timeout: 30_000 },
    )
    .toEqual(['identity_confirmed', 'pause', 'extra_time', 'incident', 'resume']);
  const acts = (await stack.storedEvents(launch.interviewSessionId)).filter((event) => event.kind === 'proctor');
  expect(acts.every((event) => event.data.by === demoProctor.email)).toBe(true);
  expect(acts.find((event) => event.data.action === 'incident')!.data.note).toBe('Fire alarm test; the candidate stayed seated.');
  expect(acts.find((event) => event.data.action === 'extra_time')!.data.minutes).toBe(5);
  // The interviewer was told about the break and asked to welcome the candidate back.
  const told = stack.emulator.calls.flatMap((call) => call.clientEvents).map((event) => JSON.stringify(event));
  expect(told.some((event) => event.includes('paused the interview'))).toBe(true);
  expect(told.some((event) => event.includes('Welcome the candidate back'))).toBe(true);
  await proctorContext.close();
});
