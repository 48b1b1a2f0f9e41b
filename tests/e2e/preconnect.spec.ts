// The pre-connected call through every real piece (Chromium running the built renderer, main's core,
// the SDP proxy, the realtime emulator, the backend harness): the whole call is up while the candidate
// reads the consent, Start only releases the microphone and asks for the greeting. The emulator waits
// for `response.create` (as the provider does), so a greeting before Start would show up as a call
// that received one early. What is asserted is what the emulator saw and what Postgres holds.
import { expect, test, type Page } from '@playwright/test';
import type { InterviewLaunch } from '../../src/shared/domain/interview';
import { defaultInterviewTurns, type CallRecord } from '../support/realtime-emulator';
import { startInterviewStack, type InterviewStack } from '../support/interview-stack';

let stack: InterviewStack;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startInterviewStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

const responseRequests = (call: CallRecord) => call.clientEvents.filter((event) => event.type === 'response.create').length;

/** Launches an interview and waits, on the consent screen, until its call is up at the provider. */
async function launchAndWaitForPreconnect(page: Page, url: string): Promise<{ launch: InterviewLaunch; calls: () => CallRecord[] }> {
  await page.goto(url);
  await expect(page.locator('[data-screen="idle"]')).toBeVisible();
  stack.emulator.conversation.turnIndex = 0;
  stack.emulator.conversation.lastItemId = null;
  const before = stack.emulator.calls.length;
  const launch = await stack.startInterview();
  await expect(page.locator('[data-screen="consent"]')).toBeVisible({ timeout: 15_000 });
  const calls = () => stack.emulator.calls.slice(before);
  await expect.poll(() => calls().map((call) => call.state), { timeout: 20_000 }).toEqual(['connected']);
  return { launch, calls };
}

/** Consent, device check, Start, the scripted interview to its goodbye, then "I have finished". */
async function runFromConsent(page: Page, launch: InterviewLaunch) {
  await page.getByRole('button', { name: 'I agree, continue' }).click();
  const start = page.getByRole('button', { name: 'Start the interview' });
  await expect(start).toBeEnabled({ timeout: 15_000 });
  await page.getByRole('button', { name: 'I heard it' }).click();
  await start.click();
  await expect(page.locator('[data-screen="room"]')).toBeVisible();
  await expect(page.locator('.turn.interviewer[data-saved="true"]', { hasText: 'That is all the questions I have' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'live');
  await page.getByRole('button', { name: 'I have finished' }).click();
  await page.getByRole('button', { name: 'Yes, I am done' }).click();
  await expect(page.locator('[data-screen="complete"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('completion-status')).toHaveText('Everything you said has been saved.');
  await expect
    .poll(async () => (await stack.storedSession(launch.interviewSessionId)).status, { timeout: 45_000, intervals: [250, 500, 1_000] })
    .toBe('completed');
}

/** Every turn of the script once, in order, seq without gaps, as Postgres holds it. */
async function expectCompleteTranscript(launch: InterviewLaunch) {
  const rows = await stack.storedTranscript(launch.interviewSessionId);
  expect(rows.map((row) => row.seq)).toEqual(rows.map((_, index) => index));
  expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  expect(rows.map((row) => `${row.speaker}:${row.status}`)).toEqual([
    'interviewer:final',
    'candidate:final',
    'interviewer:final',
    'candidate:failed',
    'interviewer:interrupted',
    'candidate:final',
    'interviewer:final',
  ]);
  for (const index of [0, 1, 2, 5, 6]) expect(rows[index]!.text).toBe(defaultInterviewTurns[index]!.text);
}

test('a pre-connected interview: the call is up during consent, silent and unasked; its transcript is complete in Postgres', async ({ page }) => {
  test.setTimeout(150_000);
  const { launch, calls } = await launchAndWaitForPreconnect(page, stack.host.url);
  const [call] = calls();
  // Up, but nothing asked of the provider and no microphone audio sent while the candidate reads.
  expect(responseRequests(call!)).toBe(0);
  expect(call!.rtpPacketsReceived).toBe(0);
  await runFromConsent(page, launch);
  // Start used that very call: no second offer, one greeting request.
  expect(calls()).toHaveLength(1);
  expect(responseRequests(call!)).toBe(1);
  expect(call!.rtpPacketsReceived).toBeGreaterThan(0);
  await expectCompleteTranscript(launch);
  const statuses = (await stack.storedEvents(launch.interviewSessionId)).filter((event) => event.kind === 'webrtc_status').map((event) => event.data.status);
  expect(statuses).toContain('preconnected');
  expect(statuses).not.toContain('preconnect_expired');
});

test('a candidate who waits on consent past the idle bound gets a fresh call on Start, unnoticed: the room works, the transcript is complete', async ({ page }) => {
  test.setTimeout(150_000);
  // The test host's URL shortens the bound (Electron loads the renderer without it).
  const { launch, calls } = await launchAndWaitForPreconnect(page, `${stack.host.url}?preconnectIdleMs=1500`);
  const [idle] = calls();
  // The kiosk closed the idle call: its session log says so, and the provider saw it go.
  await expect
    .poll(async () => (await stack.storedEvents(launch.interviewSessionId)).some((event) => event.kind === 'webrtc_status' && event.data.status === 'preconnect_expired'), {
      timeout: 30_000,
    })
    .toBe(true);
  await expect.poll(() => idle!.state, { timeout: 30_000 }).not.toBe('connected');
  await expect(page.locator('[data-screen="consent"]')).toBeVisible();
  await runFromConsent(page, launch);
  // The idle call was never asked for anything; the interview ran on the fresh one.
  expect(calls()).toHaveLength(2);
  expect(responseRequests(idle!)).toBe(0);
  expect(idle!.rtpPacketsReceived).toBe(0);
  expect(responseRequests(calls()[1]!)).toBe(1);
  await expectCompleteTranscript(launch);
});
