// Writes the edge functions' copy of the shared contract (src/shared/contract → supabase/functions/
// _shared/contract). Supabase bundles each function from supabase/functions alone, so the functions
// cannot import the kiosk's source; they get the same files with Deno's import forms instead.
// `--check` only reports drift (what the test runs).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const contractSource = resolve('src/shared/contract');
export const contractCopy = resolve('supabase/functions/_shared/contract');

function zodVersion(): string {
  const manifest = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return manifest.dependencies.zod!;
}

/** Each file of the copy, by name, as it should read. */
export function expectedCopy(source = contractSource): Map<string, string> {
  const files = new Map<string, string>();
  const zod = `npm:zod@${zodVersion()}`;
  for (const name of readdirSync(source).filter((file) => file.endsWith('.ts')).sort()) {
    const text = readFileSync(join(source, name), 'utf8');
    const deno = text
      .replace(/from 'zod'/g, `from '${zod}'`)
      .replace(/from '(\.\/[^']+)'/g, (_match, path: string) => `from '${path}.ts'`);
    files.set(name, `// GENERATED from src/shared/contract/${name} by \`npm run contract:copy\`: edit the source, not this copy.\n${deno}`);
  }
  return files;
}

/** What differs between the copy on disk and the expected one: file names, each with why. */
export function copyDrift(source = contractSource, copy = contractCopy): string[] {
  const expected = expectedCopy(source);
  const drift: string[] = [];
  const present = existsSync(copy) ? readdirSync(copy).filter((file) => file.endsWith('.ts')) : [];
  for (const [name, text] of expected) {
    const path = join(copy, name);
    if (!existsSync(path)) drift.push(`${name}: missing`);
    else if (readFileSync(path, 'utf8') !== text) drift.push(`${name}: differs from its source`);
  }
  for (const name of present) if (!expected.has(name)) drift.push(`${name}: has no source`);
  return drift;
}

function main(): void {
  if (process.argv.includes('--check')) {
    const drift = copyDrift();
    if (drift.length === 0) return;
    console.error(`The functions' contract copy is out of date (run npm run contract:copy):\n  ${drift.join('\n  ')}`);
    process.exit(1);
  }
  rmSync(contractCopy, { recursive: true, force: true });
  mkdirSync(contractCopy, { recursive: true });
  for (const [name, text] of expectedCopy()) writeFileSync(join(contractCopy, name), text);
  console.log(`wrote ${contractCopy}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
