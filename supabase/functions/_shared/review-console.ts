// review: what the review console reads and writes, always as the signed-in reviewer, so row-level
// security decides what is seen (the local stack has no PostgREST; this is the console's data API).
//   list      – the finished interviews of the caller's tenants, filtered by date, position, review status;
//   interview – one interview: transcript, recording, report, AI assessment, processing jobs, decisions;
//   decide    – appends one human decision (confirm / override) for a competency or the whole interview.
// The report, assessment and jobs tables belong to the processing migration; read when present, so the
// console shows "not ready" rather than failing on a database that does not have them yet.
import { z } from 'npm:zod@4.6.7';
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller, type Tx } from './caller-database.ts';

const day = z.iso.date();

export const reviewBody = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('list'),
      from: day.optional(),
      to: day.optional(),
      position_id: z.uuid().optional(),
      review_status: z.enum(['pending', 'reviewed']).optional(),
    })
    .strict(),
  z.object({ action: z.literal('interview'), interview_id: z.uuid() }).strict(),
  z
    .object({
      action: z.literal('decide'),
      interview_id: z.uuid(),
      assessment_id: z.uuid().nullable().optional(),
      // null: the decision on the interview as a whole.
      competency_key: z.string().min(1).max(100).nullable(),
      decision: z.enum(['confirm', 'override']),
      score: z.number().int().min(0).max(1000).nullable().optional(),
      note: z.string().max(4000).default(''),
    })
    .strict()
    .superRefine((value, context) => {
      if (value.decision === 'override' && value.note.trim() === '') {
        context.addIssue({ code: 'custom', path: ['note'], message: 'an override says why: a note is required' });
      }
      if (value.decision === 'override' && value.competency_key !== null && value.score == null) {
        context.addIssue({ code: 'custom', path: ['score'], message: 'overriding a competency gives it a score' });
      }
    }),
]);

export type ReviewInput = z.infer<typeof reviewBody>;

const reviewRoles = ['admin', 'reviewer'];

async function reviewTenants(tx: Tx): Promise<string[]> {
  const rows = await tx<{ tenant_id: string }[]>`select tenant_id from public.tenant_users where role = any(${reviewRoles})`;
  if (rows.length === 0) throw new ApiError(403, 'not_a_reviewer', 'This account does not review interviews for any assessment centre.');
  return rows.map((row) => row.tenant_id);
}

/** Whether a table of the processing migration exists here and the caller may read it. */
async function readable(tx: Tx, table: string): Promise<boolean> {
  const [row] = await tx<{ ok: boolean }[]>`
    select coalesce(has_table_privilege(to_regclass(${table}), 'select'), false) as ok`;
  return row?.ok === true;
}

const iso = (value: Date | string | null | undefined) => (value == null ? null : new Date(value).toISOString());

interface ListedRow {
  id: string;
  status: string;
  end_reason: string | null;
  started_at: Date | null;
  ended_at: Date | null;
  scheduled_at: Date;
  candidate_name: string;
  position_id: string;
  position_title: string;
  decisions: number;
  last_decided_at: Date | null;
}

async function list(tx: Tx, input: Extract<ReviewInput, { action: 'list' }>) {
  const tenants = await reviewTenants(tx);
  const when = tx`coalesce(s.started_at, s.scheduled_at)`;
  const rows = await tx<ListedRow[]>`
    select s.id, s.status, s.end_reason, s.started_at, s.ended_at, s.scheduled_at,
           c.name as candidate_name, p.id as position_id, p.title as position_title,
           (select count(*)::int from public.review_decisions d where d.interview_id = s.id) as decisions,
           (select max(d.decided_at) from public.review_decisions d where d.interview_id = s.id) as last_decided_at
    from public.interview_sessions s
    join public.candidates c on c.id = s.candidate_id
    join public.positions p on p.id = s.position_id
    where s.tenant_id = any(${tenants}::uuid[])
      and s.status in ('completed', 'failed')
      ${input.from ? tx`and ${when} >= ${input.from}::date::timestamp at time zone 'UTC'` : tx``}
      ${input.to ? tx`and ${when} < (${input.to}::date + 1)::timestamp at time zone 'UTC'` : tx``}
      ${input.position_id ? tx`and s.position_id = ${input.position_id}` : tx``}
      ${input.review_status
        ? tx`and exists (select 1 from public.review_decisions d where d.interview_id = s.id) = ${input.review_status === 'reviewed'}`
        : tx``}
    order by ${when} desc, s.id
    limit 500`;
  const positions = await tx<{ id: string; title: string }[]>`
    select id, title from public.positions where tenant_id = any(${tenants}::uuid[]) order by title, id`;
  const interviews = rows.map((row) => ({
      id: row.id,
      status: row.status,
      end_reason: row.end_reason,
      started_at: iso(row.started_at),
      ended_at: iso(row.ended_at),
      scheduled_at: iso(row.scheduled_at),
      candidate: { name: row.candidate_name },
      position: { id: row.position_id, title: row.position_title },
      review_status: row.decisions > 0 ? ('reviewed' as const) : ('pending' as const),
      decisions: row.decisions,
      last_decided_at: iso(row.last_decided_at),
    }));
  return { interviews, positions };
}

