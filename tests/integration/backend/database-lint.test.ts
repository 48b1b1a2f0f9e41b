// Our own database lints on the migrated database (issue 11: Supabase's linter must report no security
// finding). Each check is a catalog query returning the offending objects; it must return none on our
// migrations, and each is also shown to catch a deliberately bad object in a rolled-back transaction,
// so no check passes merely because it looks at nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresHarness } from '../../support/postgres-harness';

/** The schema PostgREST serves (supabase/config.toml [api] schemas, Supabase's default when absent, less
 * graphql_public, which holds nothing of ours); `private` is reached only through functions. */
const exposed = ['public'];
/** Schemas our migrations own. */
const ours = ['public', 'private'];

/**
 * Security-definer functions the `authenticated` role may call, each with why it must run as owner.
 * A new one fails the test until it is added here, so granting a definer to clients is a decision.
 */
const definersForAuthenticated: Record<string, string> = {
  'private.start_interview': 'the status transition clients may not write directly; checks the caller is staff or the kiosk',
  'private.end_interview': 'the server decides completion from the stored transcript; clients cannot set status',
  'private.correct_transcript_entry': 'appends a correction row and links it, which clients cannot update themselves',
  'private.create_kiosk_enrolment_code': 'writes private.kiosk_enrolments, which no client may touch; admins of the tenant only',
  'private.interview_launch': "joins candidate, position and tenant settings a kiosk may not read row by row",
  'private.kiosk_sessions': "a kiosk's own interviews with only the names it shows, not the candidate rows",
};

interface Check {
  name: string;
  guards: string;
  /** Returns one `object` per offending catalog object. */
  sql: string;
  /** Creates one offender (in a transaction that is rolled back) and names it as `sql` would. */
  breakIt: { ddl: string; expect: string };
}

