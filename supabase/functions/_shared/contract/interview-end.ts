// GENERATED from src/shared/contract/interview-end.ts by `npm run contract:copy`: edit the source, not this copy.
// Why an interview ended, as the kiosk reports it to interview-end and the server stores it.
import { z } from 'npm:zod@4.6.7';

export const endReasonSchema = z.enum(['completed', 'time_limit', 'proctor', 'candidate_left', 'error']);
export type EndReason = z.infer<typeof endReasonSchema>;
