// Why an interview ended, as the kiosk reports it to interview-end and the server stores it.
import { z } from 'zod';

export const endReasonSchema = z.enum(['completed', 'time_limit', 'proctor', 'candidate_left', 'error']);
export type EndReason = z.infer<typeof endReasonSchema>;
