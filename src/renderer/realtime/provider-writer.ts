// The provider's wire format for what the kiosk WRITES on the data channel, beside provider-events.ts
// which reads it. One writer per provider behind one interface, so the controller never spells an event.
import type { TranscriptEntry } from '../../shared/domain/transcript';

export type ClientEvent = Record<string, unknown>;

export interface ProviderWriter {
  /**
   * The events that teach a new provider session the conversation so far, with the item id each entry
   * is given (so the assembler recognises the provider's echo), or 'with-offer' when the provider takes
   * its history at session creation instead (GPT-Live's `MediaSessionConfig.input`).
   */
  seedHistory(entries: readonly TranscriptEntry[]): { events: ClientEvent[]; itemIds: Map<number, string> } | 'with-offer';
  /** Asks the provider to speak next. */
  requestResponse(): ClientEvent;
}

export const realtimeGaWriter: ProviderWriter = {
  seedHistory(entries) {
    const events: ClientEvent[] = [];
    const itemIds = new Map<number, string>();
    for (const entry of entries) {
      if (!entry.text) continue;
      const itemId = `seed_${entry.seq}`;
      itemIds.set(entry.seq, itemId);
      const candidate = entry.speaker === 'candidate';
      events.push({
        type: 'conversation.item.create',
        item: { id: itemId, type: 'message', role: candidate ? 'user' : 'assistant', content: [{ type: candidate ? 'input_text' : 'output_text', text: entry.text }] },
      });
    }
    return { events, itemIds };
  },
  requestResponse: () => ({ type: 'response.create' }),
};

// Today GPT-Live is seeded as GA is (issue 12 moves its history into the offer: return 'with-offer' then).
export const gptLiveWriter: ProviderWriter = {
  seedHistory: (entries) => realtimeGaWriter.seedHistory(entries),
  requestResponse: () => realtimeGaWriter.requestResponse(),
};
