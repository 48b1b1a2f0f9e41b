// The kiosk validates entries in camelCase at main's IPC boundary, the function in snake_case on the
// wire: both apply the contract's rules, so main never queues an entry the server will refuse.
import { describe, expect, it } from 'vitest';
import { MAX_ENTRY_TEXT, MAX_UPLOAD_BATCH, toTranscriptWire, transcriptBatchWireSchema } from '../../../src/shared/contract';
import { transcriptEntrySchema, type TranscriptEntry } from '../../../src/shared/domain/transcript';

const base: TranscriptEntry = {
  id: '0192f0a0-0000-7000-8000-000000000001',
  seq: 3,
  speaker: 'interviewer',
  text: 'Tell me about',
  timestamp: '2026-12-04T09:00:00.000Z',
  confidence: null,
  status: 'interrupted',
};

const cases: Array<[string, Partial<TranscriptEntry>]> = [
  ['a plain final candidate turn', { speaker: 'candidate', status: 'final' }],
  ['an interrupted interviewer turn with heard and generated text', { generatedText: 'Tell me about your last project.', heardMs: 900, heardEstimated: true }],
  ['heard fields on a candidate turn', { speaker: 'candidate', status: 'final', heardMs: 900 }],
  ['heard fields on a final interviewer turn', { status: 'final', generatedText: 'Tell me about it.' }],
  ['heard text longer than generated text', { generatedText: 'Tell' }],
  ['a correction that is final', { speaker: 'candidate', status: 'final', corrects: '0192f0a0-0000-7000-8000-000000000002' }],
  ['a correction that is not final', { speaker: 'candidate', status: 'failed', corrects: '0192f0a0-0000-7000-8000-000000000002' }],
  ['a correction of itself', { speaker: 'candidate', status: 'final', corrects: '0192f0a0-0000-7000-8000-000000000001' }],
  ['text at the cap', { speaker: 'candidate', status: 'final', text: 'a'.repeat(MAX_ENTRY_TEXT) }],
  ['text over the cap', { speaker: 'candidate', status: 'final', text: 'a'.repeat(MAX_ENTRY_TEXT + 1) }],
];

describe('the transcript contract', () => {
  it.each(cases)('main and the function agree on %s', (_name, change) => {
    const entry = { ...base, ...change };
    const kiosk = transcriptEntrySchema.safeParse(entry).success;
    const wire = transcriptBatchWireSchema.safeParse([toTranscriptWire(entry)]).success;
    expect(wire).toBe(kiosk);
  });

  it('accepts the good cases and refuses the bad ones (the agreement above is not vacuous)', () => {
    const accepted = cases.filter(([, change]) => transcriptEntrySchema.safeParse({ ...base, ...change }).success).map(([name]) => name);
    expect(accepted).toEqual(['a plain final candidate turn', 'an interrupted interviewer turn with heard and generated text', 'a correction that is final', 'text at the cap']);
  });

  it('refuses a batch over the upload size, and a repeated id or seq in one batch', () => {
    const entry = (seq: number, id = `0192f0a0-0000-7000-8000-${String(seq).padStart(12, '0')}`) =>
      toTranscriptWire({ ...base, speaker: 'candidate', status: 'final', seq, id });
    const full = Array.from({ length: MAX_UPLOAD_BATCH }, (_, seq) => entry(seq));
    expect(transcriptBatchWireSchema.safeParse(full).success).toBe(true);
    expect(transcriptBatchWireSchema.safeParse([...full, entry(MAX_UPLOAD_BATCH)]).success).toBe(false);
    const repeatedSeq = transcriptBatchWireSchema.safeParse([entry(1), entry(1, '0192f0a0-0000-7000-8000-00000000aaaa')]);
    expect(repeatedSeq.error?.issues.map((issue) => issue.path)).toEqual([[1, 'seq']]);
    const repeatedId = transcriptBatchWireSchema.safeParse([entry(1), entry(2, entry(1).id)]);
    expect(repeatedId.error?.issues.map((issue) => issue.path)).toEqual([[1, 'id']]);
  });
});
