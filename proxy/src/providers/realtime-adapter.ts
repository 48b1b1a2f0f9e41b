// OpenAI Realtime GA over WebRTC: POST {base}/realtime/calls as multipart (`sdp` + `session`), answered
// with 201, the answer SDP as the body and the call's URL in Location.
import { badAnswer, looksLikeSdp, type ProviderAdapter, type SessionSettings } from './provider-adapter';
import { multipartBody, postToProvider } from './provider-http';

export function realtimeSessionBody(settings: SessionSettings): Record<string, unknown> {
  return {
    type: 'realtime',
    model: settings.model,
    instructions: settings.instructions,
    audio: {
      input: {
        transcription: { model: settings.transcriptionModel },
        // Candidates pause to think; semantic VAD with low eagerness does not cut them off mid-answer.
        turn_detection: { type: 'semantic_vad', eagerness: 'low' },
        noise_reduction: settings.noiseReduction === 'off' ? null : { type: settings.noiseReduction },
      },
      output: { voice: settings.voice },
    },
    // Token logprobs of the candidate's transcription are what each entry's confidence is computed from.
    include: ['item.input_audio_transcription.logprobs'],
  };
}

export function createRealtimeAdapter(baseUrl: string, apiKey: string): ProviderAdapter {
  return {
    api: 'realtime',
    async exchange(offerSdp, settings, deadline) {
      const { contentType, body } = multipartBody([
        { name: 'sdp', type: 'application/sdp', value: offerSdp },
        { name: 'session', type: 'application/json', value: JSON.stringify(realtimeSessionBody(settings)) },
      ]);
      const response = await postToProvider({ url: `${baseUrl}/realtime/calls`, apiKey, contentType, body, deadline });
      const sdp = response.body;
      if (!looksLikeSdp(sdp)) throw badAnswer('no SDP in the body');
      const location = response.location ?? '';
      const callId = location.split('/').filter(Boolean).at(-1);
      if (!callId) throw badAnswer('no call id in Location');
      return { sdp, callId };
    },
  };
}