const checks: Check[] = [
  {
    name: 'every table in our schemas has row level security on',
    guards: 'a table the API roles can reach with no row filter at all (any grant exposes every tenant)',
    sql: `
      select format('%I.%I', n.nspname, c.relname) as object
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and c.relkind in ('r', 'p') and not c.relrowsecurity`,
    breakIt: { ddl: 'create table public.lint_probe (id int primary key)', expect: 'public.lint_probe' },
  },
  {
    name: 'every table with row level security states its policy',
    guards: 'deny-all by accident: RLS with no policy says nothing about who was meant to get in',
    sql: `
      select format('%I.%I', n.nspname, c.relname) as object
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and c.relkind in ('r', 'p') and c.relrowsecurity
        and not exists (select 1 from pg_policy p where p.polrelid = c.oid)`,
    breakIt: {
      ddl: 'create table private.lint_probe (id int primary key); alter table private.lint_probe enable row level security',
      expect: 'private.lint_probe',
    },
  },
  {
    name: 'no policy sits on a table whose row level security is off',
    guards: 'policies that read as protection but are ignored because RLS was never enabled (or was disabled)',
    sql: `
      select format('%I.%I', n.nspname, c.relname) as object
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and not c.relrowsecurity
      group by n.nspname, c.relname`,
    breakIt: { ddl: 'alter table public.recordings disable row level security', expect: 'public.recordings' },
  },
  {
    name: 'anon holds no privilege on any table or view of ours',
    guards: "an unauthenticated caller reading or writing through the API (RLS aside, a grant also lists the relation in pg_graphql's schema for anon)",
    sql: `
      select distinct format('%I.%I', n.nspname, c.relname) as object
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      cross join unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) as priv(name)
      where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')
        and (has_table_privilege('anon', c.oid, priv.name)
          or has_any_column_privilege('anon', c.oid, case when priv.name in ('select', 'insert', 'update', 'references') then priv.name else 'select' end))`,
    breakIt: { ddl: 'grant select (id) on public.tenants to anon', expect: 'public.tenants' },
  },
  {
    name: 'every view in an exposed schema runs as its caller (security_invoker)',
    guards: "a view running as its owner (postgres), which skips the underlying tables' RLS for every reader",
    sql: `
      select format('%I.%I', n.nspname, c.relname) as object
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($2) and c.relkind = 'v'
        and not exists (
          select 1 from pg_options_to_table(c.reloptions) o
          where o.option_name = 'security_invoker' and lower(o.option_value) in ('true', 'on', 'yes', '1')
        )`,
    breakIt: { ddl: 'create view public.lint_probe as select id from public.tenants', expect: 'public.lint_probe' },
  },
  {
    name: 'no materialized or foreign table in an exposed schema',
    guards: 'relations RLS cannot protect at all, served to the API roles',
    sql: `
      select format('%I.%I', n.nspname, c.relname) as object
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($2) and c.relkind in ('m', 'f')`,
    breakIt: { ddl: 'create materialized view public.lint_probe as select 1 as one', expect: 'public.lint_probe' },
  },
  {
    name: 'no view in an exposed schema reads auth.users',
    guards: "users' emails and metadata leaking through the API by way of a view",
    sql: `
      select distinct format('%I.%I', n.nspname, v.relname) as object
      from pg_rewrite r
      join pg_class v on v.oid = r.ev_class
      join pg_namespace n on n.oid = v.relnamespace
      join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
      where n.nspname = any($2) and v.relkind in ('v', 'm') and d.refobjid = 'auth.users'::regclass`,
    breakIt: {
      ddl: 'create view public.lint_probe with (security_invoker = true) as select id, email from auth.users',
      expect: 'public.lint_probe',
    },
  },
  {
    name: 'every function in our schemas pins its search_path',
    guards: 'a caller planting a same-named table or operator earlier on search_path to hijack the function (above all a security definer)',
    sql: `
      select p.oid::regprocedure::text as object
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any($1) and p.prokind in ('f', 'p')
        and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) s where s like 'search\\_path=%')
        and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`,
    breakIt: {
      ddl: 'create function private.lint_probe() returns int language sql security definer as $$ select 1 $$',
      expect: 'private.lint_probe()',
    },
  },
  {
    name: 'anon can execute no security-definer function',
    guards: 'an unauthenticated caller running code with the owner\'s rights (directly, or through PUBLIC\'s default execute grant)',
    sql: `
      select p.oid::regprocedure::text as object
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any($1) and p.prosecdef and has_function_privilege('anon', p.oid, 'execute')`,
    // No revoke: Postgres grants execute to PUBLIC by default, which is how this slips in.
    breakIt: {
      ddl: "create function private.lint_probe() returns int language sql security definer set search_path = '' as $$ select 1 $$",
      expect: 'private.lint_probe()',
    },
  },
  {
    name: 'authenticated can execute only the listed security-definer functions',
    guards: 'a definer reachable by every signed-in user (kiosks, candidates) that nobody decided to expose',
    sql: `
      select p.oid::regprocedure::text as object
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any($1) and p.prosecdef and has_function_privilege('authenticated', p.oid, 'execute')
        and not (format('%I.%I', n.nspname, p.proname) = any($3))`,
    breakIt: {
      ddl:
        "create function public.lint_probe() returns int language sql security definer set search_path = '' as $$ select 1 $$; " +
        'revoke all on function public.lint_probe() from public, anon; grant execute on function public.lint_probe() to authenticated',
      expect: 'lint_probe()',
    },
  },
  {
    name: 'no extension lives in an exposed schema',
    guards: "extension functions and types served over the API, and an extension's objects shadowing ours",
    sql: `
      select e.extname as object
      from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where n.nspname = any($2)`,
    breakIt: { ddl: 'create extension citext schema public', expect: 'citext' },
  },
  {
    name: 'no permissive policy lets the API roles write or delete everything',
    guards: 'USING (true) / WITH CHECK (true) (or none) on a write, which turns RLS off for that command',
    sql: `
      select format('%I.%I: %s', n.nspname, c.relname, p.polname) as object
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and p.polpermissive and p.polcmd in ('a', 'w', 'd', '*')
        and (p.polroles = '{0}' or exists (
          select 1 from unnest(p.polroles) r where r::regrole::text in ('anon', 'authenticated')))
        and (
          (p.polcmd <> 'a' and coalesce(pg_get_expr(p.polqual, p.polrelid), 'true') in ('true', '(true)'))
          or (p.polcmd in ('a', '*') and coalesce(pg_get_expr(p.polwithcheck, p.polrelid),
                case when p.polcmd = 'a' then 'true' else pg_get_expr(p.polqual, p.polrelid) end) in ('true', '(true)'))
        )`,
    breakIt: {
      ddl: 'create policy lint_probe on public.candidates for delete to authenticated using (true)',
      expect: 'public.candidates: lint_probe',
    },
  },
  {
    name: 'no policy trusts user-editable metadata',
    guards: 'authorising on user_metadata in the JWT, which any user can set on themselves',
    sql: `
      select format('%I.%I: %s', n.nspname, c.relname, p.polname) as object
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1)
        and concat(pg_get_expr(p.polqual, p.polrelid), ' ', pg_get_expr(p.polwithcheck, p.polrelid)) like '%user_metadata%'`,
    breakIt: {
      ddl: "create policy lint_probe on public.candidates for select to authenticated using ((auth.jwt() -> 'user_metadata' ->> 'tenant') = tenant_id::text)",
      expect: 'public.candidates: lint_probe',
    },
  },
  {
    name: 'policies read the JWT once per statement, not once per row',
    guards: 'auth.uid() / auth.jwt() / current_setting() re-evaluated on every row (a scan of a big table pays it per row); wrap them in (select …)',
    // The deparser prints a wrapped call as "( SELECT auth.uid() AS uid)"; any other occurrence is per row.
    sql: `
      select format('%I.%I: %s', n.nspname, c.relname, p.polname) as object
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      cross join lateral (
        select concat(pg_get_expr(p.polqual, p.polrelid), ' ', pg_get_expr(p.polwithcheck, p.polrelid)) as text
      ) e
      where n.nspname = any($1)
        and regexp_replace(e.text, '\\( SELECT (auth\\.(uid|jwt|role|email)\\(\\)|current_setting\\([^)]*\\))', '', 'g')
            ~ '(auth\\.(uid|jwt|role|email)\\(\\)|current_setting\\()'`,
    breakIt: {
      ddl: 'create policy lint_probe on public.candidates for select to authenticated using (id = auth.uid())',
      expect: 'public.candidates: lint_probe',
    },
  },
];

