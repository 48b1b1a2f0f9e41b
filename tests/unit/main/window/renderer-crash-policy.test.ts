import { describe, expect, it } from 'vitest';
import { createCrashTracker, GIVE_UP_PAGE_HTML, giveUpPageUrl } from '../../../../src/main/window/renderer-crash-policy';
import { metaPoliciesOf } from '../../../../src/main/lockdown/content-security-policy';

const second = 1_000;

describe('renderer crash recovery', () => {
  it('reloads up to three crashes in a minute and gives up on the fourth', () => {
    const tracker = createCrashTracker();
    const actions = [0, 10, 20, 30].map((s) => tracker.crashed(s * second).action);
    expect(actions).toEqual(['reload', 'reload', 'reload', 'give-up']);
    expect(tracker.gaveUp()).toBe(true);
  });

  it('forgets crashes older than the minute, so occasional crashes keep being reloaded', () => {
    const tracker = createCrashTracker();
    const actions = [0, 50, 100, 150, 200, 250].map((s) => tracker.crashed(s * second));
    expect(actions.map((d) => d.action)).toEqual(Array(6).fill('reload'));
    expect(actions.at(-1)?.crashesInWindow).toBe(2);
  });

  it('stays given up, even when the next crash comes much later', () => {
    const tracker = createCrashTracker({ maxReloads: 1, windowMs: 60 * second });
    tracker.crashed(0);
    expect(tracker.crashed(1 * second).action).toBe('give-up');
    expect(tracker.crashed(3_600 * second).action).toBe('give-up');
  });

  it('shows a static page that tells the candidate to call the proctor and runs no script', () => {
    const page = decodeURIComponent(giveUpPageUrl().replace(/^data:text\/html;charset=utf-8,/, ''));
    expect(page).toBe(GIVE_UP_PAGE_HTML);
    expect(page).toMatch(/call the proctor/i);
    expect(page).not.toMatch(/<script/i);
    expect(metaPoliciesOf(page)).toEqual(["default-src 'none'; style-src 'unsafe-inline'"]);
  });
});
