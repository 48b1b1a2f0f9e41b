// The provider's wire format for what the kiosk WRITES on the data channel, beside provider-events.ts
// which reads it. One writer per provider behind one interface, so the controller never spells an event.
import type { Speaker, TranscriptEntry } from '../../shared/domain/transcript';

export type ClientEvent = Record<string, unknown>;

/** Which provider the proxy speaks to, as its `ready` frame names it. */
export type ProviderApi = 'realtime' | 'live';

/** One entry of a re-offer's `history` (docs/protocol.md, "Reconnecting a GPT-Live call"). */
export interface OfferHistoryEntry {
  speaker: Speaker;
  text: string;
}

/** The proxy's bounds on `history`; an offer past them would be refused and the interview lost. */
export const OFFER_HISTORY_LIMITS = { maxItems: 400, maxTotalChars: 200_000 } as const;

export interface ProviderWriter {
  /**
   * The events that teach a new provider session the conversation so far, with the item id each entry
   * is given (so the assembler recognises the provider's echo), or 'with-offer' when the provider takes
   * its history at session creation instead (GPT-Live's `MediaSessionConfig.input`).
   */
  seedHistory(entries: readonly TranscriptEntry[]): { events: ClientEvent[]; itemIds: Map<number, string> } | 'with-offer';
  /** Asks the provider to speak next, or null when it carries on by itself (GPT-Live). */
  requestResponse(): ClientEvent | null;
  /**
   * Tells the interviewer something from the kiosk (a break, its end), optionally cutting off what it
   * is saying first. Empty where the provider takes no items on the data channel (GPT-Live).
   */
  instruct(text: string, options: { interrupt: boolean }): ClientEvent[];
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
  instruct: (text, { interrupt }) => [
    ...(interrupt ? [{ type: 'response.cancel' }, { type: 'output_audio_buffer.clear' }] : []),
    { type: 'conversation.item.create', item: { type: 'message', role: 'system', content: [{ type: 'input_text', text }] } },
  ],
};

// GPT-Live refuses conversation items on the data channel: its history goes in the re-offer, and it
// resumes speaking on its own (its `response.create` is only for Responses delegation).
export const gptLiveWriter: ProviderWriter = {
  seedHistory: () => 'with-offer',
  requestResponse: () => null,
  instruct: () => [],
};

export function writerFor(api: ProviderApi): ProviderWriter {
  return api === 'live' ? gptLiveWriter : realtimeGaWriter;
}

/**
 * The committed transcript as a re-offer's history: entries with text, in order, the newest that fit
 * the proxy's bounds (the provider keeps only the newest anyway).
 */
export function offerHistory(entries: readonly TranscriptEntry[]): OfferHistoryEntry[] {
  const kept: OfferHistoryEntry[] = [];
  let chars = 0;
  for (let index = entries.length - 1; index >= 0 && kept.length < OFFER_HISTORY_LIMITS.maxItems; index--) {
    const { speaker, text } = entries[index]!;
    if (!text) continue;
    if (chars + text.length > OFFER_HISTORY_LIMITS.maxTotalChars) break;
    chars += text.length;
    kept.push({ speaker, text });
  }
  return kept.reverse();
}
