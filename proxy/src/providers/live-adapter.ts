// GPT-Live over WebRTC: POST {base}/live/sessions with JSON `{session, transport:{type:"webrtc", sdp}}`;
// the answer comes back in `transport.sdp` and the session id in `session.id`.
import { z } from 'zod';
import type { HistoryEntry } from '../signal-protocol';
import { badAnswer, looksLikeSdp, type ProviderAdapter, type SessionSettings } from './provider-adapter';
import { postToProvider } from './provider-http';

/**
 * GPT-Live's own bounds on `MediaSessionConfig.input`: at most 128 messages and 8,192 rendered tokens.
 * Tokens cannot be counted here, so the text is held to a budget that stays under 8,192 tokens even at
 * three characters a token, with room for each message's framing.
 */
export const liveInputLimits = { maxItems: 128, maxChars: 24_000 } as const;

export type LiveInitialItem = {
  type: 'message';
  role: 'user' | 'assistant';
  content: [{ type: 'input_text' | 'output_text'; text: string }];
};

/**
 * The interview so far as GPT-Live's initial items, newest kept: an interviewer who remembers the last
 * answers carries on better than one who remembers the greeting, and the brief is in the instructions.
 */
export function liveInitialItems(history: readonly HistoryEntry[]): LiveInitialItem[] {
  const items: LiveInitialItem[] = [];
  let chars = 0;
  for (let index = history.length - 1; index >= 0 && items.length < liveInputLimits.maxItems; index--) {
    const entry = history[index]!;
    if (chars + entry.text.length > liveInputLimits.maxChars) break;
    chars += entry.text.length;
    const candidate = entry.speaker === 'candidate';
    items.push({ type: 'message', role: candidate ? 'user' : 'assistant', content: [{ type: candidate ? 'input_text' : 'output_text', text: entry.text }] });
  }
  return items.reverse();
}

const liveAnswerSchema = z.object({
  session: z.object({ id: z.string().min(1) }),
  transport: z.object({ type: z.literal('webrtc'), sdp: z.string() }),
});

export function liveSessionBody(settings: SessionSettings, history: readonly HistoryEntry[] = []): Record<string, unknown> {
  // GPT-Live negotiates audio formats on the transport and takes only the voice at startup.
  const body: Record<string, unknown> = { model: settings.model, instructions: settings.instructions, audio: { output: { voice: settings.voice } } };
  const input = liveInitialItems(history);
  if (input.length > 0) body.input = input;
  return body;
}

export function createLiveAdapter(baseUrl: string, apiKey: string): ProviderAdapter {
  return {
    api: 'live',
    async exchange(offerSdp, settings, deadline, history) {
      const response = await postToProvider({
        url: `${baseUrl}/live/sessions`,
        apiKey,
        contentType: 'application/json',
        body: JSON.stringify({ session: liveSessionBody(settings, history), transport: { type: 'webrtc', sdp: offerSdp } }),
        deadline,
      });
      let json: unknown;
      try {
        json = JSON.parse(response.body);
      } catch {
        throw badAnswer('the body is not JSON');
      }
      const answer = liveAnswerSchema.safeParse(json);
      if (!answer.success || !looksLikeSdp(answer.data.transport.sdp)) throw badAnswer('no SDP in transport.sdp');
      return { sdp: answer.data.transport.sdp, callId: answer.data.session.id };
    },
  };
}
