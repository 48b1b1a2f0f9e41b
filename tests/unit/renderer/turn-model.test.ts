// The turn model on the wire sequences the provider really sends over WebRTC: a reply ends when its
// audio ends, a cut reply keeps what was heard apart from what was generated, and a transcription
// that arrives after its turn was given up on becomes a correction of the stand-in.
import { describe, expect, it } from 'vitest';
import { transcriptEntrySchema, type TranscriptEntry } from '../../../src/shared/domain/transcript';
import { ProviderEventReader } from '../../../src/renderer/realtime/provider-events';
import { TranscriptAssembler } from '../../../src/renderer/realtime/transcript-assembler';
import { heardPrefix } from '../../../src/renderer/realtime/heard-text';

function call(options: { staleTurnMs?: number } = {}) {
  let clock = Date.parse('2026-12-04T09:00:00Z');
  const now = () => clock;
  const reader = new ProviderEventReader({ now });
  const assembler = new TranscriptAssembler({ nextSeq: 0, now, ...options });
  const committed: TranscriptEntry[] = [];
  const collect = () => committed.push(...assembler.takeCommitted());
  return {
    assembler,
    committed,
    /** Each event `gapMs` after the previous one. */
    play(events: unknown[], gapMs = 50) {
      for (const event of events) {
        clock += gapMs;
        assembler.apply(reader.read(event));
        collect();
      }
    },
    wait(ms: number) {
      for (let waited = 0; waited < ms; waited += 500) {
        clock += 500;
        assembler.apply(reader.tick());
        assembler.tick();
        collect();
      }
    },
  };
}

const reply = (id: string, text: string) => [
  { type: 'response.created', response: { id: `resp_${id}`, status: 'in_progress', output: [] } },
  { type: 'response.output_item.added', response_id: `resp_${id}`, output_index: 0, item: { id: `item_${id}`, type: 'message', role: 'assistant', status: 'in_progress' } },
  { type: 'conversation.item.added', previous_item_id: null, item: { id: `item_${id}`, type: 'message', role: 'assistant', status: 'in_progress' } },
  { type: 'output_audio_buffer.started', response_id: `resp_${id}` },
  { type: 'response.output_audio_transcript.delta', response_id: `resp_${id}`, item_id: `item_${id}`, delta: text },
  { type: 'response.output_audio_transcript.done', response_id: `resp_${id}`, item_id: `item_${id}`, transcript: text },
  { type: 'response.output_item.done', response_id: `resp_${id}`, output_index: 0, item: { id: `item_${id}`, status: 'completed', role: 'assistant' } },
  { type: 'response.done', response: { id: `resp_${id}`, status: 'completed', output: [{ id: `item_${id}`, role: 'assistant' }] } },
];

const question = 'I am going to transfer you to a colleague who can help with the rest of your application today.';

