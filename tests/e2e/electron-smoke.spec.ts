// Launches the real desktop app where an Electron binary exists. Electron's binary is downloaded on
// first use from outside the npm registry, so on machines without it this spec is skipped, saying why.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

function electronBinary(): string | undefined {
  if (process.env.ELECTRON_PATH) return existsSync(process.env.ELECTRON_PATH) ? process.env.ELECTRON_PATH : undefined;
  try {
    const require = createRequire(import.meta.url);
    const distPath = require('electron/package.json') && require.resolve('electron/package.json').replace(/package\.json$/, 'dist');
    const candidates = ['electron', 'Electron.app/Contents/MacOS/Electron', 'electron.exe'].map((name) => `${distPath}/${name}`);
    return candidates.find((candidate) => existsSync(candidate));
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const skipReason =
  'No Electron binary on this machine (it is fetched from outside the npm registry); set ELECTRON_PATH to run this spec.';
if (!binary) console.log(`electron-smoke: skipped. ${skipReason}`);

test('the desktop app starts, opens one sandboxed window and answers app.info', async () => {
  test.skip(!binary, skipReason);
  const app = await electron.launch({ executablePath: binary, args: ['.'] });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('app-info')).toContainText('electron');
    const exposesNode = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require !== 'undefined');
    expect(exposesNode).toBe(false);
  } finally {
    await app.close();
  }
});
