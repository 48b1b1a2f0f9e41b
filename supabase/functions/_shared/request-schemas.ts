// The request bodies of the edge functions (snake_case on the wire), validated before anything runs.
import { z } from 'npm:zod@4.6.7';

export const maxBatch = 500;
const sessionId = z.uuid();
const isoTime = z.iso.datetime({ offset: true });
/** Matches the database bound: far above any real interview, low enough that gap checks stay cheap. */
export const maxSeq = 100_000;

export const kioskSessionsBody = z.object({}).strict();

/** The one-time code an admin issued for one kiosk: 128 random bits as 32 hex digits. */
/** An admin asks for a kiosk's enrolment code, valid from 5 minutes to 7 days (a day by default). */
export const kioskEnrolmentCodeBody = z
  .object({ kiosk_id: z.uuid(), valid_minutes: z.number().int().min(5).max(7 * 24 * 60).optional() })
  .strict();

/** The one-time code an admin issued, and the kiosk row the enrolling kiosk's config names. */
export const kioskEnrolBody = z
  .object({ kiosk_id: z.uuid(), code: z.string().regex(/^[0-9a-f]{32}$/, 'an enrolment code is 32 hex digits') })
  .strict();

/**
 * `kiosk_id`: the kiosk a proctor starts the interview on (its tenant config's kioskId). An interview
 * with no kiosk yet is assigned to it, so that kiosk's identity can upload; one assigned to another
 * kiosk is refused, since that kiosk's identity alone could write to it.
 */
export const interviewStartBody = z.object({ interview_session_id: sessionId, kiosk_id: z.uuid().optional() }).strict();

/** Ten hours of played audio: beyond any turn, low enough to refuse a value in the wrong unit. */
export const maxHeardMs = 36_000_000;

const transcriptEntryInput = z.object({
  id: z.uuid(),
  seq: z.number().int().min(0).max(maxSeq),
  speaker: z.enum(['candidate', 'interviewer']),
  text: z.string().max(20_000),
  timestamp: isoTime,
  confidence: z.number().min(0).max(1).nullable(),
  status: z.enum(['final', 'failed', 'interrupted']),
  item_id: z.string().min(1).max(200).optional(),
  // An interrupted interviewer turn: `text` is what the candidate heard, `generated_text` what the
  // model produced, `heard_ms` how much of its audio played. null is the same as absent.
  generated_text: z.string().max(20_000).nullable().optional(),
  heard_ms: z.number().int().min(0).max(maxHeardMs).nullable().optional(),
  heard_estimated: z.boolean().optional(),
  // The id of a `failed` stand-in this late transcription replaces (same seq and speaker).
  corrects: z.uuid().nullable().optional(),
});

type TranscriptEntryInput = z.infer<typeof transcriptEntryInput>;

/** Counted as Postgres counts `length(text)`: code points, not UTF-16 units. */
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function entryName(entry: TranscriptEntryInput): string {
  return `entry ${entry.id} (seq ${entry.seq})`;
}

/** The rules between fields of one entry, each reported on the field that breaks it. */
function entryRuleIssues(entry: TranscriptEntryInput): Array<{ field: string; message: string }> {
  const issues: Array<{ field: string; message: string }> = [];
  const interruptedInterviewer = entry.speaker === 'interviewer' && entry.status === 'interrupted';
  if (!interruptedInterviewer) {
    const where = `${entry.speaker} entry with status ${entry.status}`;
    if (entry.generated_text != null) {
      issues.push({ field: 'generated_text', message: `${entryName(entry)}: generated_text is only for an interrupted interviewer turn, not a ${where}` });
    }
    if (entry.heard_ms != null) {
      issues.push({ field: 'heard_ms', message: `${entryName(entry)}: heard_ms is only for an interrupted interviewer turn, not a ${where}` });
    }
    if (entry.heard_estimated === true) {
      issues.push({ field: 'heard_estimated', message: `${entryName(entry)}: heard_estimated is only for an interrupted interviewer turn, not a ${where}` });
    }
  }
  if (entry.generated_text != null && codePoints(entry.text) > codePoints(entry.generated_text)) {
    issues.push({ field: 'text', message: `${entryName(entry)}: the heard text is longer than generated_text` });
  }
  if (entry.corrects != null) {
    if (entry.status !== 'final') {
      issues.push({ field: 'status', message: `${entryName(entry)}: a correction (corrects) must have status final, not ${entry.status}` });
    }
    if (entry.corrects.toLowerCase() === entry.id.toLowerCase()) {
      issues.push({ field: 'corrects', message: `${entryName(entry)}: an entry cannot correct itself` });
    }
  }
  return issues;
}

