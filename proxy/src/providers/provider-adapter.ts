// What every provider adapter does: exchange an SDP offer for an answer, with the session settings the
// backend signed (or the tenant's defaults), under a deadline.
import type { ProxyConfig } from '../config';
import type { HistoryEntry } from '../signal-protocol';
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
  /**
   * `history` is the interview so far on a re-offer. Only GPT-Live takes it at session creation; the
   * proxy refuses it before a Realtime GA exchange (GA is seeded over the data channel instead).
   */
  exchange(offerSdp: string, settings: SessionSettings, deadline: AbortSignal, history?: readonly HistoryEntry[]): Promise<ExchangeResult>;
}

/** Whether an adapter takes the transcript in the offer; the others are seeded by the kiosk itself. */
export function takesHistoryInOffer(adapter: Pick<ProviderAdapter, 'api'>): boolean {
  return adapter.api === 'live';
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
