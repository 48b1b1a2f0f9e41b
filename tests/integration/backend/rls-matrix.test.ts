// Row-level security against real Postgres: every table × every kind of caller × select / insert /
// update / delete, each case in its own rolled-back transaction as that caller.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresHarness } from '../../support/postgres-harness';
import { people } from './backend-test-kit';

const tenantA = '00000000-0000-4000-8000-000000000001';
const tenantB = '00000000-0000-4000-8000-000000000002';
const sessionA = '00000000-0000-4000-8000-000000000501'; // Ada's, made in_progress below
const scheduledSessionA = '00000000-0000-4000-8000-000000000502'; // Grace's, stays scheduled
const sessionB = '00000000-0000-4000-8000-000000000505';
const entryA = randomUUID();
const eventA = randomUUID();
const recordingA = randomUUID();
// Rows nothing refers to, so an allowed delete can succeed.
const spareKioskA = randomUUID();
const sparePositionA = randomUUID();
const spareCandidateA = randomUUID();
const jobA = randomUUID();
const assessmentA = randomUUID();
const processingTables = ['processing_jobs', 'interview_reports', 'interview_running_figures', 'interview_assessments'];

const actors = { anon: null, ...people } as const;
type Actor = keyof typeof actors;
type Operation = 'select' | 'insert' | 'update' | 'delete';

interface TableCase {
  table: string;
  /** Identifies the tenant-A row that select / update / delete aim at. */
  where: string;
  /** Where delete aims when the `where` row is referenced by others. */
  deleteWhere?: string;
  /** A harmless assignment for the update probe. */
  touch: string;
  insert: () => string;
  allowed: Record<Operation, Actor[]>;
}

const staff: Actor[] = ['adminA', 'proctorA'];
// sessionA runs on kiosk A; kiosk A2 (same tenant) and kiosk B (other tenant) must reach none of it.
const staffAndItsKiosk: Actor[] = [...staff, 'kioskA'];

