// `npm run check-site`: the site readiness check for IT before go-live. Drives the check page in the
// system Chromium (the kiosk's own engine), prints the table and exits 1 on any fail (2 if it could not run).
//   npm run check-site                         the local stack (embedded backend, proxy, provider emulator)
//   npm run check-site -- --block-udp          the same with UDP to the provider dropped (what a blocking firewall does)
//   npm run check-site -- --config tenant-config.json [--proxy-url wss://…/v1/signal]
//                                              a tenant's real path; the proxy defaults to the first allowed
//                                              origin's /v1/signal. No proxy pass outside an interview, so no
//                                              test call in this mode (the line says so).
//   --screenshot f.png, --json
// Needs the built renderer (`npm run build`).
import { chromium } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sirv from 'sirv';
import { loadTenantConfig } from '../src/main/config/tenant-config';
import { siteCheckProxyUrl } from '../src/main/site-check/site-check-plan';
import { formatTable, overall, type CheckItem } from '../src/shared/site-check/verdicts';
import { chromiumArgs, chromiumExecutable } from '../tests/support/chromium';
import { driveSiteCheck, startSiteCheckStack } from '../tests/support/site-check';

const { values: flags } = parseArgs({
  options: {
    'block-udp': { type: 'boolean', default: false },
    config: { type: 'string' },
    'proxy-url': { type: 'string' },
    screenshot: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  strict: true,
});

type Drive = (page: Parameters<typeof driveSiteCheck>[0]) => Promise<CheckItem[]>;

async function withTarget<T>(use: (drive: Drive) => Promise<T>): Promise<T> {
  if (flags.config) {
    const config = loadTenantConfig(resolve(flags.config));
    const proxyUrl = flags['proxy-url'] ?? siteCheckProxyUrl(config, null);
    if (!proxyUrl) throw new Error('The tenant configuration has no allowedOrigins: give the proxy with --proxy-url wss://…/v1/signal.');
    // The built page on a loopback port of its own; the page's meta policy names no tenant origin, so the
    // browser context bypasses it (the kiosk's shells send the tenant's policy instead).
    const server = createServer(sirv(resolve('out/renderer'), { dev: false }));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    try {
      const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/site-check/index.html`;
      const targets = { proxyUrl, supabaseUrl: config.supabase.url, publishableKey: config.supabase.publishableKey, videoUploadUrl: config.recordingUpload?.uploadUrl ?? 'https://ws.api.video/upload' };
      return await use((page) => driveSiteCheck(page, pageUrl, targets, { proxyUrl, token: null }));
    } finally {
      server.close();
    }
  }
  console.error('[check-site] starting the local stack…');
  const site = await startSiteCheckStack({ blockUdp: flags['block-udp'] });
  try {
    const pass = await site.pass();
    const pageUrl = new URL('/site-check/index.html', site.stack.host.url).toString();
    return await use((page) => driveSiteCheck(page, pageUrl, site.targets, { proxyUrl: pass.url, token: pass.token, sessionConfig: pass.sessionConfigToken }));
  } finally {
    await site.stop();
  }
}

async function main(): Promise<number> {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
  try {
    return await withTarget(async (drive) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: Boolean(flags.config) });
      const page = await context.newPage();
      const items = await drive(page);
      if (flags.screenshot) await page.screenshot({ path: flags.screenshot, fullPage: true });
      console.log(flags.json ? JSON.stringify(items, null, 2) : formatTable(items));
      return overall(items) === 'fail' ? 1 : 0;
    });
  } finally {
    await browser.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
