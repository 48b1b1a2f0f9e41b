// The site readiness check in Chromium against the local stack (real proxy, backend, provider
// emulator's werift peer), the media path through the netlab's UDP relay: on a clean link every item
// passes; with UDP blocked the test call fails with the firewall advice and the other items are still
// measured and shown. The page passes axe; its screenshot goes to docs/screenshots/.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { overall } from '../../src/shared/site-check/verdicts';
import { driveSiteCheck, startSiteCheckStack } from '../support/site-check';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 800 } });

test('clean link: every item passes, the page passes axe', async ({ page }) => {
  test.setTimeout(120_000);
  const site = await startSiteCheckStack({});
  try {
    const pass = await site.pass();
    const items = await driveSiteCheck(page, new URL('/site-check/index.html', site.stack.host.url).toString(), site.targets, { proxyUrl: pass.url, token: pass.token, sessionConfig: pass.sessionConfigToken });
    expect(items.map((item) => item.id).sort()).toEqual(['clock', 'ice', 'proxy', 'test-call', 'upload-backend', 'upload-video']);
    for (const item of items) expect({ id: item.id, verdict: item.verdict, reason: item.reason }).toEqual({ id: item.id, verdict: 'pass', reason: undefined });
    // The call really went through the relay to the provider's peer, and media came back.
    expect(site.relays.length).toBeGreaterThan(0);
    expect(site.relays.reduce((sum, relay) => sum + relay.uplink.delivered.rtp, 0)).toBeGreaterThan(0);
    expect(items.find((item) => item.id === 'test-call')!.measured).toMatch(/^RTT \d+ ms, loss 0\.0 %, [1-9]\d* packets received$/);
    await expect(page.getByTestId('site-check-summary')).toHaveText('Overall: Pass');
    await expect(page.locator('tr[data-verdict="pass"]')).toHaveCount(6);
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
  } finally {
    await site.stop();
  }
});

test('UDP blocked: the test call fails with what to open, the rest is still reported', async ({ page }) => {
  test.setTimeout(120_000);
  const site = await startSiteCheckStack({ blockUdp: true });
  try {
    const pass = await site.pass();
    const items = await driveSiteCheck(page, new URL('/site-check/index.html', site.stack.host.url).toString(), site.targets, { proxyUrl: pass.url, token: pass.token, sessionConfig: pass.sessionConfigToken });
    expect(overall(items)).toBe('fail');
    const call = items.find((item) => item.id === 'test-call')!;
    expect(call).toMatchObject({ verdict: 'fail', measured: 'no media path' });
    expect(call.reason).toContain('UDP to the provider is blocked');
    // The advice names the provider's media address from its answer: the relay the kiosk was sent to.
    expect(call.firewall).toBe(`Allow outgoing UDP from the kiosk to udp 127.0.0.1:${site.relays[0]!.port}, and the replies back in (a stateful firewall does).`);
    for (const id of ['proxy', 'ice', 'upload-backend', 'upload-video', 'clock']) expect(items.find((item) => item.id === id)?.verdict).toBe('pass');
    const row = page.locator('tr[data-check="test-call"]');
    await expect(row).toHaveAttribute('data-verdict', 'fail');
    await expect(row).toContainText('Firewall: Allow outgoing UDP');
    await expect(page.getByTestId('site-check-summary')).toContainText('Overall: Fail');
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((violation) => violation.id)).toEqual([]);
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/site-check-udp-blocked.png' });
  } finally {
    await site.stop();
  }
});
