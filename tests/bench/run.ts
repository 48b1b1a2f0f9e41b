// `npm run bench`: runs every tests/bench/*.bench.ts (each default-exports a Benchmark) and prints one
// table of measured values, same-run baselines, ratios and targets. Pass names to run a subset.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchResult } from './bench-kit';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

const rows: Array<BenchResult & { suite: string }> = [];
let failedSuites = 0;
for (const file of files) {
  const benchmark = (await import(pathToFileURL(join(here, file)).href)).default as Benchmark;
  console.log(`▶ ${benchmark.title}`);
  try {
    for (const result of await benchmark.run()) rows.push({ ...result, suite: benchmark.title });
  } catch (error) {
    failedSuites++;
    console.error(`  ✗ ${benchmark.title} failed:`, error);
  }
}

const format = (value: number | undefined, unit = '') =>
  value === undefined || Number.isNaN(value) ? '—' : `${Number(value.toPrecision(4))}${unit ? ` ${unit}` : ''}`;
const table = rows.map((row) => ({
  benchmark: row.name,
  measured: format(row.value, row.unit),
  baseline: format(row.baseline, row.unit),
  ratio: row.baseline ? `${(row.value / row.baseline).toFixed(2)}×` : '—',
  target: row.target,
  met: row.met ? 'yes' : 'NO',
}));
console.log('');
console.table(table);
const missed = rows.filter((row) => !row.met).length;
console.log(`${rows.length} measurements, ${rows.length - missed} met their target, ${missed} missed; ${failedSuites} suites failed to run.`);
process.exit(failedSuites > 0 ? 1 : 0);
