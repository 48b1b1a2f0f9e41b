// A native addon (better-sqlite3) that fails to load is a broken build, not a broken tenant config. The
// usual cause is a module compiled for Node (by `npm ci`) and started under Electron, whose ABI differs
// (Electron 45: NODE_MODULE_VERSION 150; Node 24: 137): `npm run dist` rebuilds it for Electron, a
// hand-assembled app may not. Reported as `config.invalid` it sends the operator to the wrong file.
import { KioskError } from '../../shared/kiosk-error';

export const NATIVE_MODULE_ERROR = {
  /** Built for another runtime's ABI (NODE_MODULE_VERSION differs). */
  abiMismatch: 'native.abi_mismatch',
  /** Any other failure to load an addon: missing file, wrong architecture, missing library. */
  loadFailed: 'native.load_failed',
} as const;

// Node's own wording (src/node_binding.cc) when an addon's module version is not the runtime's.
const ABI_MISMATCH = /compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)\.\s+This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/;

/** The coded error for a native addon that failed to load, or null when `error` is something else. */
export function nativeModuleError(error: unknown): KioskError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  const abi = ABI_MISMATCH.exec(error.message);
  if (abi) {
    return new KioskError(
      NATIVE_MODULE_ERROR.abiMismatch,
      `The kiosk's database module was built for another runtime (module version ${abi[1]}; this one needs ${abi[2]}). ` +
        'It was most likely built for Node instead of Electron: reinstall the kiosk from an installer made by `npm run dist`.',
      { cause: error },
    );
  }
  if (code === 'ERR_DLOPEN_FAILED') {
    return new KioskError(
      NATIVE_MODULE_ERROR.loadFailed,
      'The kiosk could not load its database module; reinstall the kiosk. The log has the details.',
      { cause: error },
    );
  }
  return null;
}
