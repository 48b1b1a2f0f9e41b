import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFindings, unreviewed } from '../../../scripts/electron-security-findings';

const report = `issue, severity, confidence, filename, location, sample, description, url
CONTEXT_ISOLATION_JS_CHECK,"HIGH","FIRM","main/index.js","2760:16","const window = new BrowserWindow(kioskWindowOptions({","Review the use of the contextIsolation option",https://example.test/a
NODE_INTEGRATION_JS_CHECK,"INFORMATIONAL","FIRM","main/index.js","10:2","new BrowserWindow({ webPreferences: { nodeIntegration: true } })","Disable nodeIntegration for untrusted origins",https://example.test/b
CSP_GLOBAL_CHECK,"LOW","FIRM","renderer/index.html","4:0","default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'","CSP says ""review""",https://example.test/c
`;

const reviewed = JSON.parse(readFileSync(new URL('../../../build/electronegativity-reviewed.json', import.meta.url), 'utf8')) as {
  reviewed: Array<{ issue: string; file: string; sample: string; why: string }>;
};

describe('the Electronegativity review', () => {
  it('reads its CSV report, quoted fields and doubled quotes included', () => {
    const findings = parseFindings(report);
    expect(findings).toHaveLength(3);
    expect(findings[0]).toMatchObject({ issue: 'CONTEXT_ISOLATION_JS_CHECK', severity: 'HIGH', file: 'main/index.js', location: '2760:16' });
    expect(findings[2]!.description).toBe('CSP says "review"');
    expect(() => parseFindings('not,a,report')).toThrow(/Electronegativity/);
  });

  it('lets through only the findings a reviewed entry names, so a new one fails the build', () => {
    const open = unreviewed(parseFindings(report), reviewed.reviewed);
    expect(open.map((finding) => finding.issue)).toEqual(['NODE_INTEGRATION_JS_CHECK']);
  });

  it('says why for every reviewed false positive', () => {
    for (const entry of reviewed.reviewed) expect(entry.why.length, `${entry.issue} ${entry.file}`).toBeGreaterThan(40);
  });
});
