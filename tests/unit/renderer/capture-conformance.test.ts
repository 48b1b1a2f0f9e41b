// Conformance of the transcript pipeline (ProviderEventReader → TranscriptAssembler) against real
// recorded Realtime sessions. The expected transcript of each capture is written out below by reading
// the capture (see tests/fixtures/realtime-captures/*.source.md), not by running the code.
import { describe, expect, it } from 'vitest';
import { transcriptEntrySchema, type TranscriptEntry } from '../../../src/shared/domain/transcript';
import { loadCapture, pacingName, replay, type CaptureLine, type Pacing, type ReplayResult } from './capture-replay';

interface ExpectedTurn {
  itemId: string;
  speaker: 'candidate' | 'interviewer';
  /**
   * `final` / `failed` for the candidate as the transcription ended; for the interviewer `final` when its
   * audio played to the end, `interrupted` when the capture cut it (output_audio_buffer.cleared for its
   * response and/or conversation.item.truncated for the item).
   */
  status: 'final' | 'failed' | 'interrupted';
  /** The capture's transcript of the turn (a candidate's with the transcriber's trailing newline trimmed). */
  transcript: string;
  /** The truncation's audio_end_ms, for an interviewer turn the capture truncated. */
  heardMs?: number;
}

interface Capture {
  name: string;
  expected: ExpectedTurn[];
  /** The capture carries transcription logprobs, so candidate entries must carry a confidence. */
  logprobs: boolean;
}

const bargeIns: ExpectedTurn[] = [
  // Generated completely (response.done completed) and then cut while it was still playing.
  { itemId: 'item_BaPscatps2ko5ZWLbbd3V', speaker: 'interviewer', status: 'interrupted', transcript: 'Hi there! Thank you for calling. My name is Sarah. How can I assist you with your billing issue today?', heardMs: 4000 },
  { itemId: 'item_BaPsh0Ewuakl69EPmWyIq', speaker: 'candidate', status: 'final', transcript: 'Go with that.' },
  { itemId: 'item_BaPshXGi8GvHWZeZWLcq6', speaker: 'interviewer', status: 'final', transcript: "I'm here to help! What can I do for you today?" },
  { itemId: 'item_BaPtA9L96urRgfMeIABVJ', speaker: 'candidate', status: 'final', transcript: 'Hello' },
  { itemId: 'item_BaPtBKbZlAL2CCmIhuRwA', speaker: 'interviewer', status: 'final', transcript: 'Alright, it sounds like you might be having some trouble. How about we start by talking about your billing issue?' },
  { itemId: 'item_BaPtKQrEfkiEYVHFbw1Eq', speaker: 'candidate', status: 'final', transcript: 'Um...' },
  { itemId: 'item_BaPtLNBykyOBMrRSyThu5', speaker: 'candidate', status: 'final', transcript: 'Can I talk to your supervisor?' },
  // Its output item was done (completed) before the cut; the response then ended cancelled.
  { itemId: 'item_BaPtMEV88GXXAoh2ou0Zp', speaker: 'interviewer', status: 'interrupted', transcript: "I understand you'd like to speak with a supervisor. I'll transfer you to my supervisor, Marco, who can assist you further. Please give me a moment.", heardMs: 2460 },
  { itemId: 'item_BaPtPuO0nN5xZuigb5Qav', speaker: 'candidate', status: 'final', transcript: "I just can't get over it." },
  { itemId: 'item_BaPtQZLcXOfdj0HWK12mi', speaker: 'candidate', status: 'final', transcript: 'Yeah.' },
  { itemId: 'item_BaPtRNjvJHF1DHtZbfEhw', speaker: 'candidate', status: 'final', transcript: 'Okay.' },
  { itemId: 'item_BaPtRVrWOjQ8ccr91r1xd', speaker: 'interviewer', status: 'interrupted', transcript: "I understand this is frustrating. To best help you with this, I'm going to transfer you to my supervisor, Marco. Please", heardMs: 1680 },
  { itemId: 'item_BaPtTxZSbMFYXQjTrlCtc', speaker: 'candidate', status: 'final', transcript: 'pfft' },
  // Cut before any of its audio played.
  { itemId: 'item_BaPtUZfxHwFFLK5kXZr0p', speaker: 'interviewer', status: 'interrupted', transcript: "I'm going to transfer", heardMs: 0 },
  { itemId: 'item_BaPtVGVbzht3q18x9GmLb', speaker: 'candidate', status: 'final', transcript: 'Is that, is that how they usually talk to the computer?' },
  { itemId: 'item_BaPtZl1LVHXLnPB9WNzZ6', speaker: 'candidate', status: 'final', transcript: 'Yeah' },
  { itemId: 'item_BaPtaOCkNJBMKTaklmBnQ', speaker: 'interviewer', status: 'interrupted', transcript: 'Okay, to best', heardMs: 20 },
  { itemId: 'item_BaPtbexeqwNp8ecrSQBds', speaker: 'candidate', status: 'final', transcript: 'Heh.' },
  // Played to the end (output_audio_buffer.stopped), followed by a function call in the same response.
  { itemId: 'item_BaPtcIcpHlzzNVveSqnRA', speaker: 'interviewer', status: 'final', transcript: "I understand this is frustrating. To best help you with this, I'm going to transfer you to my supervisor, Marco. Please allow me a moment to do that." },
];

