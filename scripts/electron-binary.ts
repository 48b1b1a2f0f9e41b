// Where the Electron binary is, if this machine has one. Electron ≥ 42 fetches it on first use from
// outside the npm registry, so on machines without that access there is none: callers fall back.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary(): string | undefined {
  const fromEnv = process.env.ELECTRON_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  try {
    const require = createRequire(import.meta.url);
    const dist = join(dirname(require.resolve('electron/package.json')), 'dist');
    return ['electron', 'Electron.app/Contents/MacOS/Electron', 'electron.exe'].map((name) => join(dist, name)).find((path) => existsSync(path));
  } catch {
    return undefined;
  }
}
