// One interview's connection to the voice provider: a native RTCPeerConnection whose offer/answer
// goes through the SDP proxy, the `oai-events` data channel, and recovery. Pre-warming builds the
// peer connection, the data channel and a fully gathered offer, and opens the proxy socket, so that
// starting costs one round trip. A broken call is replaced by a new one (same microphone stream),
// and the caller is told so it can seed the new provider session with the transcript so far.
import type { SessionEventKind } from '../../shared/domain/interview';
import type { TranscriptEntry } from '../../shared/domain/transcript';
import { sleep } from '../backoff';
import { codeOf, messageOf } from '../error-fields';
import { holdMicrophone, PRECONNECT_IDLE_MS, stillUsable } from './call-preconnect';
import { waitForIceGathering, waitForOpen } from './call-readiness';
import { LinkHealth, linkSampleOf, summariseStats, type LinkProblem } from './call-stats';
import { offerHistory, writerFor, type OfferHistoryEntry, type ProviderWriter } from './provider-writer';
import { openSignal, SignalError, signalErrorFor, type SignalChannel } from './proxy-signal';
import {
  defaultReconnectPolicy,
  PROVIDER_CALL_CAP_MS,
  reconnectDelayMs,
  ROTATE_BEFORE_CAP_MS,
  type ReconnectPolicy,
} from './reconnect-policy';

export const DATA_CHANNEL_LABEL = 'oai-events';
/** Main's code for "the backend refused a pass: the interview has ended" (INTERVIEW_ERROR.ended). */
const INTERVIEW_ENDED = 'interview.ended';
/**
 * A live call's signalling socket is replaced by one with a fresh pass this long before its token runs
 * out (the proxy closes it at expiry, 4401). Proxy tokens live 120 s, so this leaves room for a slow
 * backend and a few retries; the media is peer-to-peer and does not notice.
 */
const RENEW_BEFORE_EXPIRY_MS = 30_000;
/** A renewal that failed for a passing reason (the backend unreachable) is tried again after this. */
const RENEW_RETRY_MS = 5_000;
/** The proxy's close code for a socket whose token ran out (proxy/src/signal-proxy.ts). */
const CLOSE_TOKEN_EXPIRED = 4401;

export type ConnectionStatus = 'idle' | 'prewarming' | 'ready' | 'connecting' | 'live' | 'reconnecting' | 'failed' | 'closed';

export interface ProxyCredentials {
  url: string;
  token: string;
  expiresAt: string;
  sessionConfigToken: string;
}

export interface ConnectTimings {
  /** Start pressed → data channel open, the number the candidate feels. */
  connectMs: number;
  offerToAnswerMs: number;
  answerToOpenMs: number;
  prewarmed: boolean;
  /** The whole call was up before Start: it only released the microphone. */
  preconnected?: boolean;
}

