// Type-checks and lints the edge functions with Deno itself, the runtime they deploy to.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { denoBinary } from './deno-binary';

const functionsDir = 'supabase/functions';
const entries = existsSync(functionsDir)
  ? readdirSync(functionsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
      .map((entry) => join(functionsDir, entry.name, 'index.ts'))
      .filter((file) => existsSync(file))
  : [];

if (entries.length === 0) {
  console.log('deno check: no edge functions yet');
  process.exit(0);
}
const localRouter = join(functionsDir, '_local', 'router.ts');
// The processing worker is a process of its own, not a function: checked by name.
const worker = join(functionsDir, '_worker', 'processing-worker.ts');
const config = join(functionsDir, 'deno.json');
const configArgs = existsSync(config) ? ['--config', config] : [];
// The same npm cache the local stack and the tests use, so checking needs no second download.
const env = { ...process.env, DENO_DIR: process.env.DENO_DIR ?? resolve('node_modules/.cache/deno'), NO_COLOR: '1' };
const check = spawnSync(
  denoBinary(),
  ['check', '--quiet', ...configArgs, ...entries, ...(existsSync(localRouter) ? [localRouter] : []), ...(existsSync(worker) ? [worker] : [])],
  { stdio: 'inherit', env },
);
if (check.status !== 0) process.exit(check.status ?? 1);
const lint = spawnSync(denoBinary(), ['lint', '--quiet', ...configArgs, functionsDir], { stdio: 'inherit', env });
process.exit(lint.status ?? 1);
