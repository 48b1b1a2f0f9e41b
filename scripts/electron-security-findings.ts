// Electronegativity's SARIF report and the reviewed list, as pure functions (tested on their own). SARIF,
// not its CSV: the CSV writer drops the start of a row whose sample spans lines.
import { z } from 'zod';

export interface Finding {
  issue: string;
  level: string;
  file: string;
  location: string;
  /** The source line the finding points at, trimmed: what a reviewed entry's `sample` is matched in. */
  sample: string;
  description: string;
}

export interface ReviewedFinding {
  issue: string;
  file: string;
  /** A fragment of the finding's sample (the code or policy it points at). */
  sample: string;
}

const sarifSchema = z.object({
  runs: z
    .array(
      z.object({
        results: z.array(
          z.object({
            ruleId: z.string(),
            level: z.string().default('warning'),
            message: z.object({ text: z.string() }),
            locations: z
              .array(
                z.object({
                  physicalLocation: z.object({
                    artifactLocation: z.object({ uri: z.string() }),
                    region: z.object({ startLine: z.number().int().optional(), startColumn: z.number().int().optional() }).optional(),
                  }),
                }),
              )
              .min(1),
          }),
        ),
      }),
    )
    .min(1),
});

/** `lineOf(file, line)` reads the built file the report points into (1-based lines). */
export function parseFindings(sarif: string, lineOf: (file: string, line: number) => string): Finding[] {
  let json: unknown;
  try {
    json = JSON.parse(sarif);
  } catch {
    throw new Error('Not an Electronegativity SARIF report (not JSON).');
  }
  const report = sarifSchema.safeParse(json);
  if (!report.success) throw new Error(`Not an Electronegativity SARIF report: ${report.error.issues[0]?.message ?? 'unexpected shape'}.`);
  return report.data.runs.flatMap((run) =>
    run.results.map((result) => {
      const where = result.locations[0]!.physicalLocation;
      const line = where.region?.startLine ?? 0;
      return {
        issue: result.ruleId,
        level: result.level,
        file: where.artifactLocation.uri,
        location: `${line}:${where.region?.startColumn ?? 0}`,
        sample: line > 0 ? lineOf(where.artifactLocation.uri, line).trim() : '',
        description: result.message.text,
      };
    }),
  );
}

export function unreviewed(findings: readonly Finding[], reviewed: readonly ReviewedFinding[]): Finding[] {
  return findings.filter(
    (finding) => !reviewed.some((entry) => entry.issue === finding.issue && entry.file === finding.file && finding.sample.includes(entry.sample)),
  );
}
