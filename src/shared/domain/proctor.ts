import { z } from 'zod';

export const proctorStatusSchema = z.object({
  signedIn: z.boolean(),
  email: z.string().nullable(),
  /** Interview currently running on this kiosk, if any. */
  activeInterviewSessionId: z.uuid().nullable(),
});
export type ProctorStatus = z.infer<typeof proctorStatusSchema>;

export const scheduledInterviewSchema = z.object({
  id: z.uuid(),
  candidateName: z.string(),
  positionTitle: z.string(),
  scheduledAt: z.iso.datetime({ offset: true }),
  status: z.enum(['scheduled', 'in_progress', 'completed', 'cancelled', 'failed']),
});
export type ScheduledInterview = z.infer<typeof scheduledInterviewSchema>;
