// What every benchmark reports, so `npm run bench` can print one table of ratios against targets.
export interface BenchResult {
  /** What was measured, e.g. "proxy offer→answer overhead p99". */
  name: string;
  /** The measured value, in `unit`. */
  value: number;
  unit: string;
  /** The same quantity for the baseline measured in the same run, where the target is a ratio. */
  baseline?: number;
  /** The target in words, e.g. "≤ 10 ms" or "≤ 1.1× baseline". */
  target: string;
  /** Whether this run met the target. */
  met: boolean;
}

export interface Benchmark {
  title: string;
  run(): Promise<BenchResult[]>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
