import { z } from 'zod';
import { transcriptEntrySchema } from './transcript';

export const endReasonSchema = z.enum(['completed', 'time_limit', 'proctor', 'candidate_left', 'error']);
export type EndReason = z.infer<typeof endReasonSchema>;

export const interviewPoliciesSchema = z.object({
  maxDurationMinutes: z.number().int().min(1).max(240),
  consentText: z.string().min(1).max(20_000),
  recording: z.boolean(),
});
export type InterviewPolicies = z.infer<typeof interviewPoliciesSchema>;

/** Everything the kiosk window needs to run one interview, handed over by main after interview-start. */
export const interviewLaunchSchema = z.object({
  interviewSessionId: z.uuid(),
  candidate: z.object({ id: z.uuid(), name: z.string() }),
  position: z.object({ id: z.uuid(), title: z.string() }),
  proxy: z.object({
    url: z.url({ protocol: /^wss?$/ }),
    token: z.string().min(1),
    expiresAt: z.iso.datetime({ offset: true }),
  }),
  /** Signed realtime session config from the backend; opaque to the kiosk. */
  sessionConfigToken: z.string().min(1),
  policies: interviewPoliciesSchema,
  /** The next transcript seq to use: non-zero when main resumes an interview after a renderer crash. */
  nextSeq: z.number().int().nonnegative(),
  startedAt: z.iso.datetime({ offset: true }),
});
export type InterviewLaunch = z.infer<typeof interviewLaunchSchema>;

/** What a reloaded kiosk window needs to put the candidate back where they were. */
export const interviewResumeSchema = z.object({
  launch: interviewLaunchSchema,
  /** When the room opened, as the window reported it; null while the candidate had not entered it. */
  roomStartedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Every committed entry kept for this interview, in seq order (corrections in place of their stand-ins). */
  transcript: z.array(transcriptEntrySchema),
  /** The proctor's breaks and extra time so far, so a reloaded window's clock honours them. */
  proctorClock: z
    .object({
      extraMs: z.number().int().nonnegative(),
      pauses: z.array(z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }).nullable() })).max(1_000),
    })
    .optional(),
});
export type InterviewResume = z.infer<typeof interviewResumeSchema>;

/** Kinds of entries in the session event log: WebRTC audit, lockdown events, telemetry, errors. */
export const sessionEventKindSchema = z.enum([
  'webrtc_status',
  'sdp_offer',
  'sdp_answer',
  'ice_candidate',
  'telemetry',
  'lockdown',
  'error',
  /** A proctor operation (break, extra time, incident note, identity check); `data.action` says which. */
  'proctor',
]);

export const PROCTOR_ACTIONS = ['pause', 'resume', 'extra_time', 'incident', 'identity_confirmed'] as const;
export type ProctorAction = (typeof PROCTOR_ACTIONS)[number];
export type SessionEventKind = z.infer<typeof sessionEventKindSchema>;

/**
 * One entry of the session log. The backend's interview-events function applies the same rules, so an
 * event that would be refused there is refused here, at the IPC boundary, instead of dead-lettered.
 */
export const sessionEventSchema = z
  .object({
    id: z.uuid(),
    kind: sessionEventKindSchema,
    at: z.iso.datetime({ offset: true }),
    data: z.record(z.string(), z.unknown()),
  })
  .superRefine((event, ctx) => {
    if (event.kind === 'webrtc_status') {
      const status = event.data.status;
      if (typeof status !== 'string' || !/^[a-z_]{1,40}$/.test(status)) {
        ctx.addIssue({ code: 'custom', path: ['data', 'status'], message: 'webrtc_status needs data.status (lower_snake, at most 40)' });
      }
    }
    if (event.kind === 'proctor' && !PROCTOR_ACTIONS.includes(event.data.action as ProctorAction)) {
      ctx.addIssue({ code: 'custom', path: ['data', 'action'], message: `proctor needs data.action (${PROCTOR_ACTIONS.join(', ')})` });
    }
    if ((event.kind === 'sdp_offer' || event.kind === 'sdp_answer') && typeof event.data.sdp !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['data', 'sdp'], message: `${event.kind} needs data.sdp` });
    }
  });
export type SessionEvent = z.infer<typeof sessionEventSchema>;
