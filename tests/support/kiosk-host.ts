// Starts the browser host over the built renderer (`npm run build` first), so e2e specs drive the
// real renderer in Chromium with `window.kiosk` answered by main's real services.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../src/host/browser-host';

export const builtRendererDir = resolve('out/renderer');

export async function startTestKioskHost(options: Partial<BrowserHostOptions> = {}): Promise<BrowserHost> {
  if (!existsSync(resolve(builtRendererDir, 'index.html'))) {
    throw new Error(`No built renderer at ${builtRendererDir}: run "npm run build" before the e2e tests.`);
  }
  return startBrowserHost({ rendererDir: builtRendererDir, ...options });
}
