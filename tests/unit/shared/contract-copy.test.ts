// The edge functions deploy on their own and use a generated copy of the shared contract: this test is
// what keeps the copy and its source one contract.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractSource, copyDrift, expectedCopy } from '../../../scripts/contract-copy';

describe("the functions' copy of the shared contract", () => {
  it('is what `npm run contract:copy` writes from src/shared/contract', () => {
    expect(copyDrift()).toEqual([]);
  });

  it('imports zod at the version the kiosk pins, and its own files with the extension Deno needs', () => {
    const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies.zod;
    for (const [name, text] of expectedCopy()) {
      expect(text, name).not.toMatch(/from '(zod|\.\/[^']*[^s])'/);
      if (/import .* from 'npm:zod/.test(text) || text.includes("'zod'")) expect(text, name).toContain(`from 'npm:zod@${pinned}'`);
    }
  });

  it('reports an edited, a missing and an extra file of the copy', () => {
    const copy = mkdtempSync(join(tmpdir(), 'contract-copy-'));
    try {
      const files = [...expectedCopy()];
      for (const [name, text] of files) writeFileSync(join(copy, name), text);
      expect(copyDrift(contractSource, copy)).toEqual([]);
      const [edited] = files[0]!;
      const [removed] = files[1]!;
      writeFileSync(join(copy, edited), files[0]![1].replace('GENERATED', 'Edited by hand'));
      rmSync(join(copy, removed));
      writeFileSync(join(copy, 'stray.ts'), 'export const stray = 1;\n');
      expect(copyDrift(contractSource, copy).sort()).toEqual([`${edited}: differs from its source`, `${removed}: missing`, 'stray.ts: has no source'].sort());
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
