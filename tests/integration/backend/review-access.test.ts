// Who reaches the review console's data, against real Postgres: reviewers read their own tenant's
// finished interviews and nothing else; decisions are written by reviewers and admins only, as
// themselves, and never changed afterwards by anyone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresHarness } from '../../support/postgres-harness';
import { people, sqlAs } from './backend-test-kit';

const tenantA = '00000000-0000-4000-8000-000000000001';
const tenantB = '00000000-0000-4000-8000-000000000002';
const finishedA = '00000000-0000-4000-8000-000000000504'; // seeded: yesterday, completed
const scheduledA = '00000000-0000-4000-8000-000000000501';
const finishedB = randomUUID();
const recordingA = randomUUID();
const recordingB = randomUUID();
const eventA = randomUUID();
const decisionA = randomUUID();
const decisionB = randomUUID();

const reviewerA = { sub: '00000000-0000-4000-8000-000000000209', email: 'reviewer@demo.example' };
const reviewerB = { sub: '00000000-0000-4000-8000-000000000210', email: 'reviewer@other.example' };
type Who = { sub: string; email: string };

let db: PostgresHarness;
const as = (who: Who | null, statement: string, params: unknown[] = []) => sqlAs(db.dbUrl, who, statement, params);

function insertDecision(interviewId: string, tenantId: string, extra = '') {
  return `insert into public.review_decisions (tenant_id, interview_id, competency_key, decision, score, note${extra ? ', decided_by' : ''})
          values ('${tenantId}', '${interviewId}', 'communication', 'override', 3, 'Clearer than the suggestion says'${extra})`;
}

beforeAll(async () => {
  db = await startPostgres({ seed: true });
  await db.sql(
    `insert into public.interview_sessions (id, tenant_id, candidate_id, position_id, kiosk_id, scheduled_at, status, started_at, ended_at, end_reason, last_seq)
     values ($1, $2, '00000000-0000-4000-8000-000000000403', '00000000-0000-4000-8000-000000000303', '00000000-0000-4000-8000-000000000102',
             now() - interval '1 day', 'completed', now() - interval '1 day', now() - interval '23 hours', 'completed', -1)`,
    [finishedB, tenantB],
  );
  await db.sql(
    `insert into public.recordings (id, interview_session_id, tenant_id, provider, video_id, bytes, duration_ms)
     values ($1, $2, $3, 'api.video', 'vi-a', 10, 10), ($4, $5, $6, 'api.video', 'vi-b', 10, 10)`,
    [recordingA, finishedA, tenantA, recordingB, finishedB, tenantB],
  );
  await db.sql(
    `insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data)
     values ($1, $2, $3, 'lockdown', now() - interval '1 day', '{"event":"focus_lost"}')`,
    [eventA, finishedA, tenantA],
  );
  await db.sql(
    `insert into public.review_decisions (id, tenant_id, interview_id, competency_key, decision, note, decided_by)
     values ($1, $2, $3, null, 'confirm', '', $4), ($5, $6, $7, null, 'confirm', '', $8)`,
    [decisionA, tenantA, finishedA, reviewerA.sub, decisionB, tenantB, finishedB, reviewerB.sub],
  );
});

afterAll(async () => {
  await db?.stop();
});

describe('reviewers read their own tenant’s finished interviews', () => {
  it.each([
    ['interview_sessions', `id = '${finishedA}'`],
    ['transcript_entries', `interview_session_id = '${finishedA}'`],
    ['session_events', `id = '${eventA}'`],
    ['recordings', `id = '${recordingA}'`],
    ['candidates', `id = '00000000-0000-4000-8000-000000000401'`],
    ['positions', `tenant_id = '${tenantA}'`],
    ['review_decisions', `id = '${decisionA}'`],
  ])('reviewer A reads %s', async (table, where) => {
    const outcome = await as(reviewerA, `select 1 from public.${table} where ${where}`);
    expect(outcome.errorCode).toBeUndefined();
    expect(outcome.rowCount).toBeGreaterThan(0);
  });

  it.each([
    ['interview_sessions', `id = '${finishedB}'`],
    ['recordings', `id = '${recordingB}'`],
    ['review_decisions', `id = '${decisionB}'`],
    ['candidates', `tenant_id = '${tenantB}'`],
    ['positions', `tenant_id = '${tenantB}'`],
  ])('reviewer A reads nothing of tenant B in %s', async (table, where) => {
    const outcome = await as(reviewerA, `select 1 from public.${table} where ${where}`);
    expect(outcome.errorCode).toBeUndefined();
    expect(outcome.rowCount).toBe(0);
    // The row is there: the zero above is the policy, not an empty table.
    expect(await db.sql(`select 1 from public.${table} where ${where}`)).not.toHaveLength(0);
  });

  it('reviewer B sees its own finished interview and decision, none of tenant A', async () => {
    const sessions = await as(reviewerB, `select id from public.interview_sessions`);
    expect(sessions.rows.map((r) => r.id)).toEqual([finishedB]);
    const decisions = await as(reviewerB, `select id from public.review_decisions`);
    expect(decisions.rows.map((r) => r.id)).toEqual([decisionB]);
  });

  it('an interview that has not finished is not the reviewer’s to read', async () => {
    const outcome = await as(reviewerA, `select 1 from public.interview_sessions where id = $1`, [scheduledA]);
    expect(outcome.rowCount).toBe(0);
    const all = await as(reviewerA, `select status from public.interview_sessions`);
    expect(all.rows.every((r) => ['completed', 'failed'].includes(r.status as string))).toBe(true);
  });

  it('a reviewer reads no kiosk and no tenant configuration', async () => {
    expect((await as(reviewerA, `select 1 from public.kiosks`)).rowCount).toBe(0);
    expect((await as(reviewerA, `select 1 from public.tenants`)).rowCount).toBe(0);
  });
});

