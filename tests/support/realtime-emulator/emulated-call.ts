// One call on the emulated provider: a werift peer that answers the kiosk's offer, takes its RTP audio,
// plays audio back while the interviewer "speaks", and plays the interview script on the kiosk's
// `oai-events` data channel: as GA server events here, as GPT-Live events in live-timeline.ts.
import { randomBytes } from 'node:crypto';
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  type RTCDataChannel,
  type RTCRtpTransceiver,
} from 'werift';
import { transcriptDeltas, type InterviewScript, type ScriptTurn } from './interview-script';
import { answerLiveClientEvent, playLiveTimeline, type LiveCallHost } from './live-timeline';

export type ServerEvent = { type: string; event_id: string } & Record<string, unknown>;

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

/** What carries over from one call to the next: a re-offer after a drop continues the same interview. */
/**
 * Token logprobs as the transcription model reports them (`{token, logprob, bytes}` per token): one
 * token per word here, more certain for short common words, so confidence varies between turns.
 */
function tokenLogprobs(delta: string): Array<{ token: string; logprob: number; bytes: number[] }> {
  return (delta.match(/\S+\s*/g) ?? []).map((token) => ({
    token,
    logprob: -0.02 * Math.min(10, token.trim().length),
    bytes: [...Buffer.from(token, 'utf8')],
  }));
}

export class ConversationState {
  turnIndex = 0;
  lastItemId: string | null = null;
  /** Items the client seeded with `conversation.item.create`, across all calls. */
  readonly seededItems: Array<Record<string, unknown>> = [];

  /** Starts a new interview: the next call plays the script from the greeting. */
  reset(): void {
    this.turnIndex = 0;
    this.lastItemId = null;
    this.seededItems.length = 0;
  }
}

export interface CallRecord {
  id: string;
  api: 'realtime' | 'live';
  /** The session object the caller sent (validated), for assertions on instructions, voice, model. */
  session: Record<string, unknown>;
  state: 'answering' | 'connected' | 'closed' | 'dropped';
  offerSdp: string;
  answerSdp: string;
  rtpPacketsReceived: number;
  rtpPacketsSent: number;
  /** Events the client sent on `oai-events`. */
  clientEvents: Array<Record<string, unknown>>;
  /** Events the emulator sent on `oai-events`. */
  serverEvents: ServerEvent[];
  /** Where each reply the candidate cut was truncated: the audio that had played. */
  truncations: Array<{ itemId: string; audioEndMs: number }>;
  /** GPT-Live only: the `session.input` history the call was created with (validated), or null. */
  liveInput?: Array<Record<string, unknown>> | null;
  /** The kiosk's audio as this peer's receiver counts it (werift's inbound-rtp stats), refreshed on demand and at close. */
  receiver?: ReceiverStats;
}

export interface ReceiverStats {
  packetsReceived: number;
  packetsLost: number;
  jitterMs: number | null;
}

const opusSilence = Buffer.from([0xf8, 0xff, 0xfe]);
const audioFrameMs = 20;

// Chromium hides host addresses behind mDNS names the provider cannot resolve; like the provider, the
// emulator ignores them and learns the kiosk's address from its connectivity checks (peer-reflexive).
function withoutMdnsCandidates(sdp: string): string {
  return sdp
    .split(/\r\n/)
    .filter((line) => !(line.startsWith('a=candidate:') && /\s\S+\.local\s/.test(line)))
    .join('\r\n');
}

export class EmulatedCall {
  readonly record: CallRecord;
  private readonly pc: RTCPeerConnection;
  private channel: RTCDataChannel | null = null;
  private audio: RTCRtpTransceiver | null = null;
  private audioTimer: NodeJS.Timeout | null = null;
  private lastKioskPayload: Buffer | null = null;
  private rtpSeq = 0;
  private rtpTimestamp = 0;
  private started = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly startedAt = Date.now();

