// Where the Deno binary from the `@deno/linux-x64-glibc` package lives; DENO_BIN overrides it
// on machines of another platform.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function denoBinary(): string {
  if (process.env.DENO_BIN) return process.env.DENO_BIN;
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@deno/linux-x64-glibc/package.json'));
  const binary = join(packageDir, 'deno');
  if (!existsSync(binary)) throw new Error(`Deno binary missing at ${binary}; run npm ci or set DENO_BIN.`);
  return binary;
}
