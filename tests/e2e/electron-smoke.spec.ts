// Launches the real desktop app where an Electron binary exists. Electron's binary is downloaded on
// first use from outside the npm registry, so on machines without it this spec is skipped, saying why.
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from '../../scripts/electron-binary';

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
