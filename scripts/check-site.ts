// `npm run check-site`: the site readiness check for IT before go-live. Drives the check page in the
// system Chromium (the kiosk's own engine), prints the table and exits 1 on any fail.
//   npm run check-site                      the local stack (embedded backend, proxy, provider emulator)
//   npm run check-site -- --block-udp       the same with UDP to the provider dropped (what a blocking firewall does)
//   npm run check-site -- --screenshot f.png
// Needs the built renderer (`npm run build`).
import { chromium } from '@playwright/test';
import { parseArgs } from 'node:util';
import { chromiumArgs, chromiumExecutable } from '../tests/support/chromium';
import { driveSiteCheck, startSiteCheckStack } from '../tests/support/site-check';
import { formatTable, overall } from '../src/shared/site-check/verdicts';

const { values: flags } = parseArgs({
  options: { 'block-udp': { type: 'boolean', default: false }, screenshot: { type: 'string' }, json: { type: 'boolean', default: false } },
  strict: true,
});

async function main(): Promise<number> {
  console.error('[check-site] starting the local stack…');
  const site = await startSiteCheckStack({ blockUdp: flags['block-udp'] });
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
  try {
    const pass = await site.pass();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const items = await driveSiteCheck(page, new URL('/site-check/index.html', site.stack.host.url).toString(), site.targets, { proxyUrl: pass.url, token: pass.token, sessionConfig: pass.sessionConfigToken });
    if (flags.screenshot) await page.screenshot({ path: flags.screenshot, fullPage: true });
    console.log(flags.json ? JSON.stringify(items, null, 2) : formatTable(items));
    return overall(items) === 'fail' ? 1 : 0;
  } finally {
    await browser.close().catch(() => undefined);
    await site.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