export interface RealtimeSessionDeps {
  credentials: ProxyCredentials;
  /**
   * Fresh proxy credentials from main (which asks the backend), fetched for every connection of the
   * proxy socket. Rejecting with code `interview.ended` means the backend refused: the interview is over.
   */
  refreshCredentials?: () => Promise<ProxyCredentials>;
  /** The candidate's microphone; the same stream feeds every call of the interview. */
  microphone: MediaStream;
  createPeerConnection?: () => RTCPeerConnection;
  openSignal?: (url: string, token: string) => Promise<SignalChannel>;
  /** WebRTC audit and telemetry for the session log. */
  audit: (kind: SessionEventKind, data: Record<string, unknown>) => void;
  onStatus?: (status: ConnectionStatus, detail: { attempt: number; reason?: string }) => void;
  onEvent?: (event: unknown) => void;
  onRemoteStream?: (stream: MediaStream) => void;
  /**
   * A new call replaced a broken (or rotated) one: seed it with `writer` (the one for the provider the
   * proxy named), then the interview carries on.
   */
  onRecovered?: (reason: string, writer: ProviderWriter) => void | Promise<void>;
  /**
   * The committed transcript so far. A re-offer to a provider that takes its history at creation
   * (GPT-Live) carries it; others are seeded after the call is up (onRecovered).
   */
  transcriptSoFar?: () => readonly TranscriptEntry[];
  /** Recovery gave up: the interview cannot continue. */
  onFatal?: (error: SignalError) => void;
  onConnected?: (timings: ConnectTimings) => void;
  /**
   * The link became unstable (loss, a long round trip, nothing arriving) or calm again, judged from the
   * call's stats every `healthIntervalMs`; the room says so, the session log notes it.
   */
  onLinkHealth?: (unstable: boolean, problems: LinkProblem[]) => void;
  healthIntervalMs?: number;
  /** Whether now is a good moment to rotate (nobody is speaking). */
  isQuiet?: () => boolean;
  policy?: Partial<ReconnectPolicy>;
  iceGatheringTimeoutMs?: number;
  dataChannelOpenTimeoutMs?: number;
  statsIntervalMs?: number;
  rotateAfterMs?: number;
  /** How long before its token expires a live call's signalling socket is renewed (RENEW_BEFORE_EXPIRY_MS). */
  renewBeforeExpiryMs?: number;
  /** Wait before retrying a failed renewal (RENEW_RETRY_MS). */
  renewRetryMs?: number;
  /** How long a pre-connected call waits for Start; PRECONNECT_IDLE_MS unless a test shortens it. */
  preconnectIdleMs?: number;
  now?: () => number;
  random?: () => number;
}

interface Call {
  pc: RTCPeerConnection;
  channel: RTCDataChannel;
  offerSdp: string;
  signal: SignalChannel | null;
  /** Set while the call is the live one; undone when it is replaced or closed. */
  detach: Array<() => void>;
  /** The interviewer's audio; it can arrive before the call becomes the live one. */
  remote: MediaStream | null;
  /** The provider's id for the call, once answered. */
  callId: string | null;
  /** A fresh signalling socket is being opened: the old one closing (4409, 4401) is expected. */
  renewingSignal: boolean;
  /** Renewals failed in a row (the backend unreachable); only the first is written to the session log. */
  renewFailures: number;
  /** When the provider answered: its session cap counts from here, not from Start. */
  answeredAt?: number;
  /** Pre-connected and waiting for Start: puts the held microphone back. */
  release?: () => Promise<void>;
}

