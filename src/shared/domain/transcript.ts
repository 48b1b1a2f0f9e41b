import { z } from 'zod';
import { MAX_ENTRY_TEXT, MAX_HEARD_MS, MAX_ITEM_ID, MAX_SEQ } from '../contract/limits';
import { entryRuleIssues, entryStatusSchema, speakerSchema } from '../contract/transcript';

export { MAX_ENTRY_TEXT, MAX_HEARD_MS, MAX_SEQ } from '../contract/limits';
export { entryStatusSchema, speakerSchema, type EntryStatus, type Speaker } from '../contract/transcript';

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
  itemId: z.string().min(1).max(MAX_ITEM_ID).optional(),
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
  for (const issue of entryRuleIssues(entry)) context.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;
