// Electronegativity's CSV report and the reviewed list, as pure functions (tested on their own).

export interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
}

export interface ReviewedFinding {
  issue: string;
  file: string;
  /** A fragment of the finding's sample (the code or policy it points at). */
  sample: string;
}

/** One CSV record per line; fields may be double-quoted with "" for a quote inside. */
function fields(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        current += '"';
        index++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  out.push(current.trim());
  return out;
}

export function parseFindings(csv: string): Finding[] {
  const [header, ...rows] = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (!header || !/^issue\s*,/.test(header)) throw new Error('Not an Electronegativity CSV report (no "issue," header).');
  return rows.map((row) => {
    const [issue = '', severity = '', confidence = '', file = '', location = '', sample = '', description = ''] = fields(row);
    return { issue, severity, confidence, file, location, sample, description };
  });
}

export function unreviewed(findings: readonly Finding[], reviewed: readonly ReviewedFinding[]): Finding[] {
  return findings.filter(
    (finding) => !reviewed.some((entry) => entry.issue === finding.issue && entry.file === finding.file && finding.sample.includes(entry.sample)),
  );
}