const tables: TableCase[] = [
  {
    table: 'tenants',
    where: `id = '${tenantA}'`,
    touch: 'name = name',
    insert: () => `insert into public.tenants (id, name, proxy_url) values ('${randomUUID()}', 'New', 'wss://x.example')`,
    allowed: { select: staff, insert: [], update: ['adminA'], delete: [] },
  },
  {
    table: 'tenant_users',
    where: `tenant_id = '${tenantA}' and user_id = '${actors.proctorA.sub}'`,
    touch: 'role = role',
    // A candidate trying to make themselves staff.
    insert: () => `insert into public.tenant_users (tenant_id, user_id, role) values ('${tenantA}', '${actors.candidateA.sub}', 'admin')`,
    allowed: { select: ['proctorA'], insert: [], update: [], delete: [] },
  },
  {
    table: 'kiosks',
    where: `id = '${spareKioskA}'`,
    touch: 'name = name',
    insert: () => `insert into public.kiosks (id, tenant_id, name) values ('${randomUUID()}', '${tenantA}', 'Kiosk 2')`,
    allowed: { select: staff, insert: ['adminA'], update: ['adminA'], delete: ['adminA'] },
  },
  {
    table: 'positions',
    where: `id = '${sparePositionA}'`,
    touch: 'title = title',
    insert: () => `insert into public.positions (id, tenant_id, title) values ('${randomUUID()}', '${tenantA}', 'Designer')`,
    allowed: { select: staff, insert: ['adminA'], update: ['adminA'], delete: ['adminA'] },
  },
  {
    table: 'candidates',
    where: `id = '00000000-0000-4000-8000-000000000401'`,
    deleteWhere: `id = '${spareCandidateA}'`,
    touch: 'name = name',
    insert: () =>
      `insert into public.candidates (id, tenant_id, name, email) values ('${randomUUID()}', '${tenantA}', 'New', '${randomUUID()}@candidates.example')`,
    allowed: { select: [...staff, 'candidateA'], insert: staff, update: staff, delete: staff },
  },
  {
    table: 'interview_sessions',
    where: `id = '${sessionA}'`,
    touch: 'webrtc_status = webrtc_status',
    insert: () =>
      `insert into public.interview_sessions (id, tenant_id, candidate_id, position_id, scheduled_at)
       values ('${randomUUID()}', '${tenantA}', '00000000-0000-4000-8000-000000000401', '00000000-0000-4000-8000-000000000301', now())`,
    allowed: { select: [...staffAndItsKiosk, 'candidateA'], insert: staff, update: staffAndItsKiosk, delete: ['adminA'] },
  },
  {
    table: 'transcript_entries',
    where: `id = '${entryA}'`,
    touch: 'text = text',
    insert: () =>
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ('${randomUUID()}', '${sessionA}', '${tenantA}', 7, 'candidate', 'hello', now())`,
    allowed: { select: [...staffAndItsKiosk, 'candidateA'], insert: staffAndItsKiosk, update: [], delete: [] },
  },
  {
    table: 'session_events',
    where: `id = '${eventA}'`,
    touch: 'data = data',
    insert: () =>
      `insert into public.session_events (id, interview_session_id, tenant_id, kind, at)
       values ('${randomUUID()}', '${sessionA}', '${tenantA}', 'telemetry', now())`,
    allowed: { select: staffAndItsKiosk, insert: staffAndItsKiosk, update: [], delete: [] },
  },
  {
    table: 'recordings',
    where: `id = '${recordingA}'`,
    touch: 'bytes = bytes',
    insert: () =>
      `insert into public.recordings (id, interview_session_id, tenant_id, provider, video_id, bytes, duration_ms)
       values ('${randomUUID()}', '${sessionA}', '${tenantA}', 'api.video', 'vi-new', 1, 1)`,
    allowed: { select: staffAndItsKiosk, insert: staffAndItsKiosk, update: staffAndItsKiosk, delete: [] },
  },
  // Processing (issue 14): read by the tenant's reviewers and admins (running figures also by its
  // proctors), written by no client — only the worker (service_role) and the database's own triggers.
  {
    table: 'processing_jobs',
    where: `id = '${jobA}'`,
    touch: 'attempts = attempts',
    insert: () => `insert into public.processing_jobs (tenant_id, interview_id, kind) values ('${tenantA}', '${scheduledSessionA}', 'report')`,
    allowed: { select: ['adminA', 'reviewerA'], insert: [], update: [], delete: [] },
  },
  {
    table: 'interview_reports',
    where: `interview_id = '${sessionA}'`,
    touch: 'analytics = analytics',
    insert: () => `insert into public.interview_reports (interview_id, tenant_id, analytics, report_version) values ('${scheduledSessionA}', '${tenantA}', '{}', 1)`,
    allowed: { select: ['adminA', 'reviewerA'], insert: [], update: [], delete: [] },
  },
  {
    table: 'interview_running_figures',
    where: `interview_id = '${sessionA}'`,
    touch: 'entries = entries',
    insert: () => `insert into public.interview_running_figures (interview_id, tenant_id) values ('${scheduledSessionA}', '${tenantA}')`,
    allowed: { select: ['adminA', 'proctorA', 'reviewerA'], insert: [], update: [], delete: [] },
  },
  {
    table: 'interview_assessments',
    where: `id = '${assessmentA}'`,
    touch: 'result = result',
    insert: () =>
      `insert into public.interview_assessments (interview_id, tenant_id, status, model, prompt_version, rubric_version, result)
       values ('${scheduledSessionA}', '${tenantA}', 'suggested', 'm', 'p', 'r', '{"competencies":[]}')`,
    allowed: { select: ['adminA', 'reviewerA'], insert: [], update: [], delete: [] },
  },
];

let db: PostgresHarness;

interface Outcome {
  rows: number;
  errorCode?: string;
}

/** Runs one statement as the actor inside a transaction that is always rolled back. */
async function runAs(actor: Actor, statement: string, params: unknown[] = []): Promise<Outcome> {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    const who = actors[actor];
    const claims = who ? { sub: who.sub, email: who.email, role: 'authenticated', aud: 'authenticated' } : { role: 'anon' };
    await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
      who ? 'authenticated' : 'anon',
      JSON.stringify(claims),
    ]);
    const result = await client.query(statement, params);
    return { rows: result.rowCount ?? 0 };
  } catch (error) {
    return { rows: 0, errorCode: (error as { code?: string }).code ?? 'unknown' };
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

function probe(operation: Operation, tableCase: TableCase): string {
  const { table, where, touch } = tableCase;
  switch (operation) {
    case 'select':
      return `select 1 from public.${table} where ${where}`;
    case 'insert':
      return tableCase.insert();
    case 'update':
      return `update public.${table} set ${touch} where ${where}`;
    case 'delete':
      return `delete from public.${table} where ${tableCase.deleteWhere ?? where}`;
  }
}

beforeAll(async () => {
  db = await startPostgres({ seed: true });
  await db.sql(`insert into public.kiosks (id, tenant_id, name) values ($1, $2, 'Spare kiosk')`, [spareKioskA, tenantA]);
  await db.sql(`insert into public.positions (id, tenant_id, title) values ($1, $2, 'Spare position')`, [sparePositionA, tenantA]);
  await db.sql(`insert into public.candidates (id, tenant_id, name, email) values ($1, $2, 'Spare', 'spare@candidates.example')`, [
    spareCandidateA,
    tenantA,
  ]);
  await db.sql(`update public.interview_sessions set status = 'in_progress', started_at = now() where id in ($1, $2)`, [sessionA, sessionB]);
  await db.sql(
    `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
     values ($1, $2, $3, 0, 'interviewer', 'Welcome, Ada.', now())`,
    [entryA, sessionA, tenantA],
  );
  await db.sql(`insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data) values ($1, $2, $3, 'lockdown', now(), '{"event":"focus_lost"}')`, [
    eventA,
    sessionA,
    tenantA,
  ]);
  await db.sql(
    `insert into public.recordings (id, interview_session_id, tenant_id, provider, video_id, bytes, duration_ms) values ($1, $2, $3, 'api.video', 'vi-a', 10, 10)`,
    [recordingA, sessionA, tenantA],
  );

  // One row of each processing table per tenant (the entry above already gave sessionA running figures).
  for (const [session, tenant, job, assessment] of [
    [sessionA, tenantA, jobA, assessmentA],
    [sessionB, tenantB, randomUUID(), randomUUID()],
  ] as const) {
    await db.sql(`insert into public.processing_jobs (id, tenant_id, interview_id, kind) values ($1, $2, $3, 'report')`, [job, tenant, session]);
    await db.sql(`insert into public.interview_reports (interview_id, tenant_id, analytics, report_version) values ($1, $2, '{"turns":{}}', 1)`, [session, tenant]);
    await db.sql(
      `insert into public.interview_running_figures (interview_id, tenant_id) values ($1, $2) on conflict (interview_id) do nothing`,
      [session, tenant],
    );
    await db.sql(
      `insert into public.interview_assessments (id, interview_id, tenant_id, status, model, prompt_version, rubric_version, result)
       values ($1, $2, $3, 'suggested', 'm', 'p', 'r', '{"competencies":[]}')`,
      [assessment, session, tenant],
    );
  }
});

afterAll(async () => {
  await db?.stop();
});

const matrix = tables.flatMap((tableCase) =>
  (Object.keys(actors) as Actor[]).flatMap((actor) =>
    (['select', 'insert', 'update', 'delete'] as Operation[]).map((operation) => ({
      tableCase,
      actor,
      operation,
      allowed: tableCase.allowed[operation].includes(actor),
    })),
  ),
);

describe('row-level security matrix', () => {
  it.each(matrix.map((c) => [`${c.tableCase.table}: ${c.actor} ${c.operation} is ${c.allowed ? 'allowed' : 'denied'}`, c] as const))(
    '%s',
    async (_name, { tableCase, actor, operation, allowed }) => {
      const outcome = await runAs(actor, probe(operation, tableCase));
      if (allowed) {
        expect(outcome.errorCode).toBeUndefined();
        expect(outcome.rows).toBe(1);
      } else if (operation === 'insert') {
        // A refused insert must fail outright, never be silently accepted.
        expect(outcome.errorCode).toBe('42501');
      } else {
        expect(outcome.rows).toBe(0);
        if (outcome.errorCode) expect(outcome.errorCode).toBe('42501');
      }
    },
  );
});

describe('cross-tenant and state rules', () => {
  it('refuses a tenant-B entry that reuses a tenant-A entry id, and leaves the A entry untouched', async () => {
    const collide = await runAs(
      'proctorB',
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, 0, 'candidate', 'overwrite?', now())`,
      [entryA, sessionB, tenantB],
    );
    expect(collide.errorCode).toBe('23505');
    const upsert = await runAs(
      'proctorB',
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, 0, 'candidate', 'overwrite?', now())
       on conflict (id) do update set text = excluded.text`,
      [entryA, sessionB, tenantB],
    );
    expect(upsert.errorCode).toBe('42501');
    const silent = await runAs('proctorB', `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, 0, 'candidate', 'x', now()) on conflict do nothing`, [entryA, sessionB, tenantB]);
    expect(silent).toEqual({ rows: 0 });
    const [row] = await db.sql<{ text: string; tenant_id: string }>('select text, tenant_id from public.transcript_entries where id = $1', [entryA]);
    expect(row).toEqual({ text: 'Welcome, Ada.', tenant_id: tenantA });
  });

  it('keeps tenant B from filing rows under a tenant-A session or candidate', async () => {
    const underASession = await runAs(
      'proctorB',
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, 50, 'candidate', 'x', now())`,
      [randomUUID(), sessionA, tenantB],
    );
    expect(['23503', '42501']).toContain(underASession.errorCode);
    const claimingA = await runAs(
      'proctorB',
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, 50, 'candidate', 'x', now())`,
      [randomUUID(), sessionA, tenantA],
    );
    expect(claimingA.errorCode).toBe('42501');
    const borrowedCandidate = await runAs(
      'proctorB',
      `insert into public.interview_sessions (tenant_id, candidate_id, position_id, scheduled_at)
       values ($1, '00000000-0000-4000-8000-000000000401', '00000000-0000-4000-8000-000000000303', now())`,
      [tenantB],
    );
    expect(borrowedCandidate.errorCode).toBe('23503');
  });

  it('accepts transcript entries only while the session is in progress', async () => {
    const scheduled = await runAs(
      'kioskA',
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, 0, 'candidate', 'too early', now())`,
      [randomUUID(), scheduledSessionA, tenantA],
    );
    expect(scheduled.errorCode).toBe('42501');
    const running = await runAs(
      'kioskA',
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, 1, 'candidate', 'on time', now())`,
      [randomUUID(), sessionA, tenantA],
    );
    expect(running).toEqual({ rows: 1 });
  });

  it('shows a candidate only their own sessions and transcript', async () => {
    const sessions = await runAs('candidateA', 'select id from public.interview_sessions');
    expect(sessions.rows).toBe(2); // Ada's today and yesterday; none of Grace's or tenant B's
    const grace = await runAs('candidateA', 'select 1 from public.transcript_entries e join public.interview_sessions s on s.id = e.interview_session_id where s.candidate_id <> $1', [
      '00000000-0000-4000-8000-000000000401',
    ]);
    expect(grace.rows).toBe(0);
  });

  it('leaves no client a way to rewrite a stored entry: no update privilege on any column, for any role', async () => {
    const [grants] = await db.sql<{ table_update: boolean; column_update: boolean; anon_update: boolean }>(
      `select has_table_privilege('authenticated', 'public.transcript_entries', 'update') as table_update,
              has_any_column_privilege('authenticated', 'public.transcript_entries', 'update') as column_update,
              has_any_column_privilege('anon', 'public.transcript_entries', 'update') as anon_update`,
    );
    expect(grants).toEqual({ table_update: false, column_update: false, anon_update: false });
    for (const actor of ['kioskA', 'proctorA', 'adminA'] as const) {
      const rewrite = await runAs(actor, `update public.transcript_entries set text = 'rewritten', status = 'final' where id = $1`, [entryA]);
      expect(rewrite.errorCode, actor).toBe('42501');
      const audit = await runAs(actor, `update public.transcript_entries set corrected_by = $2, corrected_at = now() where id = $1`, [entryA, randomUUID()]);
      expect(audit.errorCode, actor).toBe('42501');
    }
  });

  it('keeps the transcript_correction event kind to the server', async () => {
    for (const actor of ['kioskA', 'proctorA', 'adminA'] as const) {
      const forged = await runAs(
        actor,
        `insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data)
         values ($1, $2, $3, 'transcript_correction', now(), '{"seq":0,"text":"forged"}')`,
        [randomUUID(), sessionA, tenantA],
      );
      expect(forged.errorCode, actor).toBe('42501');
    }
    // The same insert with an ordinary kind passes, so the refusal above is about the kind.
    const ordinary = await runAs('kioskA', `insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data) values ($1, $2, $3, 'telemetry', now(), '{}')`, [
      randomUUID(),
      sessionA,
      tenantA,
    ]);
    expect(ordinary).toEqual({ rows: 1 });
  });

  it('keeps the correction function out of reach of anon and of other tenants', async () => {
    const args = [sessionA, randomUUID(), entryA, 0, 'interviewer', 'x', null];
    const call = 'select private.correct_transcript_entry($1, $2, $3, $4, $5, $6, $7)';
    expect((await runAs('anon', call, args)).errorCode).toBe('42501');
    expect((await runAs('proctorB', call, args)).errorCode).toBe('42501');
    expect((await runAs('candidateA', call, args)).errorCode).toBe('42501');
  });

  it('keeps the session event log append-only, even for the table owner', async () => {
    await expect(db.sql(`update public.session_events set data = '{}' where id = $1`, [eventA])).rejects.toMatchObject({ code: '42501' });
  });
});

describe('processing results', () => {
  it("shows each tenant's reviewers and admins their own tenant's rows only, and kiosks and candidates none", async () => {
    const seen = async (actor: Actor) => {
      const counts: Record<string, number> = {};
      // The seeded finished interview has running figures too (its entries made them): only these two count.
      for (const table of processingTables) {
        counts[table] = (await runAs(actor, `select 1 from public.${table} where interview_id in ($1, $2)`, [sessionA, sessionB])).rows;
      }
      return counts;
    };
    const one = Object.fromEntries(processingTables.map((t) => [t, 1]));
    const none = Object.fromEntries(processingTables.map((t) => [t, 0]));
    expect(await seen('reviewerA')).toEqual(one);
    expect(await seen('reviewerB')).toEqual(one);
    expect(await seen('adminA')).toEqual(one);
    expect(await seen('proctorA')).toEqual({ ...none, interview_running_figures: 1 });
    expect(await seen('proctorB')).toEqual({ ...none, interview_running_figures: 1 });
    for (const actor of ['kioskA', 'kioskA2', 'kioskB', 'candidateA', 'anon'] as const) expect(await seen(actor), actor).toEqual(none);
    const reviewerBSees = await runAs('reviewerB', 'select 1 from public.interview_reports where tenant_id = $1', [tenantA]);
    expect(reviewerBSees.rows).toBe(0);
  });

  it('keeps the worker functions out of reach of every client role', async () => {
    for (const actor of ['anon', 'reviewerA', 'adminA', 'kioskA'] as const) {
      expect((await runAs(actor, "select * from private.claim_processing_job(interval '1 second')")).errorCode, actor).toBe('42501');
      expect((await runAs(actor, "select private.settle_processing_job($1, $2, 'done', null, null)", [jobA, randomUUID()])).errorCode, actor).toBe('42501');
      expect((await runAs(actor, 'select * from private.turn_timeline($1)', [sessionA])).errorCode, actor).toBe('42501');
    }
  });
});

describe('kiosk identities', () => {
  it('shows a kiosk nothing but its own kiosk row, its membership and the interview running on it', async () => {
    const everything = ['tenants', 'tenant_users', 'kiosks', 'positions', 'candidates', 'interview_sessions', 'transcript_entries', 'session_events', 'recordings', ...processingTables];
    const nothing = Object.fromEntries(everything.map((t) => [t, 0]));
    // Kiosk B runs tenant B's sessionB (set in progress above); kiosk A2 runs nothing.
    const expected = { kioskA2: { ...nothing, tenant_users: 1, kiosks: 1 }, kioskB: { ...nothing, tenant_users: 1, kiosks: 1, interview_sessions: 1 } };
    for (const actor of ['kioskA2', 'kioskB'] as const) {
      const seen: Record<string, number> = {};
      for (const table of everything) seen[table] = (await runAs(actor, `select 1 from public.${table}`)).rows;
      expect(seen, actor).toEqual(expected[actor]);
    }
  });

  it("keeps one device identity per kiosk row, so no identity speaks for two kiosks", async () => {
    const shared = await runAs(
      'adminA',
      `update public.kiosks set device_user_id = $1 where id = $2`,
      [actors.kioskA.sub, spareKioskA],
    );
    expect(shared.errorCode).toBe('23505');
  });
});

describe('policy hygiene', () => {
  it('has RLS on every public table and no privilege for anon', async () => {
    const rows = await db.sql<{ relname: string; rls: boolean; anon: boolean }>(
      `select c.relname, c.relrowsecurity as rls,
              has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references, trigger') as anon
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' order by 1`,
    );
    expect(rows.map((r) => r.relname)).toEqual(tables.map((t) => t.table).sort());
    for (const row of rows) expect(row, row.relname).toMatchObject({ rls: true, anon: false });
  });

  it('targets every policy at authenticated and reads the caller once per statement', async () => {
    const policies = await db.sql<{ tablename: string; policyname: string; roles: string[]; qual: string | null; with_check: string | null }>(
      `select tablename, policyname, roles::text[] as roles, qual, with_check from pg_policies where schemaname = 'public'`,
    );
    expect(policies.length).toBeGreaterThan(20);
    for (const policy of policies) {
      expect(policy.roles, policy.policyname).toEqual(['authenticated']);
      const text = `${policy.qual ?? ''} ${policy.with_check ?? ''}`;
      expect(text, policy.policyname).toMatch(/\( SELECT auth\.(uid|email)\(\) AS (uid|email)\)/);
      expect(text.replace(/\( SELECT auth\.(uid|email)\(\) AS (uid|email)\)/g, ''), policy.policyname).not.toMatch(/auth\.(uid|email)\(\)/);
    }
  });

  it('indexes every column the policies filter on', async () => {
    const indexed = await db.sql<{ table: string; column: string }>(
      `select t.relname as table, a.attname as column
       from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
       join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
       where n.nspname = 'public'`,
    );
    const leading = new Set(indexed.map((row) => `${row.table}.${row.column}`));
    const needed = [
      'tenant_users.user_id', 'tenants.id', 'kiosks.tenant_id', 'positions.tenant_id', 'candidates.tenant_id', 'candidates.email',
      'interview_sessions.tenant_id', 'interview_sessions.candidate_id', 'interview_sessions.id', 'transcript_entries.tenant_id',
      'transcript_entries.interview_session_id', 'session_events.tenant_id', 'recordings.tenant_id',
      'kiosks.device_user_id', 'interview_sessions.kiosk_id',
      ...processingTables.map((table) => `${table}.tenant_id`),
    ];
    for (const column of needed) expect(leading.has(column), column).toBe(true);
  });
});
