import { expect, test } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserHost } from '../../src/host/browser-host';
import { startTestKioskHost } from '../support/kiosk-host';

let host: BrowserHost;

test.beforeAll(async () => {
  host = await startTestKioskHost();
});

test.afterAll(async () => {
  await host.close();
});

test('the built renderer reaches main through window.kiosk and shows the app info', async ({ page }) => {
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Interview kiosk' })).toBeVisible();
  await expect(page.getByTestId('app-info')).toContainText('browser-host');
  expect(cspViolations).toEqual([]);
});

test('a bad payload sent through window.kiosk comes back as a clear contract error', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('app-info')).toBeVisible();
  const failure = await page.evaluate(async () => {
    try {
      // @ts-expect-error deliberately breaking the contract from the page
      await window.kiosk!.app.info({ unexpected: true });
      return null;
    } catch (error) {
      const { code, message } = error as { code: string; message: string };
      return { code, message };
    }
  });
  expect(failure?.code).toBe('ipc.bad_request');
  expect(failure?.message).toContain('app.info');
});

test('a page from another origin cannot call main through the bridge', async ({ page }) => {
  const foreign = createServer((_request, response) => response.end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  const { port } = foreign.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/`);
  const opened = await page.evaluate(async (bridgeUrl) => {
    const socket = new WebSocket(bridgeUrl);
    return new Promise<boolean>((resolve) => {
      socket.addEventListener('open', () => resolve(true), { once: true });
      socket.addEventListener('error', () => resolve(false), { once: true });
    });
  }, host.url.replace('http', 'ws') + 'bridge');
  foreign.close();
  expect(opened).toBe(false);
});
