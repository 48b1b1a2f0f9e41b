// A reload of the kiosk window mid-interview (in Electron: main reloading a crashed renderer), through
// the real stack as interview-flow.spec.ts runs it. The candidate must land back in the room with the
// clock where it was, every earlier turn on screen and the call re-established; Postgres must end with
// every turn once, in order.
import { expect, test, type Page } from '@playwright/test';
import { defaultInterviewTurns } from '../support/realtime-emulator';
import { startInterviewStack, type InterviewStack } from '../support/interview-stack';

let stack: InterviewStack;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startInterviewStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

/** The room clock's elapsed part ("m:ss") in seconds. */
async function elapsedSeconds(page: Page): Promise<number> {
  const text = (await page.getByRole('timer').locator('span').first().textContent()) ?? '';
  const match = /^(\d+):(\d{2})$/.exec(text.trim());
  expect(match, `clock text "${text}"`).not.toBeNull();
  return Number(match![1]) * 60 + Number(match![2]);
}

const savedTurns = (page: Page) => page.locator('.turn[data-saved="true"]');

test('a reload mid-interview goes straight back to the room: clock continued, whole transcript shown, call re-established, nothing stored twice', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(stack.host.url);
  await expect(page.locator('[data-screen="idle"]')).toBeVisible();
  stack.emulator.conversation.turnIndex = 0;
  stack.emulator.conversation.lastItemId = null;
  const launch = await stack.startInterview();
  await expect(page.locator('[data-screen="consent"]')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'I agree, continue' }).click();
  const start = page.getByRole('button', { name: 'Start the interview' });
  await expect(start).toBeEnabled({ timeout: 15_000 });
  await page.getByRole('button', { name: 'I heard it' }).click();
  await start.click();
  await expect(page.locator('[data-screen="room"]')).toBeVisible();

  await expect.poll(() => savedTurns(page).count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  const before = await savedTurns(page).allTextContents();
  const elapsedBefore = await elapsedSeconds(page);
  const reloadedAt = Date.now();
  const callsBefore = stack.emulator.calls.length;

  await page.reload();

  // Straight into the room: no consent, no device check, no Start.
  await expect(page.locator('[data-screen="room"]')).toBeVisible({ timeout: 5_000 });
  await expect(page.locator('[data-screen="consent"], [data-screen="device-check"]')).toHaveCount(0);
  const elapsedAfter = await elapsedSeconds(page);
  const passed = (Date.now() - reloadedAt) / 1000;
  expect(elapsedAfter).toBeGreaterThanOrEqual(elapsedBefore);
  expect(Math.abs(elapsedAfter - (elapsedBefore + passed))).toBeLessThanOrEqual(2);
  // Every turn saved before the reload is back on screen, in its place.
  const after = await savedTurns(page).allTextContents();
  expect(after.slice(0, before.length)).toEqual(before);

  // The call is re-established and the new provider session learned the conversation so far.
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  expect(stack.emulator.calls.length).toBeGreaterThan(callsBefore);
  // Turns without text (a failed transcription) have nothing to tell the provider, so they are not seeded.
  // What the entries say exactly (the screen shows a placeholder for a turn without text): main's upload.
  await expect.poll(async () => (await stack.storedTranscript(launch.interviewSessionId)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(before.length);
  const spokenBefore = (await stack.storedTranscript(launch.interviewSessionId))
    .slice(0, before.length)
    .map((row) => row.text.trim())
    .filter((text) => text !== '');
  const seeded = () =>
    stack.emulator.calls
      .at(-1)!
      .clientEvents.filter((event) => event.type === 'conversation.item.create')
      .map((event) => ((event as { item?: { content?: Array<{ text?: string }> } }).item?.content?.[0]?.text ?? '').trim());
  await expect.poll(() => seeded().slice(0, spokenBefore.length), { timeout: 10_000 }).toEqual(spokenBefore);

  await expect(page.locator('.turn.interviewer[data-saved="true"]', { hasText: 'That is all the questions I have' })).toBeVisible({ timeout: 90_000 });
  await page.getByRole('button', { name: 'I have finished' }).click();
  await page.getByRole('button', { name: 'Yes, I am done' }).click();
  await expect(page.locator('[data-screen="complete"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('completion-status')).toHaveText('Everything you said has been saved.');
  await expect
    .poll(async () => (await stack.storedSession(launch.interviewSessionId)).status, { timeout: 45_000, intervals: [250, 500, 1_000] })
    .toBe('completed');

  const rows = await stack.storedTranscript(launch.interviewSessionId);
  expect(rows.map((row) => row.seq)).toEqual(rows.map((_, index) => index));
  expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  // The turns from before the reload are stored once, first, as they were on screen.
  for (const [index, text] of before.entries()) expect(text).toContain(rows[index]!.text);
  // Complete turns follow the script; at most the one turn in flight at the reload is played again
  // (new provider items on the new call, so a new entry, not a duplicate of a stored one).
  const order = rows
    .filter((row) => row.status === 'final')
    .map((row) => {
      const index = defaultInterviewTurns.findIndex((turn) => turn.text === row.text);
      expect(index, row.text).toBeGreaterThanOrEqual(0);
      return index;
    });
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(order.length - new Set(order).size).toBeLessThanOrEqual(1);
  expect(rows.at(-1)!.text).toBe(defaultInterviewTurns.at(-1)!.text);
  expect(pageErrors).toEqual([]);
});
