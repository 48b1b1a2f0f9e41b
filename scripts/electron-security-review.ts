// `npm run review:electron`: runs Electronegativity on the built app (out/) and fails on any finding that
// is not in build/electronegativity-reviewed.json, where each reviewed false positive says why it is one.
// Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { parseFindings, unreviewed } from './electron-security-findings';

const reviewedSchema = z.object({
  excludedChecks: z.record(z.string(), z.string().min(1)),
  reviewed: z.array(z.object({ issue: z.string().min(1), file: z.string().min(1), sample: z.string().min(1), why: z.string().min(20) })),
});

const outDir = resolve('out');
if (!existsSync(join(outDir, 'main', 'index.js'))) {
  console.error('review:electron: no built app in out/; run `npm run build` first.');
  process.exit(2);
}
// Electronegativity has an install of its own (tools/electronegativity, with its lock file): it relies on a
// commander it does not declare, and the app's newer one breaks it.
const toolDir = resolve('tools/electronegativity');
const tool = join(toolDir, 'node_modules', '.bin', 'electronegativity');
if (!existsSync(tool)) {
  console.log('review:electron: installing Electronegativity (tools/electronegativity, once)…');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: toolDir, stdio: 'inherit', timeout: 300_000 });
  if (install.status !== 0 || !existsSync(tool)) {
    console.error('review:electron: could not install tools/electronegativity (npm ci there failed).');
    process.exit(2);
  }
}
const reviewed = reviewedSchema.parse(JSON.parse(readFileSync(resolve('build/electronegativity-reviewed.json'), 'utf8')));
const packageJson = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const report = join(work, 'findings.sarif');
try {
  const run = spawnSync(
    tool,
    ['-i', outDir, '-r', '-e', packageJson.devDependencies.electron!, '-x', Object.keys(reviewed.excludedChecks).join(','), '-o', report],
    {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(resolve('scripts/electronegativity-offline.mjs')).href}`.trim() },
    },
  );
  if (run.error || !existsSync(report)) {
    console.error(`review:electron: Electronegativity did not run: ${run.error?.message ?? run.stderr ?? run.stdout}`);
    process.exit(2);
  }
  const lines = new Map<string, string[]>();
  const lineOf = (file: string, line: number) => {
    if (!lines.has(file)) lines.set(file, readFileSync(join(outDir, file), 'utf8').split('\n'));
    return lines.get(file)![line - 1] ?? '';
  };
  const findings = parseFindings(readFileSync(report, 'utf8'), lineOf);
  const open = unreviewed(findings, reviewed.reviewed);
  console.log(`review:electron: ${findings.length} finding(s), ${findings.length - open.length} reviewed as false positives (build/electronegativity-reviewed.json).`);
  if (open.length > 0) {
    for (const finding of open) console.error(`  UNREVIEWED ${finding.issue} (${finding.level}) ${finding.file}:${finding.location} — ${finding.description}\n      ${finding.sample}`);
    process.exit(1);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
