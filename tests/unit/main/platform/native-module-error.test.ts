import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NATIVE_MODULE_ERROR, nativeModuleError } from '../../../../src/main/platform/native-module-error';
import { KioskError } from '../../../../src/shared/kiosk-error';
import { trayMenuModel, initialTrayState } from '../../../../src/main/tray/tray-menu';

/** What Node throws for an addon of another ABI (src/node_binding.cc), as Electron 45 reports a Node 24 build. */
function abiMismatch(): Error {
  return Object.assign(
    new Error(
      "The module '/opt/Interview Kiosk/resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
        'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 137. This version of Node.js requires\n' +
        'NODE_MODULE_VERSION 150. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).',
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  );
}

describe('native module load errors', () => {
  it('names an addon built for another runtime with its own code, both versions and the fix', () => {
    const error = nativeModuleError(abiMismatch());
    expect(error).toBeInstanceOf(KioskError);
    expect(error?.code).toBe(NATIVE_MODULE_ERROR.abiMismatch);
    expect(error?.message).toMatch(/module version 137; this one needs 150/);
    expect(error?.message).toMatch(/npm run dist/);
  });

  it('reports any other addon that fails to load (a real dlopen failure) as a load failure', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kiosk-addon-')), 'broken.node');
    writeFileSync(file, 'not an addon');
    let thrown: unknown = null;
    try {
      process.dlopen({ exports: {} }, file);
    } catch (error) {
      thrown = error;
    }
    expect(nativeModuleError(thrown)?.code).toBe(NATIVE_MODULE_ERROR.loadFailed);
  });

  it('leaves every other error alone, so a bad config stays config.invalid', () => {
    expect(nativeModuleError(new Error('tenantId: Invalid UUID'))).toBeNull();
    expect(nativeModuleError('a string')).toBeNull();
  });

  it('shows the tray that the kiosk cannot start rather than that it is not configured', () => {
    const [status] = trayMenuModel(initialTrayState(NATIVE_MODULE_ERROR.abiMismatch));
    expect(status).toEqual({ type: 'status', label: 'Cannot start: native.abi_mismatch' });
    expect(trayMenuModel(initialTrayState('config.invalid'))[0]).toEqual({ type: 'status', label: 'Not configured: config.invalid' });
  });
});