  constructor(
    api: 'realtime' | 'live',
    session: Record<string, unknown>,
    offerSdp: string,
    private readonly script: InterviewScript,
    private readonly conversation: ConversationState,
  ) {
    this.record = {
      id: newId('rtc'),
      api,
      session,
      state: 'answering',
      offerSdp,
      answerSdp: '',
      rtpPacketsReceived: 0,
      rtpPacketsSent: 0,
      clientEvents: [],
      serverEvents: [],
      truncations: [],
    };
    this.pc = new RTCPeerConnection({
      codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })] },
      iceUseIpv6: false,
      // Loopback is where every test peer lives; werift leaves it out unless asked.
      iceAdditionalHostAddresses: ['127.0.0.1'],
    });
  }

  private elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  get closed(): boolean {
    return this.record.state === 'closed' || this.record.state === 'dropped';
  }

  async answer(): Promise<string> {
    this.pc.onRemoteTransceiverAdded.subscribe((transceiver) => this.attachAudio(transceiver));
    this.pc.onDataChannel.subscribe((channel) => this.attachChannel(channel));
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' && this.record.state === 'answering') this.record.state = 'connected';
      if ((state === 'failed' || state === 'closed') && !this.closed) this.close('closed');
    });
    await this.pc.setRemoteDescription({ type: 'offer', sdp: withoutMdnsCandidates(this.record.offerSdp) });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.gatheringComplete();
    this.record.answerSdp = this.pc.localDescription!.sdp;
    return this.record.answerSdp;
  }

  /** Kills the peer connection as a provider outage would: no goodbye on the data channel. */
  drop(): void {
    void this.close('dropped');
  }

  /** Reads the receiver's counters into `record.receiver`. */
  async refreshReceiverStats(): Promise<void> {
    if (!this.closed) await this.readReceiverStats();
  }

  private async readReceiverStats(): Promise<void> {
    if (!this.audio) return;
    const report = await this.audio.receiver.getStats().catch(() => null);
    report?.forEach((value) => {
      const stat = value as unknown as Record<string, unknown>;
      if (stat.type !== 'inbound-rtp') return;
      this.record.receiver = {
        packetsReceived: Number(stat.packetsReceived ?? 0),
        packetsLost: Number(stat.packetsLost ?? 0),
        jitterMs: typeof stat.jitter === 'number' ? stat.jitter * 1000 : null,
      };
    });
  }

  async close(state: 'closed' | 'dropped' = 'closed'): Promise<void> {
    if (this.closed) return;
    this.record.state = state;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.stopAudio();
    // The counters are read before the peer goes: a closed receiver has none.
    await this.readReceiverStats();
    await this.pc.close().catch(() => undefined);
  }

  private gatheringComplete(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          unSubscribe();
          resolve();
        }
      });
    });
  }

  private attachAudio(transceiver: RTCRtpTransceiver): void {
    if (transceiver.kind !== 'audio' || this.audio) return;
    this.audio = transceiver;
    transceiver.setDirection('sendrecv');
    transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((packet) => {
        this.record.rtpPacketsReceived++;
        this.lastKioskPayload = packet.payload;
      });
    });
  }

  private attachChannel(channel: RTCDataChannel): void {
    if (channel.label !== 'oai-events' || this.channel) return;
    this.channel = channel;
    channel.onMessage.subscribe((data) => this.onClientEvent(data));
    const opened = () => {
      this.sendEvent(this.record.api === 'live' ? 'session.started' : 'session.created', { session: this.describeSession() });
      if (this.script.autoStart) this.startScript();
    };
    if (channel.readyState === 'open') opened();
    else {
      const { unSubscribe } = channel.stateChanged.subscribe((state) => {
        if (state === 'open') {
          unSubscribe();
          opened();
        }
      });
    }
  }

  private describeSession(): Record<string, unknown> {
    return { object: 'realtime.session', id: newId('sess'), type: 'realtime', model: 'gpt-realtime', output_modalities: ['audio'], ...this.record.session };
  }

  private onClientEvent(data: string | Buffer): void {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(String(data)) as Record<string, unknown>;
    } catch {
      this.sendEvent('error', { error: { type: 'invalid_request_error', code: 'invalid_json', message: 'The event is not valid JSON.', param: null, event_id: null } });
      return;
    }
    this.record.clientEvents.push(event);
    if (this.record.api === 'live') return answerLiveClientEvent(this.liveHost(), event);
    switch (event.type) {
      case 'session.update': {
        const update = (event.session ?? {}) as Record<string, unknown>;
        Object.assign(this.record.session, update);
        this.sendEvent('session.updated', { session: this.describeSession() });
        break;
      }
      case 'conversation.item.create': {
        const item = { id: newId('item'), status: 'completed', ...((event.item ?? {}) as Record<string, unknown>) };
        const previous = (event.previous_item_id as string | undefined) ?? this.conversation.lastItemId;
        this.conversation.seededItems.push(item);
        this.conversation.lastItemId = item.id as string;
        this.sendEvent('conversation.item.added', { previous_item_id: previous, item });
        this.sendEvent('conversation.item.done', { previous_item_id: previous, item });
        break;
      }
      case 'response.create':
        this.startScript();
        break;
      default:
        break;
    }
  }

  /** Whether the session asked for an optional output (`include`), as the provider only sends what was asked. */
  private includes(option: string): boolean {
    const include = this.record.session.include;
    return Array.isArray(include) && include.includes(option);
  }

  private sendEvent(type: string, body: Record<string, unknown>): void {
    if (this.closed || !this.channel || this.channel.readyState !== 'open') return;
    const event = { type, event_id: newId('event'), ...body } as ServerEvent;
    this.record.serverEvents.push(event);
    this.channel.send(JSON.stringify(event));
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) action();
    }, ms);
    this.timers.add(timer);
  }

  private startScript(): void {
    if (this.started) return;
    this.started = true;
    // An interview that was played to its end is over: this call starts a new one.
    if (this.conversation.turnIndex >= this.script.turns.length) this.conversation.reset();
    void (this.record.api === 'live' ? playLiveTimeline(this.liveHost()) : this.runScript()).catch(() => undefined);
  }

  /** What the GPT-Live player may use of this call. */
  private liveHost(): LiveCallHost {
    return {
      script: this.script,
      conversation: this.conversation,
      record: this.record,
      isClosed: () => this.closed,
      send: (type, body) => this.sendEvent(type, body),
      wait: (ms) => this.wait(ms),
      startAudio: () => this.startAudio(),
      stopAudio: () => this.stopAudio(),
    };
  }

  private async runScript(): Promise<void> {
    const { turns } = this.script;
    let bargeInItemId: string | null = null;
    while (!this.closed && this.conversation.turnIndex < turns.length) {
      const turn = turns[this.conversation.turnIndex]!;
      if (turn.speaker === 'interviewer') {
        bargeInItemId = await this.interviewerTurn(turn);
      } else {
        const played = await this.candidateTurn(turn, bargeInItemId);
        bargeInItemId = null;
        if (!played) return;
      }
      // A turn cut short by a drop is played again in full on the next call.
      if (this.closed) return;
      this.conversation.turnIndex++;
    }
  }

  /** Returns the user item id of a barge-in when the candidate interrupted this turn. */
  private async interviewerTurn(turn: Extract<ScriptTurn, { speaker: 'interviewer' }>): Promise<string | null> {
    const pace = this.script.paceMs;
    const responseId = newId('resp');
    const item = { id: newId('item'), object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] as unknown[] };
    const previous = this.conversation.lastItemId;
    this.conversation.lastItemId = item.id;
    const where = { response_id: responseId, item_id: item.id, output_index: 0, content_index: 0 };

    this.sendEvent('response.created', { response: { object: 'realtime.response', id: responseId, status: 'in_progress', status_details: null, output: [] } });
    this.sendEvent('conversation.item.added', { previous_item_id: previous, item });
    this.sendEvent('response.output_item.added', { response_id: responseId, output_index: 0, item });
    this.sendEvent('response.content_part.added', { ...where, part: { type: 'audio', transcript: '' } });
    await this.wait(pace);
    this.sendEvent('output_audio_buffer.started', { response_id: responseId });
    const audioStartedAt = Date.now();
    this.startAudio();
    // Playback runs at speaking pace, generation ahead of it: the reply is fully generated long before
    // its audio has played, which is when a candidate who speaks over it really cuts it.
    const audioMs = Math.max(pace, Math.round(turn.text.length * this.script.speechMsPerChar));
    const playedMs = () => Math.min(audioMs, Date.now() - audioStartedAt);

    const deltas = transcriptDeltas(turn.text);
    const generating = turn.interrupted === 'while_generating';
    const streamed = generating ? deltas.slice(0, Math.max(1, Math.floor(deltas.length / 2))) : deltas;
    for (const delta of streamed) {
      if (this.closed) return null;
      await this.wait(pace);
      this.sendEvent('response.output_audio_transcript.delta', { ...where, delta });
    }
    await this.wait(pace);
    const transcript = streamed.join('').trim();

    if (generating) {
      const bargeInItemId = this.bargeIn(responseId, item.id, playedMs());
      this.sendEvent('response.output_audio_transcript.done', { ...where, transcript });
      const done = { ...item, status: 'incomplete', content: [{ type: 'output_audio', transcript }] };
      this.sendEvent('response.output_item.done', { response_id: responseId, output_index: 0, item: done });
      this.sendEvent('conversation.item.done', { previous_item_id: previous, item: done });
      this.sendEvent('response.done', {
        response: { object: 'realtime.response', id: responseId, status: 'cancelled', status_details: { type: 'cancelled', reason: 'turn_detected' }, output: [done] },
      });
      return bargeInItemId;
    }

    const done = { ...item, status: 'completed', content: [{ type: 'output_audio', transcript }] };
    this.sendEvent('response.output_audio.done', where);
    this.sendEvent('response.output_audio_transcript.done', { ...where, transcript });
    this.sendEvent('response.content_part.done', { ...where, part: { type: 'audio', transcript } });
    this.sendEvent('response.output_item.done', { response_id: responseId, output_index: 0, item: done });
    this.sendEvent('conversation.item.done', { previous_item_id: previous, item: done });
    this.sendEvent('response.done', { response: { object: 'realtime.response', id: responseId, status: 'completed', status_details: null, output: [done] } });

    if (turn.interrupted === 'while_playing') {
      // The candidate speaks up about half-way through the audio, after generation completed.
      await this.wait(Math.max(0, audioMs / 2 - (Date.now() - audioStartedAt)));
      if (this.closed) return null;
      return this.bargeIn(responseId, item.id, playedMs());
    }
    await this.wait(Math.max(pace * 2, audioMs - (Date.now() - audioStartedAt)));
    this.stopAudio();
    this.sendEvent('output_audio_buffer.stopped', { response_id: responseId });
    return null;
  }

  /** The candidate talks over the reply: unplayed audio is dropped and the item cut where playback stood. */
  private bargeIn(responseId: string, itemId: string, playedMs: number): string {
    const bargeInItemId = newId('item');
    this.sendEvent('input_audio_buffer.speech_started', { audio_start_ms: this.elapsedMs(), item_id: bargeInItemId });
    this.stopAudio();
    this.sendEvent('output_audio_buffer.cleared', { response_id: responseId });
    this.sendEvent('conversation.item.truncated', { item_id: itemId, content_index: 0, audio_end_ms: playedMs });
    this.record.truncations.push({ itemId, audioEndMs: playedMs });
    return bargeInItemId;
  }

  /** Returns false when the call closed while waiting for the candidate to speak. */
  private async candidateTurn(turn: Extract<ScriptTurn, { speaker: 'candidate' }>, bargeInItemId: string | null): Promise<boolean> {
    const pace = this.script.paceMs;
    if (this.script.requireAudio) {
      const heardBefore = this.record.rtpPacketsReceived;
      while (!this.closed && this.record.rtpPacketsReceived <= heardBefore) await this.wait(audioFrameMs);
      if (this.closed) return false;
    }
    const itemId = bargeInItemId ?? newId('item');
    const startMs = this.elapsedMs();
    if (!bargeInItemId) this.sendEvent('input_audio_buffer.speech_started', { audio_start_ms: startMs, item_id: itemId });
    if (this.script.requireAudio) {
      // A provider's turn detection ends speech only on audio it received: when the kiosk's audio stops
      // arriving (a dead link), the answer stays open instead of being committed into the void.
      const heardAtStart = this.record.rtpPacketsReceived;
      const frames = Math.max(1, Math.round((this.script.answerMs ?? pace * 3) / audioFrameMs));
      while (!this.closed && this.record.rtpPacketsReceived - heardAtStart < frames) await this.wait(audioFrameMs);
      if (this.closed) return false;
    } else await this.wait(pace * 3);
    this.sendEvent('input_audio_buffer.speech_stopped', { audio_end_ms: startMs + 1500, item_id: itemId });
    const previous = this.conversation.lastItemId;
    this.conversation.lastItemId = itemId;
    this.sendEvent('input_audio_buffer.committed', { previous_item_id: previous, item_id: itemId });
    const item = { id: itemId, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] };
    this.sendEvent('conversation.item.added', { previous_item_id: previous, item });
    this.sendEvent('conversation.item.done', { previous_item_id: previous, item });

    const transcribe = () => {
      if (turn.transcription === 'failed') {
        this.sendEvent('conversation.item.input_audio_transcription.failed', {
          item_id: itemId,
          content_index: 0,
          error: { type: 'transcription_error', code: 'audio_unintelligible', message: 'Audio could not be transcribed.', param: null },
        });
        return;
      }
      const withLogprobs = this.includes('item.input_audio_transcription.logprobs');
      const deltas = transcriptDeltas(turn.text);
      for (const delta of deltas) {
        this.sendEvent('conversation.item.input_audio_transcription.delta', { item_id: itemId, content_index: 0, delta, ...(withLogprobs ? { logprobs: tokenLogprobs(delta) } : {}) });
      }
      this.sendEvent('conversation.item.input_audio_transcription.completed', {
        item_id: itemId,
        content_index: 0,
        transcript: turn.text,
        ...(withLogprobs ? { logprobs: deltas.flatMap(tokenLogprobs) } : {}),
        usage: { type: 'duration', seconds: 1.5 },
      });
    };
    // A late transcript lands while the interviewer's next answer is already streaming; one after the
    // kiosk's stale timeout lands while the script carries on.
    if (turn.transcription === 'late') this.later(pace * 6, transcribe);
    else if (turn.transcription === 'after_stale') this.later(turn.lateByMs ?? 20_000, transcribe);
    else {
      await this.wait(pace);
      transcribe();
    }
    await this.wait(pace);
    return true;
  }

  private startAudio(): void {
    if (this.audioTimer || !this.audio) return;
    const sender = this.audio.sender;
    this.audioTimer = setInterval(() => {
      if (this.closed) return this.stopAudio();
      this.rtpSeq = (this.rtpSeq + 1) & 0xffff;
      this.rtpTimestamp = (this.rtpTimestamp + 960) >>> 0;
      // Plays back what the kiosk last sent (the fake microphone's tone), so the kiosk hears real audio.
      const payload = this.lastKioskPayload ?? opusSilence;
      const packet = new RtpPacket(new RtpHeader({ sequenceNumber: this.rtpSeq, timestamp: this.rtpTimestamp, marker: false }), payload);
      void sender.sendRtp(packet).then(() => this.record.rtpPacketsSent++, () => undefined);
    }, audioFrameMs);
  }

  private stopAudio(): void {
    if (this.audioTimer) clearInterval(this.audioTimer);
    this.audioTimer = null;
  }
}
