// The review function on the real stack (Deno, Postgres, Auth stand-in): what a signed-in reviewer
// lists and opens, the decisions it appends, and what it refuses.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { invoke, signedIn } from './backend-test-kit';

const tenantA = '00000000-0000-4000-8000-000000000001';
const finishedA = '00000000-0000-4000-8000-000000000504'; // seeded: completed yesterday, two entries
const scheduledA = '00000000-0000-4000-8000-000000000501';
const supportPosition = '00000000-0000-4000-8000-000000000302';

let stack: BackendStack;
let reviewerA: SupabaseClient;
let reviewerB: SupabaseClient;
let proctorA: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ seed: true, functionsEnv: { RECORDING_FILE_URL_TEMPLATE: 'http://files.example/{video_id}.webm' } });
  await stack.sql(
    `insert into public.recordings (id, interview_session_id, tenant_id, provider, video_id, bytes, duration_ms)
     values ($1, $2, $3, 'api.video', 'vi-a', 10, 60000)`,
    [randomUUID(), finishedA, tenantA],
  );
  [reviewerA, reviewerB, proctorA] = await Promise.all([
    signedIn(stack, 'reviewer@demo.example'),
    signedIn(stack, 'reviewer@other.example'),
    signedIn(stack, 'proctor@demo.example'),
  ]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('review', () => {
  it('lists the tenant’s finished interviews only, with their review status', async () => {
    const { status, body } = await invoke<{ interviews: Array<{ id: string; review_status: string }>; positions: unknown[] }>(reviewerA, 'review', {
      action: 'list',
    });
    expect(status).toBe(200);
    expect(body.interviews.map((i) => i.id)).toEqual([finishedA]);
    expect(body.interviews[0]!.review_status).toBe('pending');
    expect(body.positions.length).toBeGreaterThan(0);
  });

  it('filters by position and date', async () => {
    const other = await invoke<{ interviews: unknown[] }>(reviewerA, 'review', { action: 'list', position_id: '00000000-0000-4000-8000-000000000301' });
    expect(other.body.interviews).toEqual([]);
    const same = await invoke<{ interviews: unknown[] }>(reviewerA, 'review', { action: 'list', position_id: supportPosition });
    expect(same.body.interviews).toHaveLength(1);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const future = await invoke<{ interviews: unknown[] }>(reviewerA, 'review', { action: 'list', from: tomorrow });
    expect(future.body.interviews).toEqual([]);
  });

  it('opens one interview with its transcript and recording', async () => {
    const { status, body } = await invoke<{
      transcript: Array<{ seq: number; speaker: string }>;
      recording: { file_url: string; player_url: string; duration_ms: number };
      decisions: unknown[];
    }>(reviewerA, 'review', { action: 'interview', interview_id: finishedA });
    expect(status).toBe(200);
    expect(body.transcript.map((e) => [e.seq, e.speaker])).toEqual([
      [0, 'interviewer'],
      [1, 'candidate'],
    ]);
    expect(body.recording).toEqual(
      expect.objectContaining({ file_url: 'http://files.example/vi-a.webm', player_url: 'https://embed.api.video/vod/vi-a', duration_ms: 60000 }),
    );
  });

  it('appends decisions and shows who decided; the list then says reviewed', async () => {
    const first = await invoke<{ decisions: Array<{ decision: string; decided_by_email: string; score: number | null }> }>(reviewerA, 'review', {
      action: 'decide',
      interview_id: finishedA,
      competency_key: 'communication',
      decision: 'override',
      score: 4,
      note: 'Listened before acting',
    });
    expect(first.status).toBe(200);
    const second = await invoke<{ decisions: Array<{ decision: string; decided_by_email: string }> }>(reviewerA, 'review', {
      action: 'decide',
      interview_id: finishedA,
      competency_key: null,
      decision: 'override',
      note: 'Invite to the second round',
    });
    expect(second.body.decisions.map((d) => [d.decision, d.decided_by_email])).toEqual([
      ['override', 'reviewer@demo.example'],
      ['override', 'reviewer@demo.example'],
    ]);
    const stored = await stack.sql(
      `select competency_key, score, decided_by from public.review_decisions where interview_id = $1 order by decided_at`,
      [finishedA],
    );
    expect(stored).toEqual([
      { competency_key: 'communication', score: 4, decided_by: '00000000-0000-4000-8000-000000000209' },
      { competency_key: null, score: null, decided_by: '00000000-0000-4000-8000-000000000209' },
    ]);
    const listed = await invoke<{ interviews: Array<{ review_status: string }> }>(reviewerA, 'review', { action: 'list', review_status: 'reviewed' });
    expect(listed.body.interviews).toHaveLength(1);
    const pending = await invoke<{ interviews: unknown[] }>(reviewerA, 'review', { action: 'list', review_status: 'pending' });
    expect(pending.body.interviews).toEqual([]);
  });

  it('a reviewer of another tenant sees nothing of it and cannot decide on it', async () => {
    const listed = await invoke<{ interviews: unknown[] }>(reviewerB, 'review', { action: 'list' });
    expect(listed.body.interviews).toEqual([]);
    const opened = await invoke(reviewerB, 'review', { action: 'interview', interview_id: finishedA });
    expect(opened.status).toBe(404);
    const decided = await invoke(reviewerB, 'review', { action: 'decide', interview_id: finishedA, competency_key: null, decision: 'confirm' });
    expect(decided.status).toBe(404);
  });

  it('an interview still to come is not reviewable', async () => {
    const opened = await invoke(reviewerA, 'review', { action: 'interview', interview_id: scheduledA });
    expect(opened.status).toBe(404);
  });

  it('a proctor is not a reviewer', async () => {
    const listed = await invoke<{ error: { code: string } }>(proctorA, 'review', { action: 'list' });
    expect(listed.status).toBe(403);
    expect(listed.body.error.code).toBe('not_a_reviewer');
  });

  it.each([
    ['an override without a note', { action: 'decide', interview_id: finishedA, competency_key: 'x', decision: 'override', score: 2, note: '  ' }],
    ['an override of a competency without a score', { action: 'decide', interview_id: finishedA, competency_key: 'x', decision: 'override', note: 'why' }],
    ['an unknown action', { action: 'erase', interview_id: finishedA }],
    ['a decision naming its decider', { action: 'decide', interview_id: finishedA, competency_key: null, decision: 'confirm', decided_by: randomUUID() }],
    ['a malformed date', { action: 'list', from: '12/01/2026' }],
  ])('refuses %s', async (_name, body) => {
    const answer = await invoke<{ error: { code: string } }>(reviewerA, 'review', body);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('validation_failed');
  });

  it('refuses to confirm when there is no suggestion', async () => {
    const answer = await invoke<{ error: { code: string } }>(reviewerA, 'review', {
      action: 'decide',
      interview_id: finishedA,
      competency_key: 'communication',
      decision: 'confirm',
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('nothing_to_confirm');
  });

  it('refuses a decision on an assessment that is not the interview’s', async () => {
    const answer = await invoke<{ error: { code: string } }>(reviewerA, 'review', {
      action: 'decide',
      interview_id: finishedA,
      assessment_id: randomUUID(),
      competency_key: null,
      decision: 'confirm',
    });
    expect(answer.status).toBe(409);
  });
});