describe('interviewer turns end when their audio ends', () => {
  it('stores a reply cut after it finished generating as interrupted, with the heard words and the generated text beside them', () => {
    const { committed, play } = call();
    // The minimal trigger: generation is done, playback is not, the candidate speaks over it.
    play(reply('a', question));
    expect(committed).toEqual([]);
    play([
      { type: 'input_audio_buffer.speech_started', audio_start_ms: 2100, item_id: 'item_u' },
      { type: 'output_audio_buffer.cleared', response_id: 'resp_a' },
      { type: 'conversation.item.truncated', item_id: 'item_a', content_index: 0, audio_end_ms: 1860 },
    ]);
    expect(committed).toHaveLength(1);
    const [entry] = committed;
    expect(entry).toMatchObject({ speaker: 'interviewer', status: 'interrupted', generatedText: question, heardMs: 1860, heardEstimated: true });
    // 1,860 ms at the default 70 ms per character is 26 characters, which end on a word boundary.
    expect(entry!.text).toBe('I am going to transfer you');
    expect(question.startsWith(entry!.text)).toBe(true);
    expect(transcriptEntrySchema.safeParse(entry).success).toBe(true);
  });

  it('claims nothing heard when the cut came before any audio played', () => {
    const { committed, play } = call();
    play(reply('a', question));
    play([
      { type: 'output_audio_buffer.cleared', response_id: 'resp_a' },
      { type: 'conversation.item.truncated', item_id: 'item_a', content_index: 0, audio_end_ms: 0 },
    ]);
    expect(committed[0]).toMatchObject({ status: 'interrupted', text: '', generatedText: question, heardMs: 0 });
  });

  it('claims nothing heard of a reply cancelled before its audio started', () => {
    const { committed, play } = call();
    play([
      { type: 'conversation.item.added', previous_item_id: null, item: { id: 'item_a', type: 'message', role: 'assistant' } },
      { type: 'response.output_audio_transcript.delta', response_id: 'resp_a', item_id: 'item_a', delta: 'Let me ' },
      { type: 'response.done', response: { id: 'resp_a', status: 'cancelled', output: [{ id: 'item_a', role: 'assistant' }] } },
    ]);
    expect(committed[0]).toMatchObject({ status: 'interrupted', text: '', generatedText: 'Let me', heardMs: 0 });
  });

  it('does not commit a long reply while it is still playing, and commits it final once playback stops', () => {
    const { committed, play, wait } = call();
    const long = 'word '.repeat(200).trim();
    play(reply('a', long));
    // Far longer than the turn-end grace: the audio (about 70 s at the default rate) is still playing.
    wait(30_000);
    expect(committed).toEqual([]);
    play([{ type: 'output_audio_buffer.stopped', response_id: 'resp_a' }]);
    expect(committed).toMatchObject([{ status: 'final', text: long }]);
    expect(committed[0]!.generatedText).toBeUndefined();
  });

  it('estimates the cut from this session’s own speaking rate once a reply has played through', () => {
    const { committed, play, wait } = call();
    const first = 'a'.repeat(99);
    play(reply('a', first), 10);
    // 100 characters played in 10 s: 100 ms per character, slower than the 70 ms default.
    wait(10_000);
    play([{ type: 'output_audio_buffer.stopped', response_id: 'resp_a' }], 0);
    play(reply('b', question), 10);
    play([
      { type: 'output_audio_buffer.cleared', response_id: 'resp_b' },
      { type: 'conversation.item.truncated', item_id: 'item_b', content_index: 0, audio_end_ms: 1860 },
    ]);
    const cut = committed.find((entry) => entry.itemId === 'item_b')!;
    // About (10 s + the default's 200 characters at 70 ms) / 299 characters ≈ 80 ms per character: 23
    // characters, and the word the cut fell inside ("you") is not claimed.
    expect(cut.text).toBe('I am going to transfer');
    expect(cut.text.length).toBeLessThan(heardPrefix(question, 1860, 70).length);
  });

  it('cuts a cleared reply whose truncation never came where the wall clock says playback stood', () => {
    const { committed, play, wait } = call();
    play(reply('a', question), 100);
    play([{ type: 'output_audio_buffer.cleared', response_id: 'resp_a' }], 100);
    expect(committed).toEqual([]);
    wait(1_000);
    expect(committed).toEqual([]);
    wait(1_000);
    // Started at the 4th event, cleared 500 ms later.
    expect(committed[0]).toMatchObject({ status: 'interrupted', heardMs: 500, text: heardPrefix(question, 500, 70) });
  });

  it('keeps a reply cut during generation as interrupted with what was generated and heard', () => {
    const { committed, play } = call();
    play([
      { type: 'conversation.item.added', previous_item_id: null, item: { id: 'item_a', type: 'message', role: 'assistant' } },
      { type: 'output_audio_buffer.started', response_id: 'resp_a' },
      { type: 'response.output_audio_transcript.delta', response_id: 'resp_a', item_id: 'item_a', delta: 'Could you tell me more about ' },
      { type: 'output_audio_buffer.cleared', response_id: 'resp_a' },
      { type: 'conversation.item.truncated', item_id: 'item_a', content_index: 0, audio_end_ms: 700 },
      { type: 'response.output_audio_transcript.done', response_id: 'resp_a', item_id: 'item_a', transcript: 'Could you tell me more about' },
      { type: 'response.done', response: { id: 'resp_a', status: 'cancelled', output: [{ id: 'item_a', role: 'assistant', status: 'incomplete' }] } },
    ]);
    expect(committed).toMatchObject([{ status: 'interrupted', text: 'Could you', generatedText: 'Could you tell me more about', heardMs: 700 }]);
  });
});

