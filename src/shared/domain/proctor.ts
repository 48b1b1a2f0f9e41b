import { z } from 'zod';
import { endReasonSchema } from './interview';

/** The proctor's quit PIN: 6 to 64 ASCII digits (4 digits fell to an offline search in seconds). */
export const PROCTOR_PIN_MIN_DIGITS = 6;
export const proctorPinSchema = z
  .string()
  .regex(/^[0-9]*$/, 'The proctor PIN is digits only.')
  .min(PROCTOR_PIN_MIN_DIGITS, `The proctor PIN has at least ${PROCTOR_PIN_MIN_DIGITS} digits.`)
  .max(64, 'The proctor PIN has at most 64 digits.');

export const proctorStatusSchema = z.object({
  signedIn: z.boolean(),
  email: z.string().nullable(),
  /** Interview currently running on this kiosk, if any. */
  activeInterviewSessionId: z.uuid().nullable(),
});
export type ProctorStatus = z.infer<typeof proctorStatusSchema>;

/** What the proctor did to the running interview so far (main's copy; the log in Postgres has each act). */
export const proctorOperationsSchema = z.object({
  interviewSessionId: z.uuid(),
  paused: z.boolean(),
  extraMinutes: z.number().int().nonnegative(),
  identityConfirmed: z.boolean(),
  incidents: z.number().int().nonnegative(),
});
export type ProctorOperations = z.infer<typeof proctorOperationsSchema>;

export const scheduledInterviewSchema = z.object({
  id: z.uuid(),
  candidateName: z.string(),
  positionTitle: z.string(),
  scheduledAt: z.iso.datetime({ offset: true }),
  status: z.enum(['scheduled', 'in_progress', 'completed', 'cancelled', 'failed']),
  /** How an ended interview ended, as the backend stored it; null before the end. */
  endReason: endReasonSchema.nullable(),
});
export type ScheduledInterview = z.infer<typeof scheduledInterviewSchema>;