interface SessionRow {
  id: string;
  tenant_id: string;
  status: string;
  end_reason: string | null;
  started_at: Date | null;
  ended_at: Date | null;
  scheduled_at: Date;
  last_seq: number | null;
  candidate_name: string;
  candidate_email: string;
  position_id: string;
  position_title: string;
  interview_plan: unknown;
}

async function finishedInterview(tx: Tx, interviewId: string): Promise<SessionRow> {
  const tenants = await reviewTenants(tx);
  const [session] = await tx<SessionRow[]>`
    select s.id, s.tenant_id, s.status, s.end_reason, s.started_at, s.ended_at, s.scheduled_at, s.last_seq,
           c.name as candidate_name, c.email as candidate_email,
           p.id as position_id, p.title as position_title, p.interview_plan
    from public.interview_sessions s
    join public.candidates c on c.id = s.candidate_id
    join public.positions p on p.id = s.position_id
    where s.id = ${interviewId} and s.tenant_id = any(${tenants}::uuid[]) and s.status in ('completed', 'failed')`;
  // Another tenant's interview and one that does not exist answer alike.
  if (!session) throw new ApiError(404, 'interview_not_found', 'No finished interview with this id is yours to review.');
  return session;
}

/** Where the console plays a recording: a seekable file when the deployment names one, and api.video's player. */
function recordingUrls(videoId: string) {
  const fileTemplate = Deno.env.get('RECORDING_FILE_URL_TEMPLATE');
  const playerTemplate = Deno.env.get('RECORDING_PLAYER_URL_TEMPLATE') ?? 'https://embed.api.video/vod/{video_id}';
  const fill = (template: string) => template.replaceAll('{video_id}', encodeURIComponent(videoId));
  return { file_url: fileTemplate ? fill(fileTemplate) : null, player_url: fill(playerTemplate) };
}

async function decisionsOf(tx: Tx, interviewId: string) {
  const rows = await tx<
    {
      id: string;
      assessment_id: string | null;
      competency_key: string | null;
      decision: string;
      score: number | null;
      note: string;
      decided_by: string;
      decided_by_email: string | null;
      decided_at: Date;
    }[]
  >`select id, assessment_id, competency_key, decision, score, note, decided_by, decided_by_email, decided_at
    from public.review_decisions where interview_id = ${interviewId} order by decided_at, id`;
  return rows.map((row) => ({ ...row, decided_at: iso(row.decided_at) }));
}

async function latestAssessment(tx: Tx, interviewId: string): Promise<Record<string, unknown> | null> {
  if (!(await readable(tx, 'public.interview_assessments'))) return null;
  const [row] = await tx<{ row: Record<string, unknown> }[]>`
    select to_jsonb(a) as row from public.interview_assessments a
    where a.interview_id = ${interviewId} order by a.created_at desc limit 1`;
  return row?.row ?? null;
}