describe('decisions', () => {
  it.each([
    ['the kiosk', people.kioskA],
    ['the candidate', people.candidateA],
    ['the proctor', people.proctorA],
    ['nobody signed in', null],
  ])('%s reads no decision', async (_name, who) => {
    const outcome = await as(who, `select 1 from public.review_decisions`);
    expect(outcome.rowCount).toBe(0);
  });

  it('admins read their tenant’s decisions', async () => {
    const outcome = await as(people.adminA, `select id from public.review_decisions`);
    expect(outcome.rows.map((r) => r.id)).toEqual([decisionA]);
  });

  it('a reviewer records a decision as themselves, with the server’s time', async () => {
    const outcome = await as(reviewerA, `${insertDecision(finishedA, tenantA)} returning decided_by, decided_at > now() - interval '1 minute' as fresh`);
    expect(outcome.errorCode).toBeUndefined();
    expect(outcome.rows).toEqual([{ decided_by: reviewerA.sub, fresh: true }]);
  });

  it('an admin records a decision', async () => {
    const outcome = await as(people.adminA, insertDecision(finishedA, tenantA));
    expect(outcome.errorCode).toBeUndefined();
    expect(outcome.rowCount).toBe(1);
  });

  it('nobody names another person as the decider', async () => {
    const outcome = await as(reviewerA, insertDecision(finishedA, tenantA, `, '${people.adminA.sub}'`));
    expect(outcome.errorCode).toBe('42501');
  });

  it('nobody backdates a decision', async () => {
    const outcome = await as(
      reviewerA,
      `insert into public.review_decisions (tenant_id, interview_id, decision, decided_at) values ('${tenantA}', '${finishedA}', 'confirm', now() - interval '1 year')`,
    );
    expect(outcome.errorCode).toBe('42501');
  });

  it.each([
    ['the proctor', people.proctorA],
    ['the kiosk', people.kioskA],
    ['the candidate', people.candidateA],
    ['nobody signed in', null],
  ])('%s cannot record a decision', async (_name, who) => {
    const outcome = await as(who, insertDecision(finishedA, tenantA));
    expect(outcome.errorCode).toBe('42501');
  });

  it('a reviewer cannot decide on another tenant’s interview, whichever tenant the row names', async () => {
    expect((await as(reviewerA, insertDecision(finishedB, tenantB))).errorCode).toBe('42501');
    // Its own tenant id with the other tenant's interview: the composite key or the policy refuses it.
    expect(['42501', '23503']).toContain((await as(reviewerA, insertDecision(finishedB, tenantA))).errorCode);
  });

  it('a reviewer cannot decide on an interview that has not finished', async () => {
    expect((await as(reviewerA, insertDecision(scheduledA, tenantA))).errorCode).toBe('42501');
  });

  it('an override without a note, or of a competency without a score, is refused', async () => {
    const noNote = await as(
      reviewerA,
      `insert into public.review_decisions (tenant_id, interview_id, competency_key, decision, score, note) values ('${tenantA}', '${finishedA}', 'x', 'override', 2, ' ')`,
    );
    expect(noNote.errorCode).toBe('23514');
    const noScore = await as(
      reviewerA,
      `insert into public.review_decisions (tenant_id, interview_id, competency_key, decision, note) values ('${tenantA}', '${finishedA}', 'x', 'override', 'why')`,
    );
    expect(noScore.errorCode).toBe('23514');
  });

  it.each([
    ['reviewer A', reviewerA],
    ['the admin', people.adminA],
  ])('%s cannot change or remove a stored decision', async (_name, who) => {
    const update = await as(who, `update public.review_decisions set note = 'rewritten' where id = $1`, [decisionA]);
    expect(update.errorCode).toBe('42501');
    const remove = await as(who, `delete from public.review_decisions where id = $1`, [decisionA]);
    expect(remove.errorCode).toBe('42501');
  });

  it('not even the database owner edits or deletes a stored decision', async () => {
    await expect(db.sql(`update public.review_decisions set note = 'rewritten' where id = $1`, [decisionA])).rejects.toMatchObject({ code: '42501' });
    await expect(db.sql(`delete from public.review_decisions where id = $1`, [decisionA])).rejects.toMatchObject({ code: '42501' });
    await expect(db.sql(`truncate public.review_decisions`)).rejects.toMatchObject({ code: '42501' });
    const [row] = await db.sql(`select note from public.review_decisions where id = $1`, [decisionA]);
    expect(row).toEqual({ note: '' });
  });

  it('removing an interview takes its decisions with it (erasure still works)', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`delete from public.interview_sessions where id = $1`, [finishedB]);
      const left = await client.query(`select 1 from public.review_decisions where interview_id = $1`, [finishedB]);
      expect(left.rowCount).toBe(0);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
