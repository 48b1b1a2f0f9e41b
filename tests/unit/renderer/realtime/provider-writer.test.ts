import { describe, expect, it } from 'vitest';
import { gptLiveWriter, realtimeGaWriter } from '../../../../src/renderer/realtime/provider-writer';
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

  it('asks the provider to speak next with response.create, for GPT-Live as today too', () => {
    expect(realtimeGaWriter.requestResponse()).toEqual({ type: 'response.create' });
    expect(gptLiveWriter.requestResponse()).toEqual({ type: 'response.create' });
    expect(gptLiveWriter.seedHistory([entry(1, 'candidate', 'Hi.')])).toEqual(realtimeGaWriter.seedHistory([entry(1, 'candidate', 'Hi.')]));
  });
});
