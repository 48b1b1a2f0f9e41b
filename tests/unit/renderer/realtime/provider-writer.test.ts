import { describe, expect, it } from 'vitest';
import { gptLiveWriter, OFFER_HISTORY_LIMITS, offerHistory, realtimeGaWriter, writerFor } from '../../../../src/renderer/realtime/provider-writer';
import type { TranscriptEntry } from '../../../../src/shared/domain/transcript';

const entry = (seq: number, speaker: 'candidate' | 'interviewer', text: string) => ({ id: `e${seq}`, seq, speaker, text }) as unknown as TranscriptEntry;

describe('provider writer', () => {
  it('seeds a Realtime GA session with each non-empty entry as a message item of the right role', () => {
    const seed = realtimeGaWriter.seedHistory([entry(5, 'interviewer', 'Hello there.'), entry(6, 'candidate', ''), entry(7, 'candidate', 'Hi.')]);
    expect(seed).not.toBe('with-offer');
    if (seed === 'with-offer') return;
    expect(seed.events).toEqual([
      { type: 'conversation.item.create', item: { id: 'seed_5', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello there.' }] } },
      { type: 'conversation.item.create', item: { id: 'seed_7', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi.' }] } },
    ]);
    expect([...seed.itemIds]).toEqual([
      [5, 'seed_5'],
      [7, 'seed_7'],
    ]);
  });

  it('asks a Realtime GA session to speak next with response.create', () => {
    expect(realtimeGaWriter.requestResponse()).toEqual({ type: 'response.create' });
  });

  it('seeds GPT-Live with the offer instead, and sends it nothing to speak next', () => {
    expect(gptLiveWriter.seedHistory([entry(1, 'candidate', 'Hi.')])).toBe('with-offer');
    expect(gptLiveWriter.requestResponse()).toBeNull();
  });

  it('picks the writer by the api the proxy named', () => {
    expect(writerFor('live')).toBe(gptLiveWriter);
    expect(writerFor('realtime')).toBe(realtimeGaWriter);
  });

  it('turns the committed transcript into a re-offer history: entries with text, in order', () => {
    expect(offerHistory([entry(1, 'interviewer', 'Hello.'), entry(2, 'candidate', ''), entry(3, 'candidate', 'Hi.')])).toEqual([
      { speaker: 'interviewer', text: 'Hello.' },
      { speaker: 'candidate', text: 'Hi.' },
    ]);
    expect(offerHistory([])).toEqual([]);
  });

  it('keeps the newest entries within the proxy’s bounds, so a long interview’s re-offer is not refused', () => {
    const many = Array.from({ length: 450 }, (_, seq) => entry(seq, 'candidate', `answer ${seq}`));
    const kept = offerHistory(many);
    expect(kept).toHaveLength(OFFER_HISTORY_LIMITS.maxItems);
    expect(kept[0]!.text).toBe('answer 50');
    expect(kept.at(-1)!.text).toBe('answer 449');

    const long = Array.from({ length: 12 }, (_, seq) => entry(seq, 'interviewer', `${seq}`.padEnd(20_000, '.')));
    const trimmed = offerHistory(long);
    expect(trimmed.map((item) => item.text.replace(/\.+$/, ''))).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    expect(trimmed.reduce((sum, item) => sum + item.text.length, 0)).toBeLessThanOrEqual(OFFER_HISTORY_LIMITS.maxTotalChars);
  });
});