async function interview(tx: Tx, input: Extract<ReviewInput, { action: 'interview' }>) {
  const session = await finishedInterview(tx, input.interview_id);
  const transcript = await tx<Record<string, unknown>[]>`
    select id, seq, speaker, text, generated_text, heard_ms, heard_estimated, status, "timestamp", confidence,
           original_text, original_status, corrected_at
    from public.transcript_entries where interview_session_id = ${session.id} order by seq`;
  const [recording] = await tx<{ id: string; video_id: string; duration_ms: string; bytes: string; created_at: Date }[]>`
    select id, video_id, duration_ms, bytes, created_at from public.recordings
    where interview_session_id = ${session.id} order by created_at desc limit 1`;

  let report: Record<string, unknown> | null = null;
  if (await readable(tx, 'public.interview_reports')) {
    const [row] = await tx<{ row: Record<string, unknown> }[]>`
      select to_jsonb(r) as row from public.interview_reports r where r.interview_id = ${session.id}`;
    report = row?.row ?? null;
  }
  let jobs: Record<string, unknown>[] = [];
  if (await readable(tx, 'public.processing_jobs')) {
    const rows = await tx<{ row: Record<string, unknown> }[]>`
      select to_jsonb(j) as row from public.processing_jobs j where j.interview_id = ${session.id}`;
    jobs = rows.map((row) => {
      const job = row.row;
      return { kind: job.kind ?? null, status: job.status ?? null, last_error: job.last_error ?? null, attempts: job.attempts ?? null };
    });
  }

  return {
    interview: {
      id: session.id,
      status: session.status,
      end_reason: session.end_reason,
      started_at: iso(session.started_at),
      ended_at: iso(session.ended_at),
      scheduled_at: iso(session.scheduled_at),
      candidate: { name: session.candidate_name, email: session.candidate_email },
      position: { id: session.position_id, title: session.position_title, plan: Array.isArray(session.interview_plan) ? session.interview_plan : [] },
    },
    transcript: transcript.map((entry) => ({ ...entry, timestamp: iso(entry.timestamp as Date), corrected_at: iso(entry.corrected_at as Date | null) })),
    recording: recording
      ? { id: recording.id, video_id: recording.video_id, duration_ms: Number(recording.duration_ms), ...recordingUrls(recording.video_id) }
      : null,
    report,
    assessment: await latestAssessment(tx, session.id),
    jobs,
    decisions: await decisionsOf(tx, session.id),
  };
}

const competencySchema = z.object({
  key: z.string(),
  score: z.number().int().nullable().optional(),
  scale_min: z.number().optional(),
  scale_max: z.number().optional(),
});

async function decide(tx: Tx, input: Extract<ReviewInput, { action: 'decide' }>) {
  const session = await finishedInterview(tx, input.interview_id);
  // A confirmation stores the score it confirms, so the decision reads alone even if the assessment is re-run.
  let score = input.score ?? null;
  if (input.decision === 'confirm' && !input.assessment_id) {
    throw new ApiError(422, 'nothing_to_confirm', 'There is no AI suggestion to confirm: record an override with your own decision.');
  }
  if (input.assessment_id) {
    const assessment = await latestAssessment(tx, session.id);
    if (!assessment || assessment.id !== input.assessment_id) {
      throw new ApiError(409, 'assessment_outdated', 'This decision answers an assessment that is not the interview’s latest: reload.');
    }
    if (input.decision === 'confirm' && assessment.status !== 'suggested') {
      throw new ApiError(422, 'nothing_to_confirm', 'The AI assessment failed, so there is no suggestion to confirm.');
    }
    if (input.competency_key !== null) {
      const result = z.object({ competencies: z.array(competencySchema) }).safeParse(assessment.result);
      const competency = result.success ? result.data.competencies.find((c) => c.key === input.competency_key) : undefined;
      if (!competency) throw new ApiError(422, 'unknown_competency', 'The assessment has no competency with this key.');
      if (input.decision === 'confirm') {
        score = competency.score ?? null;
      } else if (input.score != null) {
        const { scale_min: min, scale_max: max } = competency;
        if ((min !== undefined && input.score < min) || (max !== undefined && input.score > max)) {
          throw new ApiError(422, 'score_out_of_scale', `The score must be on the competency's scale (${min ?? '…'}–${max ?? '…'}).`);
        }
      }
    }
  }
  const [stored] = await tx<{ id: string }[]>`
    insert into public.review_decisions (tenant_id, interview_id, assessment_id, competency_key, decision, score, note)
    values (${session.tenant_id}, ${session.id}, ${input.assessment_id ?? null}, ${input.competency_key},
            ${input.decision}, ${score}, ${input.note})
    returning id`;
  return { decision_id: stored!.id, decisions: await decisionsOf(tx, session.id) };
}

export async function review(input: ReviewInput, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    switch (input.action) {
      case 'list':
        return await list(tx, input);
      case 'interview':
        return await interview(tx, input);
      case 'decide':
        return await decide(tx, input);
    }
  });
}
