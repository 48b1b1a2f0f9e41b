// The request bodies of the edge functions (snake_case on the wire), validated before anything runs.
// The transcript and session-log rules come from the contract the kiosk uses (a generated copy).
import { z } from 'npm:zod@4.6.7';
import { endReasonSchema, MAX_SEQ, MAX_UPLOAD_BATCH, sessionEventBatchSchema, transcriptBatchWireSchema } from './contract/index.ts';

export const maxBatch = MAX_UPLOAD_BATCH;
const sessionId = z.uuid();
export const maxSeq = MAX_SEQ;

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

export const interviewTranscriptBody = z
  .object({
    interview_session_id: sessionId,
    entries: transcriptBatchWireSchema,
  })
  .strict();

export const interviewEventsBody = z
  .object({
    interview_session_id: sessionId,
    events: sessionEventBatchSchema,
  })
  .strict();

export const interviewEndBody = z
  .object({
    interview_session_id: sessionId,
    last_seq: z.number().int().min(-1).max(maxSeq),
    reason: endReasonSchema,
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