export const interviewTranscriptBody = z
  .object({
    interview_session_id: sessionId,
    entries: z.array(transcriptEntryInput).min(1).max(maxBatch),
  })
  .strict()
  .superRefine((body, ctx) => {
    const ids = new Set<string>();
    // A correction shares its seq with the stand-in it replaces, which may travel in the same batch.
    const plainSeqs = new Set<number>();
    const correctionSeqs = new Set<number>();
    for (const [index, entry] of body.entries.entries()) {
      const seqs = entry.corrects != null ? correctionSeqs : plainSeqs;
      const id = entry.id.toLowerCase();
      if (ids.has(id)) ctx.addIssue({ code: 'custom', path: ['entries', index, 'id'], message: 'repeated id in batch' });
      if (seqs.has(entry.seq)) ctx.addIssue({ code: 'custom', path: ['entries', index, 'seq'], message: 'repeated seq in batch' });
      ids.add(id);
      seqs.add(entry.seq);
      for (const issue of entryRuleIssues(entry)) {
        ctx.addIssue({ code: 'custom', path: ['entries', index, issue.field], message: issue.message });
      }
    }
  });

const sessionEventKind = z.enum([
  'webrtc_status',
  'sdp_offer',
  'sdp_answer',
  'ice_candidate',
  'telemetry',
  'lockdown',
  'error',
  'proctor',
]);

/** What a `proctor` event records (the migration 20261207000500 checks the same list). */
const proctorActions = ['pause', 'resume', 'extra_time', 'incident', 'identity_confirmed'] as const;

const sessionEventInput = z
  .object({
    id: z.uuid(),
    kind: sessionEventKind,
    at: isoTime,
    data: z.record(z.string(), z.unknown()),
  })
  .superRefine((event, ctx) => {
    if (event.kind === 'webrtc_status') {
      const status = event.data.status;
      if (typeof status !== 'string' || !/^[a-z_]{1,40}$/.test(status)) {
        ctx.addIssue({ code: 'custom', path: ['data', 'status'], message: 'webrtc_status needs data.status (lower_snake, ≤ 40)' });
      }
    }
    if (event.kind === 'proctor' && !proctorActions.includes(event.data.action as (typeof proctorActions)[number])) {
      ctx.addIssue({ code: 'custom', path: ['data', 'action'], message: `proctor needs data.action (${proctorActions.join(', ')})` });
    }
    if ((event.kind === 'sdp_offer' || event.kind === 'sdp_answer') && typeof event.data.sdp !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['data', 'sdp'], message: `${event.kind} needs data.sdp` });
    }
  });

export const interviewEventsBody = z
  .object({
    interview_session_id: sessionId,
    events: z.array(sessionEventInput).min(1).max(maxBatch),
  })
  .strict()
  .superRefine((body, ctx) => {
    const ids = new Set<string>();
    for (const [index, event] of body.events.entries()) {
      if (ids.has(event.id)) ctx.addIssue({ code: 'custom', path: ['events', index, 'id'], message: 'repeated id in batch' });
      ids.add(event.id);
    }
  });

export const endReason = z.enum(['completed', 'time_limit', 'proctor', 'candidate_left', 'error']);

export const interviewEndBody = z
  .object({
    interview_session_id: sessionId,
    last_seq: z.number().int().min(-1).max(maxSeq),
    reason: endReason,
  })
  .strict();

export const interviewRecordingBody = z
  .object({
    interview_session_id: sessionId,
    recording_id: z.uuid(),
    provider: z.literal('api.video'),
    video_id: z.string().min(1).max(200),
    bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    duration_ms: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
