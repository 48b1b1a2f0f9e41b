import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transcriptEntrySchema, type TranscriptEntry } from '../../../src/shared/domain/transcript';
import { ProviderEventReader, type TranscriptSignal } from '../../../src/renderer/realtime/provider-events';
import { TranscriptAssembler } from '../../../src/renderer/realtime/transcript-assembler';

interface ExpectedEntry {
  speaker: string;
  status: string;
  text: string;
  itemId?: string;
}
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../renderer/fixtures/${name}`, import.meta.url), 'utf8')) as T;
const ga = fixture<{ events: unknown[]; expected: ExpectedEntry[]; heard: Record<string, Partial<TranscriptEntry>> }>('realtime-ga-interview.json');
const reconnect = fixture<{ beforeDrop: unknown[]; repeatedAfterDrop: unknown[]; newCall: unknown[] }>('realtime-ga-reconnect.json');
const live = fixture<{ events: unknown[]; expected: ExpectedEntry[] }>('gpt-live-interview.json');

function harness(nextSeq = 0) {
  let clock = Date.parse('2026-11-27T09:00:00Z');
  const reader = new ProviderEventReader();
  const assembler = new TranscriptAssembler({ nextSeq, now: () => clock });
  const committed: TranscriptEntry[] = [];
  const feed = (events: unknown[]) => {
    for (const event of events) {
      clock += 100;
      assembler.apply(reader.read(event));
      committed.push(...assembler.takeCommitted());
    }
  };
  const advance = (ms: number) => {
    clock += ms;
    assembler.tick();
    committed.push(...assembler.takeCommitted());
  };
  return { reader, assembler, committed, feed, advance };
}

const shape = (entries: TranscriptEntry[]) => entries.map(({ speaker, status, text, itemId }) => ({ speaker, status, text, itemId }));

describe('transcript assembler on Realtime GA events', () => {
  it('orders turns by the provider item order, keeps failed and interrupted turns, and commits valid entries with consecutive seqs', () => {
    const { committed, feed } = harness(7);
    feed(ga.events);
    expect(shape(committed)).toEqual(ga.expected);
    expect(committed.map((entry) => entry.seq)).toEqual([7, 8, 9, 10, 11, 12]);
    for (const entry of committed) expect(transcriptEntrySchema.safeParse(entry).success).toBe(true);
    expect(new Set(committed.map((entry) => entry.id)).size).toBe(committed.length);
    expect(committed.every((entry) => /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(entry.id))).toBe(true);
  });

  it('keeps what the candidate heard of a cut reply as its text, with the generated text and the heard duration beside it', () => {
    const { committed, feed } = harness();
    feed(ga.events);
    for (const [itemId, heard] of Object.entries(ga.heard)) {
      const entry = committed.find((candidate) => candidate.itemId === itemId)!;
      expect(entry).toMatchObject(heard);
      expect(entry.generatedText!.startsWith(entry.text)).toBe(true);
      expect(entry.text.length).toBeLessThan(entry.generatedText!.length);
    }
    // Replies played to their end carry no heard fields.
    for (const entry of committed.filter((candidate) => candidate.status === 'final')) expect(entry.generatedText).toBeUndefined();
  });

  it('holds the interviewer reply back until the late candidate transcript before it has arrived', () => {
    const { committed, feed } = harness();
    const lateAt = ga.events.findIndex((event) => (event as { type: string }).type === 'conversation.item.input_audio_transcription.completed');
    feed(ga.events.slice(0, lateAt));
    expect(shape(committed).map((entry) => entry.itemId)).toEqual(['item_a1']);
    feed(ga.events.slice(lateAt, lateAt + 1));
    expect(shape(committed).map((entry) => entry.itemId)).toEqual(['item_a1', 'item_c1', 'item_a2']);
  });

  it('shows deltas live before the turn is committed', () => {
    const { assembler, feed } = harness();
    feed(ga.events.slice(0, 7));
    const [turn] = assembler.snapshot();
    expect(turn).toMatchObject({ itemId: 'item_a1', text: 'Hello Ada, tell me about yourself.', state: 'live', entry: null });
  });

  it('takes the confidence from the transcription logprobs', () => {
    const { committed, feed } = harness();
    feed(ga.events);
    const answer = committed.find((entry) => entry.itemId === 'item_c1')!;
    expect(answer.confidence).toBeCloseTo(Math.exp(-0.1), 5);
    expect(committed.find((entry) => entry.itemId === 'item_a1')!.confidence).toBeNull();
  });

  it('gives up on a candidate transcript that never comes, marking the turn failed instead of blocking the rest', () => {
    const { committed, feed, advance } = harness();
    const withoutLate = ga.events.filter((event) => {
      const { type, item_id } = event as { type: string; item_id?: string };
      return !(item_id === 'item_c1' && type.startsWith('conversation.item.input_audio_transcription'));
    });
    feed(withoutLate.slice(0, 24));
    expect(committed.map((entry) => entry.itemId)).toEqual(['item_a1']);
    advance(20_000);
    expect(shape(committed).slice(0, 3)).toEqual([
      { speaker: 'interviewer', status: 'final', text: 'Hello Ada, tell me about yourself.', itemId: 'item_a1' },
      { speaker: 'candidate', status: 'failed', text: '', itemId: 'item_c1' },
      { speaker: 'interviewer', status: 'final', text: 'Thank you. What drew you to compilers?', itemId: 'item_a2' },
    ]);
  });

  it('commits an interviewer turn whose audio end never arrived once its text is complete and its estimated playing time is over', () => {
    const { committed, feed, advance } = harness();
    feed([ga.events[3], ga.events[7]]);
    expect(committed).toHaveLength(0);
    // 34 characters at the default 70 ms each, with a margin, may still be playing after 3 s.
    advance(3_000);
    expect(committed).toHaveLength(0);
    advance(4_000);
    expect(shape(committed)).toEqual([{ speaker: 'interviewer', status: 'final', text: 'Hello Ada, tell me about yourself.', itemId: 'item_a1' }]);
  });

  it('never duplicates an entry when events repeat after a reconnect, and seq runs on into the new call', () => {
    const { assembler, committed, feed } = harness(3);
    feed(reconnect.beforeDrop);
    expect(committed.map((entry) => entry.seq)).toEqual([3, 4]);
    feed(reconnect.repeatedAfterDrop);
    assembler.closeAll();
    committed.push(...assembler.takeCommitted());
    // The turn in flight when the call dropped keeps what was said, marked as cut off.
    expect(shape(committed).at(-1)).toEqual({ speaker: 'interviewer', status: 'interrupted', text: 'First question:', itemId: 'item_a2' });
    const seeded = assembler.committedEntries();
    seeded.forEach((entry, index) => assembler.adoptSeedItem(`seed_${index}`, entry));
    const reopened = new TranscriptAssembler({ nextSeq: 0, committed: seeded });
    expect(reopened.lastSeq()).toBe(5);
    feed(reconnect.newCall);
    expect(committed.map((entry) => entry.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(committed.map((entry) => entry.text)).toEqual([
      'Welcome. Shall we begin?',
      'Yes, I am ready.',
      'First question:',
      'Sorry, we were cut off. First question: why this role?',
      'Because I like hard problems.',
    ]);
    expect(assembler.snapshot().map((turn) => turn.itemId)).toEqual(['item_a1', 'item_c1', 'item_a2', 'item_b1', 'item_d1']);
  });

  it('continues seq across a session rotation: the new call starts its own item chain after the seeded transcript', () => {
    const { assembler, committed, feed } = harness(40);
    feed(ga.events);
    const before = committed.length;
    // Rotation: the call is replaced at a quiet moment; the new one is seeded and starts a fresh chain.
    assembler.committedEntries().forEach((entry) => assembler.adoptSeedItem(`seed_${entry.seq}`, entry));
    feed([
      { type: 'conversation.item.added', previous_item_id: null, item: { id: 'seed_40', type: 'message', role: 'assistant' } },
      { type: 'conversation.item.added', previous_item_id: 'seed_45', item: { id: 'item_r1', type: 'message', role: 'assistant' } },
      { type: 'response.output_audio_transcript.done', response_id: 'resp_r1', item_id: 'item_r1', transcript: 'Let us continue.' },
      { type: 'response.done', response: { id: 'resp_r1', status: 'completed', output: [{ id: 'item_r1', role: 'assistant' }] } },
      { type: 'output_audio_buffer.stopped', response_id: 'resp_r1' },
    ]);
    expect(committed.slice(before).map(({ seq, text }) => [seq, text])).toEqual([[46, 'Let us continue.']]);
    expect(assembler.lastSeq()).toBe(46);
  });

  it('keeps the new call in its own order when the provider chains new items after the echoed seed', () => {
    const { assembler, committed, feed } = harness(0);
    feed(reconnect.beforeDrop.slice(0, 6));
    expect(committed.map((entry) => entry.seq)).toEqual([0, 1]);
    // The new call's first interviewer item comes before the seed's echo…
    feed([
      { type: 'conversation.item.added', previous_item_id: 'item_c1', item: { id: 'item_n1', type: 'message', role: 'assistant' } },
      { type: 'response.output_audio_transcript.delta', response_id: 'resp_n1', item_id: 'item_n1', delta: 'Where were we? ' },
    ]);
    assembler.committedEntries().forEach((entry) => assembler.adoptSeedItem(`seed_${entry.seq}`, entry));
    feed([
      { type: 'conversation.item.added', previous_item_id: 'item_n1', item: { id: 'seed_0', type: 'message', role: 'assistant' } },
      { type: 'conversation.item.added', previous_item_id: 'seed_0', item: { id: 'seed_1', type: 'message', role: 'user' } },
      // …and the candidate's next answer is chained after the last seed item.
      { type: 'input_audio_buffer.committed', previous_item_id: 'seed_1', item_id: 'item_n2' },
      { type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_n2', transcript: 'We were at the first question.' },
      { type: 'response.output_audio_transcript.done', response_id: 'resp_n1', item_id: 'item_n1', transcript: 'Where were we?' },
      { type: 'response.done', response: { id: 'resp_n1', status: 'completed', output: [{ id: 'item_n1', role: 'assistant' }] } },
      { type: 'output_audio_buffer.stopped', response_id: 'resp_n1' },
    ]);
    expect(committed.map(({ seq, text }) => [seq, text])).toEqual([
      [0, 'Welcome. Shall we begin?'],
      [1, 'Yes, I am ready.'],
      [2, 'Where were we?'],
      [3, 'We were at the first question.'],
    ]);
  });

  it('marks entries saved only when main acknowledges them', () => {
    const { assembler, committed, feed } = harness();
    feed(ga.events);
    expect(assembler.snapshot().every((turn) => !turn.saved)).toBe(true);
    assembler.markSaved([committed[0]!.id, 'not-a-known-id']);
    expect(assembler.snapshot().map((turn) => turn.saved)).toEqual([true, false, false, false, false, false]);
  });

  it('keeps unchanged turns identical between snapshots so the view re-renders only what changed', () => {
    const { assembler, feed } = harness();
    feed(ga.events.slice(0, 21));
    const before = assembler.snapshot();
    feed(ga.events.slice(21, 26));
    const after = assembler.snapshot();
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });

  it('patches its snapshot per change exactly as a full rebuild would show it', () => {
    const ids = () => {
      let next = 0;
      return () => `0194f3a2-7c1e-7a00-8000-${String(next++).padStart(12, '0')}`;
    };
    const clock = () => 0;
    const reader = new ProviderEventReader();
    const incremental = new TranscriptAssembler({ nextSeq: 0, now: clock, newId: ids() });
    const events = [...ga.events, ...reconnect.beforeDrop];
    events.forEach((event, index) => {
      incremental.apply(reader.read(event));
      if (index % 3 === 0) incremental.markSaved(incremental.takeCommitted().map((entry) => entry.id));
      const patched = incremental.snapshot();
      const freshReader = new ProviderEventReader();
      const rebuilt = new TranscriptAssembler({ nextSeq: 0, now: clock, newId: ids() });
      events.slice(0, index + 1).forEach((earlier, earlierIndex) => {
        rebuilt.apply(freshReader.read(earlier));
        if (earlierIndex % 3 === 0) rebuilt.markSaved(rebuilt.takeCommitted().map((entry) => entry.id));
      });
      expect(patched).toEqual(rebuilt.snapshot());
      expect(incremental.unsavedCount()).toBe(patched.filter((turn) => turn.entry && !turn.saved).length);
    });
  });

  it('ignores malformed and unknown events', () => {
    const { committed, feed, assembler } = harness();
    feed([null, 42, 'text', { type: 7 }, { type: 'response.output_audio_transcript.delta' }, { type: 'conversation.item.added', item: { id: 'fc', type: 'function_call', role: 'assistant' } }, { type: 'rate_limits.updated' }]);
    expect(committed).toEqual([]);
    expect(assembler.snapshot()).toEqual([]);
  });
});

describe('transcript assembler on GPT-Live timeline fragments', () => {
  it('cuts turns from the fragments, places late fragments by their timeline position and marks the cut-off interviewer turn', () => {
    const { reader, assembler, committed, feed } = harness(0);
    feed(live.events);
    assembler.apply(reader.closeAllLiveTurns());
    committed.push(...assembler.takeCommitted());
    expect(shape(committed).map(({ speaker, status, text }) => ({ speaker, status, text }))).toEqual(live.expected);
    expect(committed.map((entry) => entry.seq)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('closes a Live turn that went quiet', () => {
    let clock = 0;
    const reader = new ProviderEventReader({ liveIdleCloseMs: 3_000, now: () => clock });
    const assembler = new TranscriptAssembler({ nextSeq: 0 });
    assembler.apply(reader.read(live.events[0]));
    clock = 2_000;
    assembler.apply(reader.tick());
    expect(assembler.takeCommitted()).toEqual([]);
    clock = 3_500;
    assembler.apply(reader.tick());
    expect(assembler.takeCommitted().map((entry) => entry.text)).toEqual(['Good morning,']);
  });
});

describe('transcript assembler edge cases', () => {
  const fresh = () => new TranscriptAssembler({ nextSeq: 0, now: () => Date.parse('2026-11-27T09:00:00Z') });

  it('still commits the next turn when an empty turn the head already passed learns its real place late', () => {
    const assembler = fresh();
    const committed: TranscriptEntry[] = [];
    const run = (signals: TranscriptSignal[]) => {
      assembler.apply(signals);
      committed.push(...assembler.takeCommitted());
    };
    run([
      { kind: 'item', itemId: 'a', speaker: 'interviewer', previousItemId: null },
      { kind: 'text-done', itemId: 'a', speaker: 'interviewer', text: 'Tell me about yourself.', confidence: null },
      { kind: 'turn-end', itemId: 'a', speaker: 'interviewer', status: 'final' },
    ]);
    // X arrives before anything says where it goes, and ends with no words.
    run([
      { kind: 'item', itemId: 'x', speaker: 'candidate', previousItemId: 'unknown' },
      { kind: 'text-done', itemId: 'x', speaker: 'candidate', text: '', confidence: null },
      { kind: 'turn-end', itemId: 'x', speaker: 'candidate', status: 'final' },
    ]);
    run([
      { kind: 'item', itemId: 'b', speaker: 'candidate', previousItemId: 'x' },
      { kind: 'delta', itemId: 'b', speaker: 'candidate', text: 'I build kiosks.' },
    ]);
    run([{ kind: 'item', itemId: 'x', speaker: 'candidate', previousItemId: 'a' }]);
    run([
      { kind: 'text-done', itemId: 'b', speaker: 'candidate', text: 'I build kiosks.', confidence: null },
      { kind: 'turn-end', itemId: 'b', speaker: 'candidate', status: 'final' },
    ]);
    expect(committed.map((entry) => [entry.seq, entry.itemId, entry.text])).toEqual([
      [0, 'a', 'Tell me about yourself.'],
      [1, 'b', 'I build kiosks.'],
    ]);
    expect(assembler.lastSeq()).toBe(1);
  });

  it('caps an overlong turn at what main accepts, keeping its start, and still commits it', () => {
    const assembler = fresh();
    const long = 'word '.repeat(6_000).trim();
    assembler.apply([
      { kind: 'item', itemId: 'c', speaker: 'candidate', previousItemId: null },
      { kind: 'text-done', itemId: 'c', speaker: 'candidate', text: long, confidence: null },
      { kind: 'turn-end', itemId: 'c', speaker: 'candidate', status: 'final' },
    ]);
    const [entry] = assembler.takeCommitted();
    expect(entry?.text).toHaveLength(20_000);
    expect(long.startsWith(entry!.text)).toBe(true);
    expect(transcriptEntrySchema.safeParse(entry).success).toBe(true);
  });

  it('never cuts a surrogate pair in half at the cap', () => {
    const assembler = fresh();
    assembler.apply([
      { kind: 'item', itemId: 'c', speaker: 'candidate', previousItemId: null },
      { kind: 'text-done', itemId: 'c', speaker: 'candidate', text: `${'a'.repeat(19_999)}😀 and more`, confidence: null },
      { kind: 'turn-end', itemId: 'c', speaker: 'candidate', status: 'final' },
    ]);
    const [entry] = assembler.takeCommitted();
    expect(entry?.text).toBe('a'.repeat(19_999));
  });

  it('leaves the item id out of an entry whose turn had an empty one', () => {
    const assembler = fresh();
    assembler.apply([
      { kind: 'item', itemId: '', speaker: 'interviewer', previousItemId: null },
      { kind: 'text-done', itemId: '', speaker: 'interviewer', text: 'Welcome.', confidence: null },
      { kind: 'turn-end', itemId: '', speaker: 'interviewer', status: 'final' },
    ]);
    const [entry] = assembler.takeCommitted();
    expect(entry).toBeDefined();
    expect('itemId' in entry!).toBe(false);
    expect(transcriptEntrySchema.safeParse(entry).success).toBe(true);
  });
});