const cutAfterDone: ExpectedTurn[] = [
  { itemId: 'item_BaU74LY2Poiq8lBMVXZ4R', speaker: 'interviewer', status: 'interrupted', transcript: 'Hi there! Thank you for calling. My name is Sarah. How can I assist you with your billing today?', heardMs: 1860 },
  { itemId: 'item_BaU77Slsnn0R5n45bdlkP', speaker: 'candidate', status: 'final', transcript: 'Bye.' },
  { itemId: 'item_BaU77gURroD7wPnxSkMC8', speaker: 'interviewer', status: 'final', transcript: "I'm sorry, I didn't catch that. How can I assist you today?" },
];

const failedItem = 'item_BaPtPuO0nN5xZuigb5Qav';

const captures: Capture[] = [
  { name: 'banyan-webrtc-beta-barge-ins', expected: bargeIns, logprobs: false },
  { name: 'banyan-webrtc-beta-cut-after-done', expected: cutAfterDone, logprobs: false },
  { name: 'derived-ga-names-barge-ins', expected: bargeIns, logprobs: false },
  { name: 'derived-ga-names-cut-after-done', expected: cutAfterDone, logprobs: false },
  {
    name: 'derived-failed-transcription',
    expected: bargeIns.map((turn) => (turn.itemId === failedItem ? { ...turn, status: 'failed' } : turn)),
    logprobs: false,
  },
];

const pacings: Pacing[] = [
  { kind: 'fixed', gapMs: 5 },
  { kind: 'fixed', gapMs: 200 },
  { kind: 'capture-clock', stepMs: 5 },
];

const words = (text: string) => text.split(/\s+/).filter((word) => word !== '');

/** The whole words `text` is made of are the first words of `whole`. */
function isWordPrefix(text: string, whole: string): boolean {
  const head = words(text);
  const all = words(whole);
  return head.length <= all.length && head.every((word, index) => word === all[index]);
}

const typeOf = (line: CaptureLine) => line.event.type;
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

