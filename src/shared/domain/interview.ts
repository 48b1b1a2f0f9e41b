import { z } from 'zod';
import { MAX_ENTRY_TEXT } from '../contract/limits';
import { transcriptEntrySchema } from './transcript';

/** The centre's consent text, as long as an entry's. */
const MAX_CONSENT_TEXT = MAX_ENTRY_TEXT;

export { endReasonSchema, type EndReason } from '../contract/interview-end';
export {
  PROCTOR_ACTIONS,
  sessionEventKindSchema,
  sessionEventSchema,
  type ProctorAction,
  type SessionEvent,
  type SessionEventKind,
} from '../contract/session-log';

export const interviewPoliciesSchema = z.object({
  maxDurationMinutes: z.number().int().min(1).max(240),
  consentText: z.string().min(1).max(MAX_CONSENT_TEXT),
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
  /** The realtime session config, signed by the backend and encrypted for the tenant's proxy: unreadable to the kiosk. */
  sessionConfigToken: z.string().min(1),
  policies: interviewPoliciesSchema,
  /** The next transcript seq to use: non-zero when main resumes an interview after a renderer crash. */
  nextSeq: z.number().int().nonnegative(),
  startedAt: z.iso.datetime({ offset: true }),
});
export type InterviewLaunch = z.infer<typeof interviewLaunchSchema>;

/**
 * A fresh pass for one (re)connection of the proxy socket: main fetches it from the backend for every
 * connection, so a connection after the interview ended on the server is refused there.
 */
export const proxyPassSchema = z.object({
  url: z.url({ protocol: /^wss?$/ }),
  token: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
  sessionConfigToken: z.string().min(1),
});
export type ProxyPass = z.infer<typeof proxyPassSchema>;

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
