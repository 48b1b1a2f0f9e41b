import { z } from 'zod';

/** The backend refuses sequence numbers above this (supabase migration …000500). */
export const MAX_SEQ = 100_000;

export const speakerSchema = z.enum(['candidate', 'interviewer']);
export type Speaker = z.infer<typeof speakerSchema>;

/**
 * How a turn ended: `final` text as transcribed, `failed` when the provider could not transcribe the
 * candidate (the turn is kept, its text empty or partial), `interrupted` when the candidate cut the
 * interviewer off (text is what was spoken before the cut).
 */
export const entryStatusSchema = z.enum(['final', 'failed', 'interrupted']);
export type EntryStatus = z.infer<typeof entryStatusSchema>;

/** One committed transcript entry; `id` (uuid v7, made by the renderer) and `seq` make it idempotent. */
export const transcriptEntrySchema = z.object({
  id: z.uuid(),
  /** Bounded like the backend's: far above any real interview. */
  seq: z.number().int().min(0).max(MAX_SEQ),
  speaker: speakerSchema,
  text: z.string().max(20_000),
  /** When the turn started, ISO 8601. */
  timestamp: z.iso.datetime({ offset: true }),
  confidence: z.number().min(0).max(1).nullable().optional(),
  status: entryStatusSchema,
  /** The provider's item id, kept for diagnosis and de-duplication after a reconnect. */
  itemId: z.string().max(200).optional(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;
