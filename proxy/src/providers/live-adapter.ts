// GPT-Live over WebRTC: POST {base}/live/sessions with JSON `{session, transport:{type:"webrtc", sdp}}`;
// the answer comes back in `transport.sdp` and the session id in `session.id`.
import { z } from 'zod';
import { badAnswer, looksLikeSdp, type ProviderAdapter, type SessionSettings } from './provider-adapter';
import { postToProvider } from './provider-http';

const liveAnswerSchema = z.object({
  session: z.object({ id: z.string().min(1) }),
  transport: z.object({ type: z.literal('webrtc'), sdp: z.string() }),
});

export function liveSessionBody(settings: SessionSettings): Record<string, unknown> {
  // GPT-Live negotiates audio formats on the transport and takes only the voice at startup.
  return { model: settings.model, instructions: settings.instructions, audio: { output: { voice: settings.voice } } };
}

export function createLiveAdapter(baseUrl: string, apiKey: string): ProviderAdapter {
  return {
    api: 'live',
    async exchange(offerSdp, settings, deadline) {
      const response = await postToProvider({
        url: `${baseUrl}/live/sessions`,
        apiKey,
        contentType: 'application/json',
        body: JSON.stringify({ session: liveSessionBody(settings), transport: { type: 'webrtc', sdp: offerSdp } }),
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