describe.each(captures)('capture $name', ({ name, expected, logprobs }) => {
  const lines = loadCapture(name);

  it('the expected transcript is what the capture says', () => {
    for (const turn of expected) {
      const own = lines.filter((line) => line.event.item_id === turn.itemId || (line.event.item as { id?: unknown } | undefined)?.id === turn.itemId);
      expect(own.length, turn.itemId).toBeGreaterThan(0);
      if (turn.speaker === 'candidate') {
        const completed = own.find((line) => typeOf(line) === 'conversation.item.input_audio_transcription.completed');
        const failed = own.find((line) => typeOf(line) === 'conversation.item.input_audio_transcription.failed');
        expect(turn.status, turn.itemId).toBe(failed ? 'failed' : 'final');
        if (!failed) expect(str(completed?.event.transcript)?.trim(), turn.itemId).toBe(turn.transcript);
      } else {
        const done = own.find((line) => typeOf(line) === 'response.audio_transcript.done' || typeOf(line) === 'response.output_audio_transcript.done');
        expect(str(done?.event.transcript), turn.itemId).toBe(turn.transcript);
        const truncated = own.find((line) => typeOf(line) === 'conversation.item.truncated');
        const responseId = str(done?.event.response_id);
        const cleared = lines.some((line) => typeOf(line) === 'output_audio_buffer.cleared' && line.event.response_id === responseId);
        expect(turn.status, turn.itemId).toBe(truncated || cleared ? 'interrupted' : 'final');
        expect(turn.heardMs, turn.itemId).toBe(truncated?.event.audio_end_ms);
      }
    }
    const messageItems = new Set(
      lines
        .filter((line) => ['conversation.item.created', 'conversation.item.added'].includes(typeOf(line)))
        .map((line) => line.event.item as { id: string; type?: string })
        .filter((item) => item.type === 'message')
        .map((item) => item.id),
    );
    expect(new Set(expected.map((turn) => turn.itemId))).toEqual(messageItems);
  });

  describe.each(pacings)('replayed with $kind pacing', (pacing) => {
    const label = pacingName(pacing);
    let result: ReplayResult | undefined;
    const run = (): ReplayResult => (result ??= replay(lines, pacing));
    const byItem = (entries: TranscriptEntry[], itemId: string) => entries.filter((entry) => entry.itemId === itemId);

    it(`every entry passes the transcript entry schema (${label})`, () => {
      for (const entry of run().entries) expect(transcriptEntrySchema.safeParse(entry).error?.issues ?? [], JSON.stringify(entry)).toEqual([]);
    });

    it(`seqs run from 0 without a gap and every id is new (${label})`, () => {
      const { entries } = run();
      expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index));
      expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    });

    it(`every utterance appears exactly once, in conversation order, with its speaker (${label})`, () => {
      const { entries } = run();
      expect(entries.map((entry) => [entry.itemId, entry.speaker])).toEqual(expected.map((turn) => [turn.itemId, turn.speaker]));
    });

    // Each rule compares whole lists, so one failing turn does not hide the others.
    it(`candidate turns are final with their transcript, or failed (${label})`, () => {
      const { entries } = run();
      const turns = expected.filter((turn) => turn.speaker === 'candidate');
      const seen = turns.map((turn) => {
        const found = byItem(entries, turn.itemId);
        const entry = found[0];
        // A failed turn keeps what was streamed before the failure, or nothing.
        const text = turn.status === 'final' ? entry?.text : isWordPrefix(entry?.text ?? '', turn.transcript) ? 'a word prefix' : entry?.text;
        return { itemId: turn.itemId, count: found.length, status: entry?.status, text };
      });
      expect(seen).toEqual(turns.map((turn) => ({ itemId: turn.itemId, count: 1, status: turn.status, text: turn.status === 'final' ? turn.transcript : 'a word prefix' })));
    });

    it(`interviewer turns played to the end are final with the whole transcript (${label})`, () => {
      const { entries } = run();
      const turns = expected.filter((turn) => turn.speaker === 'interviewer' && turn.status === 'final');
      const seen = turns.map((turn) => {
        const found = byItem(entries, turn.itemId);
        const entry = found[0];
        return { itemId: turn.itemId, count: found.length, status: entry?.status, text: entry?.text, generatedText: entry?.generatedText, heardMs: entry?.heardMs };
      });
      expect(seen).toEqual(turns.map((turn) => ({ itemId: turn.itemId, count: 1, status: 'final', text: turn.transcript, generatedText: undefined, heardMs: undefined })));
    });

    it(`interviewer turns cut off are interrupted, with what was heard estimated from audio_end_ms (${label})`, () => {
      const { entries } = run();
      const turns = expected.filter((turn) => turn.speaker === 'interviewer' && turn.status === 'interrupted');
      const seen = turns.map((turn) => {
        const found = byItem(entries, turn.itemId);
        const entry = found[0];
        const text = entry?.text ?? '';
        // Nothing was heard of a turn cut at 0 ms; otherwise the estimate ends on a word boundary.
        const heardOk = turn.heardMs === 0 ? text === '' : isWordPrefix(text, turn.transcript);
        return {
          itemId: turn.itemId,
          count: found.length,
          status: entry?.status,
          generatedText: entry?.generatedText,
          heardMs: entry?.heardMs,
          heardEstimated: entry?.heardEstimated,
          text: heardOk ? 'heard words' : text,
        };
      });
      expect(seen).toEqual(
        turns.map((turn) => ({ itemId: turn.itemId, count: 1, status: 'interrupted', generatedText: turn.transcript, heardMs: turn.heardMs, heardEstimated: true, text: 'heard words' })),
      );
    });

    it(`candidate confidence is ${logprobs ? 'in [0, 1]' : 'null: the capture has no logprobs'} (${label})`, () => {
      const { entries } = run();
      for (const entry of entries.filter((candidate) => candidate.speaker === 'candidate')) {
        if (logprobs && entry.status === 'final') {
          expect(entry.confidence, entry.itemId).toBeGreaterThanOrEqual(0);
          expect(entry.confidence, entry.itemId).toBeLessThanOrEqual(1);
        } else {
          expect(entry.confidence ?? null, entry.itemId).toBeNull();
        }
      }
    });

    it(`a capture in which every turn ended is committed before the interview is closed (${label})`, () => {
      const { entries, committedBeforeClose } = run();
      expect(entries.slice(committedBeforeClose).map((entry) => entry.itemId)).toEqual([]);
    });
  });
});
