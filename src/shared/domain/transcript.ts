import { z } from 'zod';

/** The backend refuses sequence numbers above this (supabase migration …000500). */
export const MAX_SEQ = 100_000;
/** The longest entry text main and the backend accept; a longer turn keeps its start. */
export const MAX_ENTRY_TEXT = 20_000;
/** Ten hours: far above any real turn's audio. */
export const MAX_HEARD_MS = 36_000_000;

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
  text: z.string().max(MAX_ENTRY_TEXT),
  /** When the turn started, ISO 8601. */
  timestamp: z.iso.datetime({ offset: true }),
  confidence: z.number().min(0).max(1).nullable().optional(),
  status: entryStatusSchema,
  /** The provider's item id, kept for diagnosis and de-duplication after a reconnect. */
  itemId: z.string().min(1).max(200).optional(),
  /**
   * An interrupted interviewer turn: `text` is what the candidate heard before the cut, `generatedText`
   * everything the model produced, `heardMs` how much of its audio played. `heardEstimated` says the cut
   * in the text was estimated from `heardMs` (the provider does not say which words were played).
   */
  generatedText: z.string().max(MAX_ENTRY_TEXT).optional(),
  heardMs: z.number().int().min(0).max(MAX_HEARD_MS).optional(),
  heardEstimated: z.boolean().optional(),
  /** This entry is the late transcript of the failed stand-in with this entry id (same seq and speaker). */
  corrects: z.uuid().optional(),
}).superRefine((entry, context) => {
  const heard = entry.generatedText !== undefined || entry.heardMs !== undefined || entry.heardEstimated !== undefined;
  if (heard && !(entry.speaker === 'interviewer' && entry.status === 'interrupted')) {
    context.addIssue({ code: 'custom', path: ['generatedText'], message: 'heard and generated text belong to interrupted interviewer turns only' });
  }
  if (entry.generatedText !== undefined && entry.text.length > entry.generatedText.length) {
    context.addIssue({ code: 'custom', path: ['text'], message: 'the heard text cannot be longer than the generated text' });
  }
  if (entry.corrects !== undefined && (entry.status !== 'final' || entry.corrects === entry.id)) {
    context.addIssue({ code: 'custom', path: ['corrects'], message: 'a correction is a final entry that names another entry' });
  }
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;