export class RealtimeSession {
  private status: ConnectionStatus = 'idle';
  private credentials: ProxyCredentials;
  private readonly policy: ReconnectPolicy;
  private readonly now: () => number;
  private call: Call | null = null;
  private prewarming: Promise<Call> | null = null;
  private preconnecting: Promise<void> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private recovering = false;
  private attempt = 0;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private readonly health = new LinkHealth();
  private unstableSince: number | null = null;
  private rotateTimer: ReturnType<typeof setTimeout> | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly deps: RealtimeSessionDeps) {
    this.credentials = deps.credentials;
    this.policy = { ...defaultReconnectPolicy, ...deps.policy };
    this.now = deps.now ?? (() => performance.now());
  }

  get state(): ConnectionStatus {
    return this.status;
  }

  /** Builds the call up to the point where only the offer/answer round trip is left. Safe to repeat. */
  prewarm(): Promise<void> {
    if (this.call || this.closed) return Promise.resolve();
    this.prewarming ??= this.prepareCall().then(
      (call) => {
        this.prewarming = null;
        if (this.closed) {
          this.dispose(call);
          return call;
        }
        this.call = call;
        if (this.status === 'prewarming') this.setStatus('ready');
        return call;
      },
      (error: unknown) => {
        this.prewarming = null;
        if (this.status === 'prewarming') this.setStatus('idle', { reason: messageOf(error) });
        throw error;
      },
    );
    if (this.status === 'idle') this.setStatus('prewarming');
    return this.prewarming.then(() => undefined);
  }

  /**
   * Sets the whole call up before Start (prewarm, then the offer/answer and the data channel), with the
   * microphone held back and no response requested, and closes it again if Start does not come within
   * the idle bound. Not for GPT-Live, which starts speaking as soon as its call opens: there only the
   * socket and offer are pre-warmed. Safe to repeat; failures leave the pre-warmed state for Start.
   */
  preconnect(): Promise<void> {
    this.preconnecting ??= this.runPreconnect().finally(() => {
      this.preconnecting = null;
    });
    return this.preconnecting;
  }

  private async runPreconnect(): Promise<void> {
    await this.prewarm();
    const call = this.call;
    if (!call || this.closed || this.status !== 'ready' || call.release || call.callId || call.signal?.api === 'live') return;
    try {
      call.release = await holdMicrophone(call.pc);
      await this.connect(call, this.now(), false, false);
    } catch (error) {
      this.deps.audit('error', { code: error instanceof SignalError ? error.code : 'unexpected', message: messageOf(error), during: 'preconnect' });
      if (this.call === call) this.call = null;
      this.dispose(call);
      if (error instanceof SignalError && error.code === 'interview_ended') throw error;
      // Back to what Start can use in one round trip; if even that fails, the caller retries.
      if (!this.closed) await this.prewarm();
      return;
    }
    if (this.closed || this.call !== call) return;
    this.deps.audit('webrtc_status', { status: 'preconnected', call_id: call.callId });
    this.idleTimer = setTimeout(() => this.expirePreconnected(call), this.deps.preconnectIdleMs ?? PRECONNECT_IDLE_MS);
  }

  /** Nobody pressed Start in time: the provider session goes, a cheap pre-warm (no provider session) stays. */
  private expirePreconnected(call: Call): void {
    this.idleTimer = null;
    if (this.call !== call || this.closed || this.status === 'live' || this.status === 'connecting') return;
    this.deps.audit('webrtc_status', { status: 'preconnect_expired', call_id: call.callId });
    this.call = null;
    this.dispose(call);
    // The status stays `ready` (the device check keeps its Start button): Start waits for this pre-warm.
    void this.prewarm().catch(() => undefined);
  }

  /** How to write to the provider of the current call, chosen by the `api` its proxy named. */
  get writer(): ProviderWriter {
    return writerFor(this.call?.signal?.api ?? 'realtime');
  }

  /** The proxy socket is open and the token accepted: the device check's "connection" line. */
  get proxyReachable(): boolean {
    return this.call?.signal?.isOpen() ?? false;
  }

  /**
   * Start pressed: one offer/answer round trip on the pre-warmed call, then the data channel opens.
   * `resume`: the interview was already under way before the window reloaded, so the provider learns
   * the transcript so far exactly as on a reconnect (in the offer, or seeded through onRecovered).
   */
  async start(options: { resume?: boolean } = {}): Promise<void> {
    const resume = options.resume === true;
    const pressedAt = this.now();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.preconnecting) await this.preconnecting.catch(() => undefined);
    if (this.closed) return;
    const held = this.call;
    if (held?.release) {
      if (!resume && stillUsable(held.pc, held.channel, held.signal?.isOpen() ?? false)) {
        const release = held.release;
        held.release = undefined;
        // Live (and the greeting asked for, through onConnected) within the click itself: the microphone
        // comes back while the provider is still generating the greeting, long before anyone answers it.
        // The greeting is asked for before going live sets off the room's own work (recording start):
        // the provider's events are read from onLive on, which runs in this same tick.
        const releasing = release();
        const connectMs = this.now() - pressedAt;
        this.deps.onConnected?.({ connectMs, offerToAnswerMs: 0, answerToOpenMs: 0, prewarmed: true, preconnected: true });
        this.onLive();
        this.deps.audit('telemetry', { metric: 'connect', attempt: this.attempt, call_id: held.callId, connect_ms: connectMs, offer_to_answer_ms: 0, answer_to_open_ms: 0, preconnected: true });
        await releasing.catch((error: unknown) => this.deps.audit('error', { code: 'unexpected', message: messageOf(error), during: 'preconnect_release' }));
        return;
      }
      // Went stale while the candidate read (or a resume, which must re-offer with the history): a fresh call.
      this.deps.audit('webrtc_status', { status: 'preconnect_discarded', call_id: held.callId });
      this.call = null;
      this.dispose(held);
    }
    const wasPrewarmed = this.call !== null;
    this.setStatus('connecting');
    try {
      if (!this.call) {
        if (this.prewarming) await this.prewarming.catch(() => undefined);
        if (!this.call) {
          const call = await this.prepareCall();
          if (this.closed) {
            this.dispose(call);
            return;
          }
          this.call = call;
        }
      }
      if (this.closed || !this.call) return;
      const timings = await this.connect(this.call, pressedAt, resume);
      // The interview may have ended while the answer was on its way.
      if (this.closed) return;
      this.onLive();
      this.deps.onConnected?.({ ...timings, prewarmed: wasPrewarmed });
      if (resume) await this.deps.onRecovered?.('resumed', writerFor(this.call?.signal?.api ?? 'realtime'));
    } catch (error) {
      if (this.closed) return;
      this.deps.audit('error', { code: error instanceof SignalError ? error.code : 'unexpected', message: messageOf(error), during: 'start' });
      if (error instanceof SignalError && error.code === 'interview_ended') return this.giveUp(error, 'start_failed');
      await this.recover('start_failed');
    }
  }

  /** Sends a client event to the provider; false when no call is open (the caller may retry later). */
  send(event: Record<string, unknown>): boolean {
    const channel = this.call?.channel;
    if (!channel || channel.readyState !== 'open') return false;
    channel.send(JSON.stringify(event));
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.call) this.dispose(this.call);
    this.call = null;
    this.setStatus('closed');
  }

  private async prepareCall(): Promise<Call> {
    const pc = this.deps.createPeerConnection ? this.deps.createPeerConnection() : new RTCPeerConnection();
    try {
      for (const track of this.deps.microphone.getAudioTracks()) pc.addTrack(track, this.deps.microphone);
      // Created before the offer so it is negotiated in the very first SDP.
      const channel = pc.createDataChannel(DATA_CHANNEL_LABEL);
      const call: Call = { pc, channel, offerSdp: '', signal: null, detach: [], remote: null, callId: null, renewingSignal: false, renewFailures: 0 };
      pc.addEventListener('track', (event: RTCTrackEvent) => {
        call.remote = event.streams[0] ?? new MediaStream([event.track]);
        if (this.call === call && this.status === 'live') this.deps.onRemoteStream?.(call.remote);
      });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      await waitForIceGathering(pc, this.deps.iceGatheringTimeoutMs ?? 3_000);
      call.offerSdp = pc.localDescription?.sdp ?? offer.sdp ?? '';
      call.signal = await this.openSignalWithFreshToken();
      return call;
    } catch (error) {
      pc.close();
      throw error;
    }
  }

  /** The proxy refuses an offer on an expired token, so a socket whose token is about to run out is replaced. */
  private credentialsStale(): boolean {
    return this.deps.refreshCredentials !== undefined && !(Date.parse(this.credentials.expiresAt) - Date.now() > 60_000);
  }

  /**
   * Every connection gets a pass of its own from the backend (through main): tokens stay short-lived
   * and bound to one socket, and the backend, which knows the interview's state, can refuse one.
   */
  private async renewCredentials(): Promise<void> {
    try {
      this.credentials = await this.deps.refreshCredentials!();
    } catch (error) {
      if (codeOf(error) === INTERVIEW_ENDED) throw new SignalError('interview_ended', messageOf(error), false);
      throw error;
    }
  }

  private async openSignalWithFreshToken(): Promise<SignalChannel> {
    if (this.deps.refreshCredentials) await this.renewCredentials();
    const open = this.deps.openSignal ?? ((url: string, token: string) => openSignal({ url, token }));
    return await open(this.credentials.url, this.credentials.token);
  }

  /** What a re-offer tells a provider that takes its history at creation; undefined for the others. */
  private historyFor(signal: SignalChannel): OfferHistoryEntry[] | undefined {
    const entries = this.deps.transcriptSoFar?.() ?? [];
    if (entries.length === 0 || writerFor(signal.api ?? 'realtime').seedHistory(entries) !== 'with-offer') return undefined;
    const history = offerHistory(entries);
    return history.length > 0 ? history : undefined;
  }

  private async connect(call: Call, pressedAt: number, reoffer = false, telemetry = true): Promise<Omit<ConnectTimings, 'prewarmed'>> {
    // A socket pre-warmed long ago may carry a token that has since run out (the candidate took their time).
    if (!call.signal || !call.signal.isOpen() || this.credentialsStale()) {
      call.signal?.close();
      call.signal = await this.openSignalWithFreshToken();
    }
    const history = reoffer ? this.historyFor(call.signal) : undefined;
    // The count only: the history is the candidate's words, and the session log is no place for a copy.
    this.deps.audit('sdp_offer', { sdp: call.offerSdp, attempt: this.attempt, ...(history ? { history_items: history.length } : {}) });
    const offeredAt = this.now();
    const answer = await call.signal.offer(call.offerSdp, this.credentials.sessionConfigToken, history);
    const answeredAt = this.now();
    call.answeredAt = answeredAt;
    this.deps.audit('sdp_answer', { sdp: answer.sdp, call_id: answer.callId, attempt: this.attempt });
    call.callId = answer.callId;
    await call.pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    await waitForOpen(call.channel, this.deps.dataChannelOpenTimeoutMs ?? 15_000);
    const openAt = this.now();
    const timings = { connectMs: openAt - pressedAt, offerToAnswerMs: answeredAt - offeredAt, answerToOpenMs: openAt - answeredAt };
    if (telemetry) this.deps.audit('telemetry', {
      metric: 'connect',
      attempt: this.attempt,
      call_id: answer.callId,
      connect_ms: timings.connectMs,
      offer_to_answer_ms: timings.offerToAnswerMs,
      answer_to_open_ms: timings.answerToOpenMs,
    });
    return timings;
  }

  /** The call is up: watch it, read its events, and keep an eye on the provider's cap. */
  private onLive(): void {
    const call = this.call!;
    this.attempt = 0;
    if (call.remote) this.deps.onRemoteStream?.(call.remote);
    const { pc, channel } = call;
    const onConnectionState = () => {
      this.deps.audit('webrtc_status', { status: pc.connectionState, ice_state: pc.iceConnectionState, call_id: call.callId });
      if (pc.connectionState === 'connected') this.clearGrace();
      else if (pc.connectionState === 'disconnected') this.startGrace();
      else if (pc.connectionState === 'failed') void this.recover('peer_failed');
    };
    const onIceState = () => {
      this.deps.audit('webrtc_status', { status: `ice_${pc.iceConnectionState}`, call_id: call.callId });
    };
    const onMessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      this.deps.onEvent?.(parsed);
    };
    const onChannelClose = () => void this.recover('data_channel_closed');
    pc.addEventListener('connectionstatechange', onConnectionState);
    pc.addEventListener('iceconnectionstatechange', onIceState);
    channel.addEventListener('message', onMessage);
    channel.addEventListener('close', onChannelClose);
    if (call.signal) this.watchSignal(call, call.signal);
    call.detach.push(() => {
      pc.removeEventListener('connectionstatechange', onConnectionState);
      pc.removeEventListener('iceconnectionstatechange', onIceState);
      channel.removeEventListener('message', onMessage);
      channel.removeEventListener('close', onChannelClose);
    });
    this.startStats(pc);
    this.startHealth(pc);
    this.scheduleRotation(call.answeredAt === undefined ? 0 : this.now() - call.answeredAt);
    this.scheduleSignalRenewal(call);
    this.setStatus('live');
  }

  /**
   * The live call's signalling socket closing unasked is a broken connection, unless it was just
   * replaced. A socket closed because its token ran out (a renewal that could not get a pass in time:
   * the backend unreachable) leaves the call itself alone — its media does not pass through the proxy —
   * and is renewed as soon as main gets a pass again.
   */
  private watchSignal(call: Call, signal: SignalChannel): void {
    signal.onClose((code) => {
      if (this.call !== call || call.signal !== signal || call.renewingSignal) return;
      if (code === CLOSE_TOKEN_EXPIRED && this.deps.refreshCredentials) return this.scheduleSignalRenewal(call, 0);
      void this.recover('proxy_socket_closed');
    });
  }

  private scheduleSignalRenewal(call: Call, afterMs?: number): void {
    if (!this.deps.refreshCredentials || this.closed) return;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const before = this.deps.renewBeforeExpiryMs ?? RENEW_BEFORE_EXPIRY_MS;
    const delay = afterMs ?? Math.max(0, Date.parse(this.credentials.expiresAt) - Date.now() - before);
    this.renewTimer = setTimeout(() => {
      this.renewTimer = null;
      void this.renewSignal(call);
    }, delay);
  }

  /**
   * Only signalling is renewed: a new socket with a fresh pass from the backend replaces the old one
   * (the proxy closes the old with 4409), while the peer connection and its media carry on untouched.
   * Once the interview has ended the backend refuses the pass, and the interview is over for the kiosk
   * too; the old socket would be closed by the proxy at its token's expiry anyway.
   */
  private async renewSignal(call: Call): Promise<void> {
    if (this.closed || this.call !== call) return;
    const old = call.signal;
    call.renewingSignal = true;
    try {
      await this.renewCredentials();
      const open = this.deps.openSignal ?? ((url: string, token: string) => openSignal({ url, token }));
      const signal = await open(this.credentials.url, this.credentials.token);
      if (this.closed || this.call !== call) {
        signal.close();
        return;
      }
      call.signal = signal;
      this.watchSignal(call, signal);
      old?.close();
      this.deps.audit('telemetry', {
        metric: 'signal_renewed',
        call_id: call.callId,
        expires_at: this.credentials.expiresAt,
        ...(call.renewFailures > 0 ? { failed_before: call.renewFailures } : {}),
      });
      call.renewFailures = 0;
      this.scheduleSignalRenewal(call);
    } catch (error) {
      if (this.closed || this.call !== call) return;
      if (error instanceof SignalError && error.code === 'interview_ended') {
        this.clearTimers();
        old?.close();
        this.giveUp(error, 'signal_renewal');
        return;
      }
      call.renewFailures += 1;
      if (call.renewFailures === 1) {
        this.deps.audit('error', { code: error instanceof SignalError ? error.code : (codeOf(error) ?? 'unexpected'), message: messageOf(error), during: 'signal_renewal' });
      }
      // Even once the old socket has run out the call goes on: it needs signalling only to be
      // re-established, and a call that breaks meanwhile is reconnected with a pass of its own.
      this.scheduleSignalRenewal(call, this.deps.renewRetryMs ?? RENEW_RETRY_MS);
    } finally {
      call.renewingSignal = false;
    }
  }

  private startGrace(): void {
    if (this.graceTimer) return;
    this.graceTimer = setTimeout(() => {
      this.graceTimer = null;
      void this.recover('peer_disconnected');
    }, this.policy.disconnectGraceMs);
  }

  private clearGrace(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }

  private async recover(reason: string): Promise<void> {
    if (this.recovering || this.closed) return;
    this.recovering = true;
    this.clearTimers();
    const broken = this.call;
    this.call = null;
    if (broken) this.dispose(broken);
    this.deps.audit('webrtc_status', { status: 'reconnecting', reason });
    let lastError: SignalError = signalErrorFor('unreachable', 'The interview connection could not be restored.');
    try {
      for (let attempt = 0; attempt < this.policy.maxAttempts; attempt++) {
        this.attempt = attempt + 1;
        this.setStatus('reconnecting', { reason });
        const delay = reconnectDelayMs(this.policy, attempt, this.deps.random);
        if (delay > 0) await sleep(delay);
        if (this.closed) return;
        let call: Call | null = null;
        try {
          call = await this.prepareCall();
          if (this.closed) {
            this.dispose(call);
            return;
          }
          this.call = call;
          await this.connect(call, this.now(), true);
          if (this.closed) return;
          this.onLive();
          this.deps.audit('webrtc_status', { status: 'recovered', reason, attempts: attempt + 1, call_id: call.callId });
          await this.deps.onRecovered?.(reason, writerFor(call.signal?.api ?? 'realtime'));
          return;
        } catch (error) {
          if (call) this.dispose(call);
          this.call = null;
          lastError = error instanceof SignalError ? error : signalErrorFor('unreachable', messageOf(error));
          this.deps.audit('error', { code: lastError.code, message: lastError.message, during: 'recovery', attempt: attempt + 1 });
          // A refused token is worth another attempt (each gets a fresh pass); an interview the backend calls ended is not.
          if (error instanceof SignalError && !error.retryable && error.code !== 'unauthorized') break;
        }
      }
      if (this.closed) return;
      this.giveUp(lastError, reason);
    } finally {
      this.recovering = false;
    }
  }

  private giveUp(error: SignalError, reason: string): void {
    this.deps.audit('webrtc_status', { status: 'recovery_failed', reason, code: error.code });
    this.setStatus('failed', { reason: error.code });
    this.deps.onFatal?.(error);
  }

  /** `elapsedMs`: how long the provider session has existed already (a pre-connected call waited for Start). */
  private scheduleRotation(elapsedMs: number): void {
    const after = Math.max(0, (this.deps.rotateAfterMs ?? PROVIDER_CALL_CAP_MS - ROTATE_BEFORE_CAP_MS) - elapsedMs);
    const deadline = this.now() + after + ROTATE_BEFORE_CAP_MS / 2;
    const check = () => {
      this.rotateTimer = null;
      // Wait for a pause in the conversation, but never past the cap itself.
      if (this.deps.isQuiet && !this.deps.isQuiet() && this.now() < deadline) {
        this.rotateTimer = setTimeout(check, 1_000);
        return;
      }
      void this.recover('rotation');
    };
    this.rotateTimer = setTimeout(check, after);
  }

  private startStats(pc: RTCPeerConnection): void {
    const interval = this.deps.statsIntervalMs ?? 10_000;
    if (interval <= 0) return;
    this.statsTimer = setInterval(() => {
      pc.getStats()
        .then((report) => this.deps.audit('telemetry', { metric: 'stats', ...summariseStats(report) }))
        .catch(() => undefined);
    }, interval);
  }

  private startHealth(pc: RTCPeerConnection): void {
    const interval = this.deps.healthIntervalMs ?? 1_000;
    if (interval <= 0) return;
    this.health.newCall();
    this.healthTimer = setInterval(() => {
      Promise.resolve()
        .then(() => pc.getStats())
        .then((report) => {
          if (pc.connectionState === 'closed') return;
          const now = this.now();
          if (!this.health.observe(linkSampleOf(report, now, pc.iceConnectionState))) return;
          if (this.health.unstable) {
            this.unstableSince = now;
            // Telemetry, not webrtc_status: the session's WebRTC state column follows the latter.
            this.deps.audit('telemetry', { metric: 'link', state: 'unstable', problems: this.health.problems });
          } else {
            this.deps.audit('telemetry', { metric: 'link', state: 'stable', unstable_ms: Math.round(now - (this.unstableSince ?? now)) });
            this.unstableSince = null;
          }
          this.deps.onLinkHealth?.(this.health.unstable, this.health.problems);
        })
        .catch(() => undefined);
    }, interval);
  }

  private clearTimers(): void {
    this.clearGrace();
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.rotateTimer) clearTimeout(this.rotateTimer);
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.statsTimer = null;
    this.rotateTimer = null;
    this.renewTimer = null;
  }

  private dispose(call: Call): void {
    for (const undo of call.detach.splice(0)) undo();
    try {
      call.channel.close();
    } catch {
      // already closed
    }
    call.pc.close();
    call.signal?.close();
  }

  private setStatus(status: ConnectionStatus, detail: { reason?: string } = {}): void {
    if (this.status === status && status !== 'reconnecting') return;
    this.status = status;
    this.deps.onStatus?.(status, { attempt: this.attempt, ...detail });
  }
}
