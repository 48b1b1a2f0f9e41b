// Type-checks the edge functions with Deno itself, the runtime they deploy to.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
const result = spawnSync(denoBinary(), ['check', '--quiet', ...entries], { stdio: 'inherit' });
process.exit(result.status ?? 1);