describe('late transcriptions', () => {
  const candidateTurn = (id: string, previous: string) => [
    { type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: id },
    { type: 'conversation.item.added', previous_item_id: previous, item: { id, type: 'message', role: 'user' } },
  ];

  it('replaces the failed stand-in of a turn given up on with a correction at the same seq', () => {
    const { assembler, committed, play, wait } = call({ staleTurnMs: 15_000 });
    play([...reply('a', 'Tell me about yourself.'), { type: 'output_audio_buffer.stopped', response_id: 'resp_a' }]);
    play(candidateTurn('item_c', 'item_a'));
    play([
      ...reply('b', 'And what brought you here?').map((event) => (event.type === 'conversation.item.added' ? { ...event, previous_item_id: 'item_c' } : event)),
      { type: 'output_audio_buffer.stopped', response_id: 'resp_b' },
    ]);
    wait(16_000);
    expect(committed.map(({ seq, speaker, status, text }) => ({ seq, speaker, status, text }))).toEqual([
      { seq: 0, speaker: 'interviewer', status: 'final', text: 'Tell me about yourself.' },
      { seq: 1, speaker: 'candidate', status: 'failed', text: '' },
      { seq: 2, speaker: 'interviewer', status: 'final', text: 'And what brought you here?' },
    ]);
    const standIn = committed[1]!;
    assembler.markSaved(committed.map((entry) => entry.id));
    play([
      {
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: 'item_c',
        content_index: 0,
        transcript: 'I build offline sync engines.',
        logprobs: [{ token: 'I', logprob: -0.2, bytes: [73] }],
      },
    ]);
    expect(committed).toHaveLength(4);
    const correction = committed[3]!;
    expect(correction).toMatchObject({ seq: 1, speaker: 'candidate', status: 'final', text: 'I build offline sync engines.', corrects: standIn.id, itemId: 'item_c' });
    expect(correction.id).not.toBe(standIn.id);
    expect(correction.confidence).toBeCloseTo(Math.exp(-0.2), 5);
    expect(transcriptEntrySchema.safeParse(correction).success).toBe(true);
    // The screen shows the corrected text, not yet saved; the seed after a reconnect carries it.
    expect(assembler.snapshot()[1]).toMatchObject({ text: 'I build offline sync engines.', state: 'final', saved: false });
    expect(assembler.unsavedCount()).toBe(1);
    expect(assembler.committedEntries()[1]).toBe(correction);
    expect(assembler.lastSeq()).toBe(2);
    // A repeated .completed corrects nothing twice.
    play([{ type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_c', transcript: 'I build offline sync engines.' }]);
    expect(committed).toHaveLength(4);
  });

  it('takes a late text into a failed turn that was not yet committed, without a correction', () => {
    const { committed, play } = call();
    play(candidateTurn('item_c1', 'none'));
    play(candidateTurn('item_c2', 'item_c1'));
    play([
      { type: 'conversation.item.input_audio_transcription.failed', item_id: 'item_c2', error: { message: 'Audio could not be transcribed.' } },
      { type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_c2', transcript: 'Second answer.' },
      { type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_c1', transcript: 'First answer.' },
    ]);
    expect(committed.map(({ seq, status, text, corrects }) => ({ seq, status, text, corrects }))).toEqual([
      { seq: 0, status: 'final', text: 'First answer.', corrects: undefined },
      { seq: 1, status: 'final', text: 'Second answer.', corrects: undefined },
    ]);
  });
});

describe('GPT-Live cut turns', () => {
  it('keeps the fragments played before the cut and estimates the words of the one playing at it', () => {
    const { committed, play, assembler } = call();
    play([
      { type: 'session.output_transcript.delta', start_ms: 0, end_ms: 1_000, delta: 'Welcome back. ' },
      { type: 'session.output_transcript.delta', start_ms: 1_000, end_ms: 4_000, delta: 'What would you change in your last project?' },
      { type: 'session.input_transcript.delta', start_ms: 2_000, end_ms: 3_000, delta: 'Sorry, ' },
    ]);
    assembler.closeAll();
    committed.push(...assembler.takeCommitted());
    expect(committed[0]).toMatchObject({
      status: 'interrupted',
      // The second fragment played for 1 of its 3 s: the 14 characters 'What would you'.
      text: 'Welcome back. What would you',
      generatedText: 'Welcome back. What would you change in your last project?',
      heardMs: 2_000,
      heardEstimated: true,
    });
  });

  it('orders a new call’s turns after the old call’s, although its timeline starts again at 0, and keeps the reply cut by the drop as interrupted', () => {
    const clock = 0;
    const reader = new ProviderEventReader({ now: () => clock });
    const assembler = new TranscriptAssembler({ nextSeq: 0, now: () => clock });
    const read = (event: unknown) => assembler.apply(reader.read(event));
    read({ type: 'session.output_transcript.delta', start_ms: 0, end_ms: 2_000, delta: 'Tell me about yourself.' });
    read({ type: 'session.input_transcript.delta', start_ms: 3_000, end_ms: 9_000, delta: 'I build kiosks.' });
    read({ type: 'session.output_transcript.delta', start_ms: 10_000, end_ms: 14_000, delta: 'What was the hardest' });
    // The call drops mid-reply.
    assembler.apply(reader.closeAllLiveTurns('call-lost'));
    assembler.closeAll();
    // The new call's timeline starts at 0 again.
    read({ type: 'session.output_transcript.delta', start_ms: 0, end_ms: 2_500, delta: 'Sorry, we were cut off. What was the hardest bug?' });
    read({ type: 'session.input_transcript.delta', start_ms: 3_000, end_ms: 5_000, delta: 'A race in the outbox.' });
    assembler.apply(reader.closeAllLiveTurns());
    assembler.closeAll();
    expect(assembler.takeCommitted().map(({ seq, speaker, status, text }) => [seq, speaker, status, text])).toEqual([
      [0, 'interviewer', 'final', 'Tell me about yourself.'],
      [1, 'candidate', 'final', 'I build kiosks.'],
      [2, 'interviewer', 'interrupted', 'What was the hardest'],
      [3, 'interviewer', 'final', 'Sorry, we were cut off. What was the hardest bug?'],
      [4, 'candidate', 'final', 'A race in the outbox.'],
    ]);
  });
});