let db: PostgresHarness;

beforeAll(async () => {
  db = await startPostgres();
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

// The lists go in as array literals: a check uses only some of them, and Postgres refuses a bind
// parameter a statement never mentions.
const lists = [ours, exposed, Object.keys(definersForAuthenticated)];
const arrayLiteral = (items: string[]) => `array[${items.map((item) => `'${item.replace(/'/g, "''")}'`).join(', ')}]::text[]`;
const bind = (sql: string) => sql.replace(/\$(\d)/g, (_, n: string) => arrayLiteral(lists[Number(n) - 1]!));

describe('database lints on the migrated database', () => {
  it('the exposed schema list matches what the API serves', async () => {
    // If private were ever exposed, the view / extension checks above would have to cover it too.
    const { readFileSync } = await import('node:fs');
    const config = readFileSync('supabase/config.toml', 'utf8');
    const api = /\[api\][^[]*?\bschemas\s*=\s*\[([^\]]*)\]/s.exec(config);
    const served = api ? [...api[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]) : ['public', 'graphql_public'];
    expect(served.filter((schema) => schema !== 'graphql_public')).toEqual(exposed);
  });

  for (const check of checks) {
    describe(check.name, () => {
      it(`finds nothing (guards against ${check.guards})`, async () => {
        const rows = await db.sql<{ object: string }>(bind(check.sql));
        expect(rows.map((row) => row.object)).toEqual([]);
      });

      it('catches a deliberately bad object', async () => {
        const client = await db.pool.connect();
        try {
          await client.query('begin');
          await client.query(check.breakIt.ddl);
          const { rows } = await client.query<{ object: string }>(bind(check.sql));
          expect(rows.map((row) => row.object)).toEqual([check.breakIt.expect]);
        } finally {
          await client.query('rollback');
          client.release();
        }
      });
    });
  }

  it('every listed definer still exists and is still a definer authenticated can call', async () => {
    // A stale entry would let a future function of that name through unreviewed.
    const rows = await db.sql<{ name: string }>(
      `select format('%I.%I', n.nspname, p.proname) as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and has_function_privilege('authenticated', p.oid, 'execute')
         and format('%I.%I', n.nspname, p.proname) = any($1)`,
      [Object.keys(definersForAuthenticated)],
    );
    expect(rows.map((row) => row.name).sort()).toEqual(Object.keys(definersForAuthenticated).sort());
  });

  it('clients cannot reach private.kiosk_enrolments even with a table grant and a permissive policy', async () => {
    // The restrictive deny-all policy is what stops a future grant plus policy from exposing the code
    // hashes; without it the permissive policy below would hand the row over.
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query("insert into auth.users (id, email) values ('00000000-0000-4000-8000-0000000000e1', 'lint@example.test')");
      await client.query(
        `insert into public.tenants (id, name, proxy_url) values ('00000000-0000-4000-8000-0000000000e2', 'Lint', 'wss://x.example');
         insert into public.kiosks (id, tenant_id, name) values ('00000000-0000-4000-8000-0000000000e3', '00000000-0000-4000-8000-0000000000e2', 'K');
         insert into private.kiosk_enrolments (kiosk_id, tenant_id, code_hash, expires_at)
           values ('00000000-0000-4000-8000-0000000000e3', '00000000-0000-4000-8000-0000000000e2', sha256('code'), now() + interval '1 hour')`,
      );
      await client.query('grant select on private.kiosk_enrolments to authenticated');
      await client.query('create policy lint_probe on private.kiosk_enrolments for select to authenticated using (true)');
      await client.query('set local role authenticated');
      await client.query(`select set_config('request.jwt.claims', '{"sub":"00000000-0000-4000-8000-0000000000e1","role":"authenticated"}', true)`);
      const { rows } = await client.query('select id from private.kiosk_enrolments');
      expect(rows).toEqual([]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
