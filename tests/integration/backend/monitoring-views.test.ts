// The deployer's views over the seeded database: interviews stuck in progress past their allowed length,
// and interviews with holes in their transcript, each seen per tenant through RLS.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresHarness } from '../../support/postgres-harness';
import { ids, people, sqlAs } from './backend-test-kit';

const customerSupport = '00000000-0000-4000-8000-000000000302'; // no length of its own: the centre's 30 min

let db: PostgresHarness;

/** An interview of tenant A (Backend Engineer, 20 min) or B (Data Analyst, centre's 45 min). */
async function interview(options: {
  tenant?: 'A' | 'B';
  position?: string;
  status: string;
  startedMinutesAgo?: number;
  lastSeq?: number | null;
  seqs?: number[];
}): Promise<string> {
  const id = randomUUID();
  const inB = options.tenant === 'B';
  const tenant = inB ? ids.tenantB : ids.tenantA;
  await db.sql(
    `insert into public.interview_sessions (id, tenant_id, candidate_id, position_id, scheduled_at, status, started_at, ended_at, last_seq)
     values ($1, $2, $3, $4, now() - interval '3 hours', $5,
             now() - make_interval(mins => $6::integer),
             case when $5 in ('completed', 'failed') then now() end, $7)`,
    [
      id,
      tenant,
      inB ? ids.linus : ids.ada,
      options.position ?? (inB ? ids.dataAnalyst : ids.backendEngineer),
      options.status,
      options.startedMinutesAgo ?? 5,
      options.lastSeq ?? null,
    ],
  );
  for (const seq of options.seqs ?? []) {
    await db.sql(
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, $4, 'candidate', 'an answer', now())`,
      [randomUUID(), id, tenant, seq],
    );
  }
  return id;
}

const range = (count: number) => Array.from({ length: count }, (_, seq) => seq);

const arranged: Record<string, string> = {};

beforeAll(async () => {
  db = await startPostgres({ seed: true });
  // Stuck: in progress longer than the allowed length + 15 minutes of grace.
  arranged.stuckEngineer = await interview({ status: 'in_progress', startedMinutesAgo: 40 }); // 20 + 15 < 40
  arranged.stuckSupport = await interview({ status: 'in_progress', position: customerSupport, startedMinutesAgo: 50 }); // 30 + 15 < 50
  arranged.stuckB = await interview({ tenant: 'B', status: 'in_progress', startedMinutesAgo: 120 }); // 45 + 15 < 120
  // Not stuck: still inside the grace, or long but finished.
  arranged.inGraceEngineer = await interview({ status: 'in_progress', startedMinutesAgo: 30 }); // 20 + 15 > 30
  arranged.inGraceSupport = await interview({ status: 'in_progress', position: customerSupport, startedMinutesAgo: 40 }); // 30 + 15 > 40
  arranged.longButDone = await interview({ status: 'completed', startedMinutesAgo: 300, lastSeq: -1 });

  // Gaps, counted from 0 up to the larger of the highest stored seq and the declared last seq.
  arranged.holeRunning = await interview({ status: 'in_progress', seqs: [0, 1, 3] });
  arranged.tailMissing = await interview({ status: 'completed', lastSeq: 4, seqs: [0, 1, 2] });
  arranged.nothingArrived = await interview({ status: 'failed', lastSeq: 2 });
  arranged.manyMissing = await interview({ status: 'completed', lastSeq: 300 }); // 301 missing, list capped
  arranged.holeB = await interview({ tenant: 'B', status: 'in_progress', seqs: [1] });
  arranged.complete = await interview({ status: 'completed', lastSeq: 2, seqs: [0, 1, 2] });
  arranged.completeRunning = await interview({ status: 'in_progress', seqs: range(5) });
  arranged.emptyEnded = await interview({ status: 'completed', lastSeq: -1 });
  // A scheduled interview never counts, even with a declared last seq left over.
  arranged.scheduled = await interview({ status: 'scheduled', lastSeq: 3 });
});

afterAll(async () => {
  await db?.stop();
});

const names = (rows: Array<{ interview_session_id: string }>) => {
  const byId = new Map(Object.entries(arranged).map(([name, id]) => [id, name]));
  return rows.map((row) => byId.get(row.interview_session_id) ?? `seeded:${row.interview_session_id}`).sort();
};

async function seenBy(who: (typeof people)[keyof typeof people], query: string) {
  const outcome = await sqlAs<{ interview_session_id: string }>(db.dbUrl, who, query);
  expect(outcome.errorCode).toBeUndefined();
  return outcome.rows;
}

describe('stuck_interview_sessions', () => {
  it('lists in-progress interviews past their length (position capped by the centre) plus the grace, and nothing else', async () => {
    const rows = await db.sql<{ interview_session_id: string; max_duration_minutes: number; tenant_name: string; over_time_minutes: number }>(
      `select interview_session_id, max_duration_minutes, tenant_name,
              round(extract(epoch from over_time) / 60)::int as over_time_minutes
       from public.stuck_interview_sessions order by interview_session_id`,
    );
    expect(names(rows)).toEqual(['stuckB', 'stuckEngineer', 'stuckSupport']);
    const byName = Object.fromEntries(rows.map((row) => [names([row])[0], row]));
    expect(byName.stuckEngineer).toMatchObject({ max_duration_minutes: 20, over_time_minutes: 20, tenant_name: 'Demo Assessment Centre' });
    expect(byName.stuckSupport).toMatchObject({ max_duration_minutes: 30, over_time_minutes: 20 });
    expect(byName.stuckB).toMatchObject({ max_duration_minutes: 45, over_time_minutes: 75, tenant_name: 'Other Centre' });
  });

  it("shows each tenant's staff only their own stuck interviews, and kiosks, candidates and anon nothing", async () => {
    const query = 'select interview_session_id from public.stuck_interview_sessions';
    expect(names(await seenBy(people.proctorA, query))).toEqual(['stuckEngineer', 'stuckSupport']);
    // Monitoring is staff's: a kiosk reads no tenant or position row, so the views show it nothing.
    expect(names(await seenBy(people.kioskA, query))).toEqual([]);
    expect(names(await seenBy(people.proctorB, query))).toEqual(['stuckB']);
    expect(await sqlAs(db.dbUrl, people.candidateA, query)).toEqual({ rows: [], rowCount: 0 });
    expect((await sqlAs(db.dbUrl, null, query)).errorCode).toBe('42501');
  });
});

describe('interview_transcript_gaps', () => {
  it('lists every started interview with a missing seq, how many are missing and which come first', async () => {
    const rows = await db.sql<{ interview_session_id: string; missing_count: number; first_missing_seqs: number[]; expected_last_seq: number; stored: number }>(
      'select interview_session_id, missing_count, first_missing_seqs, expected_last_seq, stored from public.interview_transcript_gaps',
    );
    // The seeded history (yesterday's interview, seqs 0 and 1 with last seq 1) is whole, so nothing seeded shows.
    expect(names(rows)).toEqual(['holeB', 'holeRunning', 'manyMissing', 'nothingArrived', 'tailMissing']);
    const byName = Object.fromEntries(rows.map((row) => [names([row])[0], row]));
    expect(byName.holeRunning).toMatchObject({ missing_count: 1, first_missing_seqs: [2], expected_last_seq: 3, stored: 3 });
    expect(byName.tailMissing).toMatchObject({ missing_count: 2, first_missing_seqs: [3, 4], expected_last_seq: 4 });
    expect(byName.nothingArrived).toMatchObject({ missing_count: 3, first_missing_seqs: [0, 1, 2], stored: 0 });
    expect(byName.holeB).toMatchObject({ missing_count: 1, first_missing_seqs: [0] });
    expect(byName.manyMissing!.missing_count).toBe(301);
    expect(byName.manyMissing!.first_missing_seqs).toEqual(range(100));
  });

  it('agrees with what interview-end would refuse: a hole filled later disappears from the view', async () => {
    const id = await interview({ status: 'in_progress', seqs: [0, 2] });
    const query = 'select missing_count from public.interview_transcript_gaps where interview_session_id = $1';
    expect(await db.sql(query, [id])).toEqual([{ missing_count: 1 }]);
    await db.sql(
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp")
       values ($1, $2, $3, 1, 'interviewer', 'late but here', now())`,
      [randomUUID(), id, ids.tenantA],
    );
    expect(await db.sql(query, [id])).toEqual([]);
  });

  it("shows each tenant's staff only their own gaps, and kiosks, candidates and anon nothing", async () => {
    const query = 'select interview_session_id from public.interview_transcript_gaps';
    const tenantA = ['holeRunning', 'manyMissing', 'nothingArrived', 'tailMissing'];
    expect(names(await seenBy(people.adminA, query))).toEqual(tenantA);
    expect(names(await seenBy(people.kioskA, query))).toEqual([]);
    expect(names(await seenBy(people.proctorB, query))).toEqual(['holeB']);
    // Ada is the candidate of tenant A's arranged interviews; she still sees no monitoring.
    expect(await sqlAs(db.dbUrl, people.candidateA, query)).toEqual({ rows: [], rowCount: 0 });
    expect((await sqlAs(db.dbUrl, null, query)).errorCode).toBe('42501');
  });

  it('runs as the caller: both views are security_invoker and grant nothing to anon', async () => {
    const views = await db.sql<{ relname: string; options: string[]; anon: boolean; authenticated: boolean }>(
      `select c.relname, c.reloptions as options,
              has_table_privilege('anon', c.oid, 'select') as anon,
              has_table_privilege('authenticated', c.oid, 'select') as authenticated
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'v' order by 1`,
    );
    expect(views).toEqual([
      { relname: 'interview_transcript_gaps', options: ['security_invoker=true'], anon: false, authenticated: true },
      { relname: 'stuck_interview_sessions', options: ['security_invoker=true'], anon: false, authenticated: true },
    ]);
  });
});
