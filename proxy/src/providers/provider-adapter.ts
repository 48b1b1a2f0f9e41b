// What every provider adapter does: exchange an SDP offer for an answer, with the session settings the
// backend signed (or the tenant's defaults), under a deadline.
import type { ProxyConfig } from '../config';
import type { SessionConfig } from '../token-verifier';
import { UpstreamError } from './upstream-error';

export interface SessionSettings {
  model: string;
  instructions: string;
  voice: string;
  transcriptionModel: string;
  noiseReduction: 'near_field' | 'far_field' | 'off';
}

export interface ExchangeResult {
  sdp: string;
  callId: string;
}

export interface ProviderAdapter {
  readonly api: 'realtime' | 'live';
  exchange(offerSdp: string, settings: SessionSettings, deadline: AbortSignal): Promise<ExchangeResult>;
}

/** Signed settings win field by field; the client can never supply instructions of its own. */
export function resolveSessionSettings(defaults: ProxyConfig['defaults'], signed: SessionConfig | null): SessionSettings {
  return {
    model: signed?.model ?? defaults.model,
    instructions: signed?.instructions ?? defaults.instructions,
    voice: signed?.voice ?? defaults.voice,
    transcriptionModel: signed?.transcription_model ?? defaults.transcriptionModel,
    noiseReduction: defaults.noiseReduction,
  };
}

export function badAnswer(what: string): UpstreamError {
  return new UpstreamError('upstream_unavailable', 'bad_answer', `The voice provider sent an unusable answer (${what}).`);
}

export function looksLikeSdp(text: string): boolean {
  return text.startsWith('v=0') && /\r?\nm=\w+ /.test(text);
}
