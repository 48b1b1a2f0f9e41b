// The request bodies of the edge functions (snake_case on the wire), validated before anything runs.
import { z } from 'npm:zod@4.6.7';

export const maxBatch = 500;
const sessionId = z.uuid();
const isoTime = z.iso.datetime({ offset: true });
/** Matches the database bound: far above any real interview, low enough that gap checks stay cheap. */
export const maxSeq = 100_000;

export const kioskSessionsBody = z.object({}).strict();

export const interviewStartBody = z.object({ interview_session_id: sessionId }).strict();

const transcriptEntryInput = z.object({
  id: z.uuid(),
  seq: z.number().int().min(0).max(maxSeq),
  speaker: z.enum(['candidate', 'interviewer']),
  text: z.string().max(20_000),
  timestamp: isoTime,
  confidence: z.number().min(0).max(1).nullable(),
  status: z.enum(['final', 'failed', 'interrupted']),
  item_id: z.string().min(1).max(200).optional(),
});

export const interviewTranscriptBody = z
  .object({
    interview_session_id: sessionId,
    entries: z.array(transcriptEntryInput).min(1).max(maxBatch),
  })
  .strict()
  .superRefine((body, ctx) => {
    const ids = new Set<string>();
    const seqs = new Set<number>();
    for (const [index, entry] of body.entries.entries()) {
      if (ids.has(entry.id)) ctx.addIssue({ code: 'custom', path: ['entries', index, 'id'], message: 'repeated id in batch' });
      if (seqs.has(entry.seq)) ctx.addIssue({ code: 'custom', path: ['entries', index, 'seq'], message: 'repeated seq in batch' });
      ids.add(entry.id);
      seqs.add(entry.seq);
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
]);

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
