import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPostgres } from '../../support/postgres-harness';
import { firstFolderClosedTo, foldersDownTo, postgresUser } from '../../support/postgres-user-reach';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.info('postgres-harness fail-fast tests skipped: they need root, the only case where Postgres runs as another user.');

const locked: string[] = [];
function lockedFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'kiosk-locked-'));
  chmodSync(folder, 0o700);
  locked.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of locked.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('the Postgres harness run as root', () => {
  it('rejects within 10 s naming the 0700 folder the postgres user cannot enter, with what to do', async () => {
    const parent = lockedFolder();
    const started = Date.now();
    const outcome = await startPostgres({ dataDir: join(parent, 'data') }).then(
      async (harness) => {
        await harness.stop();
        return undefined;
      },
      (error: Error) => error,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome!.message).toContain(`cannot enter ${parent}`);
    expect(outcome!.message).toContain(`chmod o+x ${parent}`);
    expect(outcome!.message).toContain('non-root user');
  }, 15_000);

  it('finds the folder that hides an executable from the postgres user, as a 0700 checkout hides initdb', () => {
    const parent = lockedFolder();
    mkdirSync(join(parent, 'node_modules', 'bin'), { recursive: true });
    copyFileSync('/bin/true', join(parent, 'node_modules', 'bin', 'initdb'));
    const user = postgresUser();
    expect(user).toBeDefined();
    expect(firstFolderClosedTo(user!, foldersDownTo(join(parent, 'node_modules', 'bin')))).toBe(parent);
    expect(firstFolderClosedTo(user!, foldersDownTo(tmpdir()))).toBeUndefined();
  });
});
