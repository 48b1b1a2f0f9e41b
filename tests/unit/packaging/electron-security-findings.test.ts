import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFindings, unreviewed } from '../../../scripts/electron-security-findings';

const result = (ruleId: string, uri: string, startLine: number, text: string) => ({
  ruleId,
  level: 'warning',
  message: { text },
  locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine, startColumn: 1, charLength: 10 } } }],
});

const report = JSON.stringify({
  runs: [
    {
      tool: { driver: { name: 'Electronegativity' } },
      results: [
        result('CONTEXT_ISOLATION_JS_CHECK', 'main/index.js', 2, 'Review the use of the contextIsolation option'),
        result('NODE_INTEGRATION_JS_CHECK', 'main/index.js', 3, 'Disable nodeIntegration for untrusted origins'),
        result('CSP_GLOBAL_CHECK', 'renderer/index.html', 1, 'One or more CSP directives detected seems to be vulnerable'),
      ],
    },
  ],
});

const built: Record<string, string[]> = {
  'main/index.js': ['"use strict";', '\tconst window = new BrowserWindow(kioskWindowOptions({', '\tnew BrowserWindow({ webPreferences: { nodeIntegration: true } });'],
  'renderer/index.html': [`    <meta charset="UTF-8" /><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'">`],
};
const lineOf = (file: string, line: number) => built[file]![line - 1]!;

const reviewed = JSON.parse(readFileSync(new URL('../../../build/electronegativity-reviewed.json', import.meta.url), 'utf8')) as {
  reviewed: Array<{ issue: string; file: string; sample: string; why: string }>;
};

describe('the Electronegativity review', () => {
  it('reads its SARIF report and the built line each finding points at', () => {
    const findings = parseFindings(report, lineOf);
    expect(findings).toHaveLength(3);
    expect(findings[0]).toMatchObject({ issue: 'CONTEXT_ISOLATION_JS_CHECK', file: 'main/index.js', location: '2:1', sample: 'const window = new BrowserWindow(kioskWindowOptions({' });
    expect(() => parseFindings('issue, severity', lineOf)).toThrow(/SARIF/);
    expect(() => parseFindings('{"runs":[]}', lineOf)).toThrow(/SARIF/);
  });

  it('lets through only the findings a reviewed entry names, so a new one fails the build', () => {
    const open = unreviewed(parseFindings(report, lineOf), reviewed.reviewed);
    expect(open.map((finding) => finding.issue)).toEqual(['NODE_INTEGRATION_JS_CHECK']);
  });

  it('says why for every reviewed false positive', () => {
    for (const entry of reviewed.reviewed) expect(entry.why.length, `${entry.issue} ${entry.file}`).toBeGreaterThan(40);
  });
});
