// The candidate's screens as a person meets them, in Chromium over the real local stack (the realtime
// emulator playing a 30-turn interview, the SDP proxy, main's core, the backend harness): the room
// keeps its header and "I have finished" on screen at kiosk sizes while only the transcript scrolls,
// follows the newest turn unless the candidate scrolled back, prompts for "I have finished" once the
// interviewer's closing turn is met with silence, moves focus to each new screen, and every screen
// passes axe. Screenshots of the long room go to docs/screenshots/.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { ScriptTurn } from '../support/realtime-emulator';
import { startInterviewStack, type InterviewStack } from '../support/interview-stack';

const screenshots = 'docs/screenshots';
const closingLine = 'That brings us to the end of the interview. Thank you very much for your time today.';

/** 30 turns: questions and answers long enough to wrap, ending on the interviewer's closing line. */
function longInterview(): ScriptTurn[] {
  const turns: ScriptTurn[] = [];
  for (let round = 1; round <= 15; round++) {
    turns.push({ speaker: 'interviewer', text: `Question ${round}: could you walk me through a situation where you had to make a difficult technical decision, and what you learned from it?` });
    if (round < 15) turns.push({ speaker: 'candidate', text: `Answer ${round}: I weighed the options with my team, wrote down the trade-offs, and we chose the simpler design we could test.` });
  }
  turns.push({ speaker: 'interviewer', text: closingLine });
  return turns;
}

let stack: InterviewStack;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  mkdirSync(screenshots, { recursive: true });
  stack = await startInterviewStack({ script: { turns: longInterview() } });
  expect(stack.emulator.script.turns).toHaveLength(30);
});

test.afterAll(async () => {
  await stack?.stop();
});

/** No axe violations on the screen as it stands; the report names each rule and the nodes it failed on. */
async function expectNoAxeViolations(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map((violation) => ({ rule: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ')) })),
    `axe on the ${screen} screen`,
  ).toEqual([]);
}

/** The element's whole box lies inside the window (not below the fold, not scrolled off). */
async function expectInsideViewport(page: Page, locator: Locator, what: string) {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box!.y, `${what}: top`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${what}: left`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what}: bottom vs the window's ${viewport.height}px`).toBeLessThanOrEqual(viewport.height);
  expect(box!.x + box!.width, `${what}: right vs the window's ${viewport.width}px`).toBeLessThanOrEqual(viewport.width);
}

/** The element's box lies inside the transcript's scrolling region, i.e. it is what the candidate sees there. */
async function insideTranscript(page: Page, locator: Locator): Promise<boolean> {
  const [box, region] = await Promise.all([locator.boundingBox(), page.getByTestId('transcript').boundingBox()]);
  return box !== null && region !== null && box.y >= region.y - 1 && box.y + box.height <= region.y + region.height + 1;
}

interface RunOptions {
  axe: boolean;
  /** Scroll back while turns keep coming, then jump to the latest. */
  scrollBack: boolean;
  shot: string;
}

async function runLongInterview(page: Page, options: RunOptions) {
  const heading = page.getByRole('heading', { level: 1 });
  await page.goto(stack.host.url);
  await expect(page.locator('[data-screen="idle"]')).toBeVisible();
  await expect(heading).toBeFocused();
  if (options.axe) await expectNoAxeViolations(page, 'attract');
  stack.emulator.conversation.turnIndex = 0;
  stack.emulator.conversation.lastItemId = null;
  await stack.startInterview();

  await expect(page.locator('[data-screen="consent"]')).toBeVisible({ timeout: 15_000 });
  await expect(heading).toBeFocused();
  if (options.axe) await expectNoAxeViolations(page, 'consent');
  await page.getByRole('button', { name: 'I agree, continue' }).click();

  await expect(page.locator('[data-screen="device-check"]')).toBeVisible();
  await expect(heading).toBeFocused();
  const start = page.getByRole('button', { name: 'Start the interview' });
  await expect(start).toBeEnabled({ timeout: 15_000 });
  await page.getByRole('button', { name: 'I heard it' }).click();
  if (options.axe) await expectNoAxeViolations(page, 'device check');
  await start.click();

  await expect(page.locator('[data-screen="room"]')).toBeVisible();
  await expect(heading).toBeFocused();
  const turns = page.locator('.turn');
  const finish = page.getByRole('button', { name: 'I have finished' });
  const jump = page.getByRole('button', { name: /Jump to the latest turn/ });
  const transcript = page.getByTestId('transcript');

  if (options.scrollBack) {
    await expect.poll(() => turns.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(12);
    await expect(jump).toBeHidden();
    await transcript.hover();
    await page.mouse.wheel(0, -20_000);
    await expect(jump).toBeVisible();
    await expect.poll(() => transcript.evaluate((element) => element.scrollTop)).toBe(0);
    // Turns keep arriving; the candidate rereading the top is not pulled down to them.
    const seen = await turns.count();
    await expect.poll(() => turns.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(seen + 2);
    expect(await transcript.evaluate((element) => element.scrollTop)).toBe(0);
    expect(await insideTranscript(page, turns.last())).toBe(false);
    await expectInsideViewport(page, finish, '"I have finished" while scrolled back');
    await jump.click();
    await expect(jump).toBeHidden();
    await expect.poll(() => insideTranscript(page, turns.last())).toBe(true);
  }

  // The script ends on the interviewer's closing line; wait until main has it.
  const closing = page.locator('.turn.interviewer[data-saved="true"]', { hasText: closingLine });
  await expect(closing).toBeVisible({ timeout: 90_000 });
  await expect(turns).toHaveCount(30);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'live');

  // Nothing follows the closing line: the room says what to do and puts focus on the way out.
  const prompt = page.getByTestId('closing-prompt');
  await expect(prompt).toBeVisible({ timeout: 20_000 });
  await expect(prompt).toContainText('I have finished');
  await expect(finish).toBeFocused();

  await expectInsideViewport(page, turns.last(), 'the newest turn');
  expect(await insideTranscript(page, turns.last())).toBe(true);
  await expectInsideViewport(page, finish, '"I have finished"');
  await expectInsideViewport(page, prompt, 'the closing prompt');
  await expectInsideViewport(page, page.getByRole('heading', { level: 1 }), 'the room heading');
  // Only the transcript scrolls: the document itself fits the window.
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  expect(await transcript.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
  // Screen readers get completed turns only, the closing line among them.
  await expect(page.getByTestId('turn-announcer')).toContainText(`Interviewer: ${closingLine}`);
  await page.screenshot({ path: `${screenshots}/${options.shot}.png` });
  if (options.axe) await expectNoAxeViolations(page, 'room');

  await finish.click();
  await expect(page.getByRole('button', { name: 'No, continue' })).toBeFocused();
  await page.getByRole('button', { name: 'Yes, I am done' }).click();
  await expect(page.locator('[data-screen="complete"]')).toBeVisible({ timeout: 30_000 });
  await expect(heading).toBeFocused();
  await expect(page.getByTestId('completion-status')).toHaveText('Everything you said has been saved.');
  if (options.axe) await expectNoAxeViolations(page, 'complete');
}

test('at 1280×800 a 30-turn room keeps the newest turn and "I have finished" on screen, holds a scrolled-back transcript, prompts after the closing line, and every screen passes axe', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await runLongInterview(page, { axe: true, scrollBack: true, shot: '6-room-30-turns-1280x800' });
});

test('at 1024×768 the same 30-turn room keeps the newest turn, the prompt and "I have finished" on screen', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1024, height: 768 });
  await runLongInterview(page, { axe: false, scrollBack: false, shot: '7-room-30-turns-1024x768' });
});
