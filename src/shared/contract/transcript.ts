// One transcript entry: its kinds, the rules between its fields, and its wire shape (snake_case, as the
// interview-transcript function takes it). The kiosk's camelCase schema and the function's wire schema
// both apply `entryRuleIssues`, so an entry main accepts is one the server accepts.
import { z } from 'zod';
import { MAX_ENTRY_TEXT, MAX_HEARD_MS, MAX_ITEM_ID, MAX_SEQ, MAX_UPLOAD_BATCH } from './limits';

export const speakerSchema = z.enum(['candidate', 'interviewer']);
export type Speaker = z.infer<typeof speakerSchema>;

/**
 * How a turn ended: `final` text as transcribed, `failed` when the provider could not transcribe the
 * candidate (the turn is kept, its text empty or partial), `interrupted` when the candidate cut the
 * interviewer off (text is what was heard before the cut).
 */
export const entryStatusSchema = z.enum(['final', 'failed', 'interrupted']);
export type EntryStatus = z.infer<typeof entryStatusSchema>;

/** The fields the rules look at, named as the kiosk names them. */
export interface EntryRuleFields {
  id: string;
  seq: number;
  speaker: Speaker;
  status: EntryStatus;
  text: string;
  generatedText?: string | null;
  heardMs?: number | null;
  heardEstimated?: boolean;
  corrects?: string | null;
}
export type EntryRuleField = 'text' | 'status' | 'generatedText' | 'heardMs' | 'heardEstimated' | 'corrects';
export interface EntryRuleIssue {
  field: EntryRuleField;
  message: string;
}

/** Set on the wire means neither absent nor null. */
function isSet<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

/** Counted as Postgres counts `length(text)`: code points, not UTF-16 units. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The rules between fields of one entry, each reported on the field that breaks it. */
export function entryRuleIssues(entry: EntryRuleFields): EntryRuleIssue[] {
  const issues: EntryRuleIssue[] = [];
  const name = `entry ${entry.id} (seq ${entry.seq})`;
  if (!(entry.speaker === 'interviewer' && entry.status === 'interrupted')) {
    const what = `a ${entry.speaker} entry with status ${entry.status}`;
    const heardFields: Array<[EntryRuleField, boolean]> = [
      ['generatedText', isSet(entry.generatedText)],
      ['heardMs', isSet(entry.heardMs)],
      ['heardEstimated', entry.heardEstimated === true],
    ];
    for (const [field, present] of heardFields) {
      if (present) issues.push({ field, message: `${name}: heard and generated text belong to interrupted interviewer turns only, not ${what}` });
    }
  }
  if (isSet(entry.generatedText) && codePoints(entry.text) > codePoints(entry.generatedText)) {
    issues.push({ field: 'text', message: `${name}: the heard text cannot be longer than the generated text` });
  }
  if (isSet(entry.corrects)) {
    if (entry.status !== 'final') {
      issues.push({ field: 'status', message: `${name}: a correction is a final entry, not ${entry.status}` });
    }
    if (entry.corrects.toLowerCase() === entry.id.toLowerCase()) {
      issues.push({ field: 'corrects', message: `${name}: an entry cannot correct itself` });
    }
  }
  return issues;
}

/** The entry as interview-transcript takes it. null is the same as absent for the optional fields. */
export const transcriptEntryWireSchema = z.object({
  id: z.uuid(),
  seq: z.number().int().min(0).max(MAX_SEQ),
  speaker: speakerSchema,
  text: z.string().max(MAX_ENTRY_TEXT),
  timestamp: z.iso.datetime({ offset: true }),
  confidence: z.number().min(0).max(1).nullable(),
  status: entryStatusSchema,
  item_id: z.string().min(1).max(MAX_ITEM_ID).optional(),
  generated_text: z.string().max(MAX_ENTRY_TEXT).nullable().optional(),
  heard_ms: z.number().int().min(0).max(MAX_HEARD_MS).nullable().optional(),
  heard_estimated: z.boolean().optional(),
  corrects: z.uuid().nullable().optional(),
});
export type TranscriptEntryWire = z.infer<typeof transcriptEntryWireSchema>;

const wireField: Record<EntryRuleField, keyof TranscriptEntryWire> = {
  text: 'text',
  status: 'status',
  generatedText: 'generated_text',
  heardMs: 'heard_ms',
  heardEstimated: 'heard_estimated',
  corrects: 'corrects',
};

/** The rules of one upload batch: each entry's own, ids unique, seqs unique (a correction shares its target's). */
export function transcriptBatchIssues(entries: TranscriptEntryWire[]): Array<{ path: Array<string | number>; message: string }> {
  const issues: Array<{ path: Array<string | number>; message: string }> = [];
  const ids = new Set<string>();
  // A correction shares its seq with the stand-in it replaces, which may travel in the same batch.
  const plainSeqs = new Set<number>();
  const correctionSeqs = new Set<number>();
  for (const [index, entry] of entries.entries()) {
    const seqs = isSet(entry.corrects) ? correctionSeqs : plainSeqs;
    const id = entry.id.toLowerCase();
    if (ids.has(id)) issues.push({ path: [index, 'id'], message: 'repeated id in batch' });
    if (seqs.has(entry.seq)) issues.push({ path: [index, 'seq'], message: 'repeated seq in batch' });
    ids.add(id);
    seqs.add(entry.seq);
    const fields: EntryRuleFields = {
      id: entry.id,
      seq: entry.seq,
      speaker: entry.speaker,
      status: entry.status,
      text: entry.text,
      generatedText: entry.generated_text,
      heardMs: entry.heard_ms,
      heardEstimated: entry.heard_estimated,
      corrects: entry.corrects,
    };
    for (const issue of entryRuleIssues(fields)) issues.push({ path: [index, wireField[issue.field]], message: issue.message });
  }
  return issues;
}

/** An upload batch of entries, in the order the kiosk committed them. */
export const transcriptBatchWireSchema = z
  .array(transcriptEntryWireSchema)
  .min(1)
  .max(MAX_UPLOAD_BATCH)
  .superRefine((entries, context) => {
    for (const issue of transcriptBatchIssues(entries)) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

/** The kiosk's entry (camelCase, absent for unset) as the function takes it. */
export function toTranscriptWire(entry: EntryRuleFields & { timestamp: string; confidence?: number | null; itemId?: string }): TranscriptEntryWire {
  return {
    id: entry.id,
    seq: entry.seq,
    speaker: entry.speaker,
    text: entry.text,
    timestamp: entry.timestamp,
    confidence: entry.confidence ?? null,
    status: entry.status,
    ...(entry.itemId === undefined ? {} : { item_id: entry.itemId }),
    ...(isSet(entry.generatedText) ? { generated_text: entry.generatedText } : {}),
    ...(isSet(entry.heardMs) ? { heard_ms: entry.heardMs } : {}),
    ...(entry.heardEstimated === undefined ? {} : { heard_estimated: entry.heardEstimated }),
    ...(isSet(entry.corrects) ? { corrects: entry.corrects } : {}),
  };
}
