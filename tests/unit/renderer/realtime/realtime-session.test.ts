import { describe, expect, it, vi } from 'vitest';
import { SignalError, signalErrorFor, type SignalChannel } from '../../../../src/renderer/realtime/proxy-signal';
import { gptLiveWriter, realtimeGaWriter, type OfferHistoryEntry, type ProviderApi } from '../../../../src/renderer/realtime/provider-writer';
import { RealtimeSession, type ConnectionStatus, type RealtimeSessionDeps } from '../../../../src/renderer/realtime/realtime-session';
import type { TranscriptEntry } from '../../../../src/shared/domain/transcript';

// Just enough of RTCPeerConnection / RTCDataChannel for the session's decisions; real WebRTC is
// exercised by the Playwright specs against the emulator.
class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  sent: string[] = [];
  constructor(readonly label: string) {
    super();
  }
  send(data: string) {
    this.sent.push(data);
  }
  open() {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }
  emit(event: unknown) {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(event) }));
  }
}

class FakePeer extends EventTarget {
  static all: FakePeer[] = [];
  tracks: unknown[] = [];
  channel: FakeChannel | null = null;
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  iceGatheringState: RTCIceGatheringState = 'new';
  localDescription: { sdp: string } | null = null;
  remote: string | null = null;
  closed = false;
  constructor() {
    super();
    FakePeer.all.push(this);
  }
  senders: Array<{ track: unknown; replaceTrack: (track: unknown) => Promise<void> }> = [];
  addTrack(track: unknown) {
    this.tracks.push(track);
    const sender = {
      track,
      replaceTrack: async (next: unknown) => {
        sender.track = next;
      },
    };
    this.senders.push(sender);
  }
  getSenders() {
    return this.senders;
  }
  createDataChannel(label: string) {
    this.channel = new FakeChannel(label);
    return this.channel;
  }
  async createOffer() {
    return { type: 'offer', sdp: `v=0\r\nm=audio offer-${FakePeer.all.length}\r\n` };
  }
  async setLocalDescription(description: { sdp: string }) {
    this.localDescription = { sdp: `${description.sdp}a=candidate:host\r\n` };
    setTimeout(() => {
      this.iceGatheringState = 'complete';
      this.dispatchEvent(new Event('icegatheringstatechange'));
    }, 1);
  }
  async setRemoteDescription(description: { sdp: string }) {
    this.remote = description.sdp;
    setTimeout(() => {
      this.setConnection('connected');
      this.channel?.open();
    }, 1);
  }
  setConnection(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
  async getStats() {
    return new Map([['pair', { type: 'candidate-pair', state: 'succeeded', currentRoundTripTime: 0.012 }]]);
  }
  close() {
    this.closed = true;
    this.channel?.close();
  }
}

type FakeOffer = { sdp: string; session?: string; history?: readonly OfferHistoryEntry[] };

function fakeSignals(behaviour: (index: number, token: string) => 'ok' | SignalError = () => 'ok', api?: ProviderApi) {
  const opened: Array<{ token: string; offers: FakeOffer[]; closed: boolean; listeners: Array<(code: number, reason: string) => void>; dropClose: () => void }> = [];
  const open = async (_url: string, token: string): Promise<SignalChannel> => {
    const index = opened.length;
    const outcome = behaviour(index, token);
    if (outcome instanceof SignalError) {
      opened.push({ token, offers: [], closed: true, listeners: [], dropClose: () => {} });
      throw outcome;
    }
    const listeners: Array<(code: number, reason: string) => void> = [];
    const record = { token, offers: [] as FakeOffer[], closed: false, listeners, dropClose: () => listeners.forEach((listener) => listener(1006, '')) };
    opened.push(record);
    return {
      sessionId: 's',
      expiresAt: '',
      api,
      isOpen: () => !record.closed,
      offer: async (sdp, session, history) => {
        record.offers.push({ sdp, session, history });
        return { sdp: `v=0\r\nanswer-${index}\r\n`, callId: `rtc_${index}` };
      },
      onClose: (listener) => listeners.push(listener),
      close: () => {
        record.closed = true;
      },
    };
  };
  return { opened, open };
}

function setup(overrides: Partial<RealtimeSessionDeps> = {}, behaviour?: Parameters<typeof fakeSignals>[0], api?: ProviderApi) {
  FakePeer.all = [];
  const micTrack = { kind: 'audio', id: 'mic-1' };
  const microphone = { getAudioTracks: () => [micTrack] } as unknown as MediaStream;
  const signals = fakeSignals(behaviour, api);
  const statuses: ConnectionStatus[] = [];
  const audit: Array<{ kind: string; data: Record<string, unknown> }> = [];
  const events: unknown[] = [];
  const session = new RealtimeSession({
    credentials: { url: 'ws://proxy/v1/signal', token: 'token-1', expiresAt: new Date(Date.now() + 600_000).toISOString(), sessionConfigToken: 'config-jwt' },
    microphone,
    createPeerConnection: () => new FakePeer() as unknown as RTCPeerConnection,
    openSignal: signals.open,
    audit: (kind, data) => audit.push({ kind, data }),
    onStatus: (status) => statuses.push(status),
    onEvent: (event) => events.push(event),
    policy: { baseDelayMs: 1, maxDelayMs: 4, disconnectGraceMs: 60, maxAttempts: 3 },
    statsIntervalMs: 0,
    random: () => 0.5,
    ...overrides,
  });
  return { session, signals, statuses, audit, events, micTrack };
}

const until = (condition: () => boolean, timeoutMs = 2_000) => vi.waitFor(() => expect(condition()).toBe(true), { timeout: timeoutMs, interval: 5 });

describe('realtime session', () => {
  it('pre-warms the peer connection, data channel, gathered offer and proxy socket so Start is one round trip', async () => {
    const onConnected = vi.fn();
    const { session, signals, statuses, audit } = setup({ onConnected });
    await session.prewarm();
    const [peer] = FakePeer.all;
    expect(peer!.channel?.label).toBe('oai-events');
    expect(peer!.tracks).toHaveLength(1);
    expect(signals.opened).toHaveLength(1);
    expect(signals.opened[0]!.offers).toHaveLength(0);
    expect(session.proxyReachable).toBe(true);
    expect(statuses).toEqual(['prewarming', 'ready']);

    await session.start();
    expect(signals.opened).toHaveLength(1);
    // The offer sent is the one with gathered candidates, with the signed session config.
    expect(signals.opened[0]!.offers).toEqual([{ sdp: expect.stringContaining('a=candidate:host'), session: 'config-jwt' }]);
    expect(statuses.at(-1)).toBe('live');
    expect(onConnected).toHaveBeenCalledWith(expect.objectContaining({ prewarmed: true }));
    expect(audit.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['sdp_offer', 'sdp_answer', 'telemetry']));
    session.close();
  });

  describe('pre-connected call', () => {
    it('does the whole call before Start with the microphone held back; Start only releases it', async () => {
      const onConnected = vi.fn();
      const { session, signals, statuses, audit, micTrack } = setup({ onConnected });
      await session.preconnect();
      const [peer] = FakePeer.all;
      expect(signals.opened[0]!.offers).toHaveLength(1);
      expect(peer!.channel?.readyState).toBe('open');
      expect(peer!.senders[0]!.track).toBeNull();
      expect(statuses).toEqual(['prewarming', 'ready']);
      // Nothing was asked of the provider before Start.
      expect(peer!.channel!.sent).toEqual([]);
      expect(audit.filter((entry) => entry.kind === 'telemetry')).toEqual([]);

      await session.start();
      expect(FakePeer.all).toHaveLength(1);
      expect(signals.opened[0]!.offers).toHaveLength(1);
      expect(peer!.senders[0]!.track).toBe(micTrack);
      expect(statuses.at(-1)).toBe('live');
      expect(onConnected).toHaveBeenCalledWith(expect.objectContaining({ preconnected: true, prewarmed: true }));
      expect(audit.find((entry) => entry.kind === 'telemetry')?.data).toMatchObject({ metric: 'connect', preconnected: true });
      session.close();
    });

    it('closes the call when Start does not come within the idle bound, and Start then makes a fresh one', async () => {
      const { session, signals, statuses, audit, micTrack } = setup({ preconnectIdleMs: 20 });
      await session.preconnect();
      const first = FakePeer.all[0]!;
      await until(() => first.closed);
      expect(signals.opened[0]!.closed).toBe(true);
      expect(audit.some((entry) => entry.data.status === 'preconnect_expired')).toBe(true);
      // A cheap pre-warm takes its place: socket and offer ready, no provider session; Start stays available.
      await until(() => FakePeer.all.length === 2 && signals.opened.length === 2 && session.proxyReachable);
      expect(statuses).toEqual(['prewarming', 'ready']);
      expect(signals.opened[1]!.offers).toHaveLength(0);

      await session.start();
      expect(signals.opened[1]!.offers).toHaveLength(1);
      expect(FakePeer.all[1]!.senders[0]!.track).toBe(micTrack);
      expect(statuses.at(-1)).toBe('live');
      session.close();
    });

    it('replaces a pre-connected call that broke while the candidate read', async () => {
      const { session, signals, statuses } = setup();
      await session.preconnect();
      FakePeer.all[0]!.channel!.close();
      await session.start();
      expect(FakePeer.all).toHaveLength(2);
      expect(signals.opened.at(-1)!.offers).toHaveLength(1);
      expect(statuses.at(-1)).toBe('live');
      session.close();
    });

    it('falls back to the pre-warmed call when pre-connecting fails, so Start is still one round trip', async () => {
      const { session, signals, statuses, audit } = setup({
        createPeerConnection: () => {
          const peer = new FakePeer();
          if (FakePeer.all.length === 1) peer.setRemoteDescription = async () => Promise.reject(new Error('bad answer'));
          return peer as unknown as RTCPeerConnection;
        },
      });
      await session.preconnect();
      expect(audit.some((entry) => entry.kind === 'error' && entry.data.during === 'preconnect')).toBe(true);
      expect(FakePeer.all[0]!.closed).toBe(true);
      expect(FakePeer.all).toHaveLength(2);
      expect(session.proxyReachable).toBe(true);
      expect(signals.opened[1]!.offers).toHaveLength(0);
      await session.start();
      expect(signals.opened[1]!.offers).toHaveLength(1);
      expect(statuses.at(-1)).toBe('live');
      session.close();
    });

    it('closes the pre-connected call with the session (declined consent)', async () => {
      const { session, signals } = setup();
      await session.preconnect();
      session.close();
      expect(FakePeer.all[0]!.closed).toBe(true);
      expect(signals.opened[0]!.closed).toBe(true);
    });

    it('only pre-warms for GPT-Live, which starts speaking as soon as its call opens', async () => {
      const { session, signals } = setup({}, undefined, 'live');
      await session.preconnect();
      expect(signals.opened[0]!.offers).toHaveLength(0);
      session.close();
    });

    it("counts the wait for Start against the provider's session cap", async () => {
      let clock = 0;
      const { session, signals } = setup({ now: () => clock, rotateAfterMs: 60_000 });
      await session.preconnect();
      clock = 59_990;
      await session.start();
      // Rotation is due 10 ms after Start, not a whole rotateAfterMs later.
      await until(() => signals.opened.length === 2 && signals.opened[1]!.offers.length === 1);
      session.close();
    });
  });

  it('stays closed when the interview ends while the answer is on its way', async () => {
    const { session, statuses } = setup();
    const starting = session.start();
    session.close();
    await starting;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statuses.at(-1)).toBe('closed');
    expect(session.send({ type: 'response.create' })).toBe(false);
  });

  it('hands provider events from the data channel to the caller and sends client events on it', async () => {
    const { session, events } = setup();
    await session.start();
    FakePeer.all[0]!.channel!.emit({ type: 'session.created' });
    FakePeer.all[0]!.channel!.dispatchEvent(new MessageEvent('message', { data: 'not json' }));
    expect(events).toEqual([{ type: 'session.created' }]);
    expect(session.send({ type: 'response.create' })).toBe(true);
    expect(FakePeer.all[0]!.channel!.sent).toEqual(['{"type":"response.create"}']);
    session.close();
    expect(session.send({ type: 'response.create' })).toBe(false);
  });

  it('re-offers on a new socket with the same microphone when the data channel closes, then reports the recovery', async () => {
    const onRecovered = vi.fn();
    const { session, signals, statuses, micTrack } = setup({ onRecovered });
    await session.start();
    FakePeer.all[0]!.channel!.close();
    await until(() => onRecovered.mock.calls.length === 1);
    expect(onRecovered).toHaveBeenCalledWith('data_channel_closed', realtimeGaWriter);
    expect(FakePeer.all).toHaveLength(2);
    expect(FakePeer.all[0]!.closed).toBe(true);
    expect(FakePeer.all[1]!.tracks).toEqual([micTrack]);
    expect(signals.opened).toHaveLength(2);
    expect(signals.opened[0]!.closed).toBe(true);
    expect(statuses.slice(-2)).toEqual(['reconnecting', 'live']);
    session.close();
  });

  it('on GPT-Live re-offers with the committed transcript as history, and hands the Live writer to the seeding', async () => {
    const onRecovered = vi.fn();
    const said = [
      { seq: 0, speaker: 'interviewer', text: 'Tell me about yourself.' },
      { seq: 1, speaker: 'candidate', text: '' },
      { seq: 2, speaker: 'candidate', text: 'I build distributed systems.' },
    ] as unknown as TranscriptEntry[];
    const transcriptSoFar = vi.fn(() => said);
    const { session, signals, audit } = setup({ onRecovered, transcriptSoFar }, undefined, 'live');
    await session.start();
    expect(session.writer).toBe(gptLiveWriter);
    // The first call of an interview has nothing to carry.
    expect(signals.opened[0]!.offers[0]!.history).toBeUndefined();
    FakePeer.all[0]!.channel!.close();
    await until(() => onRecovered.mock.calls.length === 1);
    expect(signals.opened[1]!.offers[0]!.history).toEqual([
      { speaker: 'interviewer', text: 'Tell me about yourself.' },
      { speaker: 'candidate', text: 'I build distributed systems.' },
    ]);
    expect(onRecovered).toHaveBeenCalledWith('data_channel_closed', gptLiveWriter);
    const offersAudited = audit.filter((entry) => entry.kind === 'sdp_offer').map((entry) => entry.data);
    expect(offersAudited.at(-1)).toMatchObject({ history_items: 2 });
    expect(JSON.stringify(audit)).not.toContain('distributed systems');
    session.close();
  });

  it('a resumed start (the window reloaded mid-interview) carries the transcript so far as a reconnect does', async () => {
    const said = [{ seq: 0, speaker: 'interviewer', text: 'Tell me about yourself.' }] as unknown as TranscriptEntry[];
    const onLiveRecovered = vi.fn();
    const live = setup({ onRecovered: onLiveRecovered, transcriptSoFar: () => said }, undefined, 'live');
    await live.session.start({ resume: true });
    expect(live.signals.opened[0]!.offers[0]!.history).toEqual([{ speaker: 'interviewer', text: 'Tell me about yourself.' }]);
    expect(onLiveRecovered).toHaveBeenCalledWith('resumed', gptLiveWriter);
    live.session.close();
    const onRecovered = vi.fn();
    const ga = setup({ onRecovered, transcriptSoFar: () => said }, undefined, 'realtime');
    await ga.session.start({ resume: true });
    expect(ga.signals.opened[0]!.offers[0]!.history).toBeUndefined();
    expect(onRecovered).toHaveBeenCalledWith('resumed', realtimeGaWriter);
    ga.session.close();
  });

  it('on Realtime GA re-offers without history and hands the GA writer to the seeding', async () => {
    const onRecovered = vi.fn();
    const transcriptSoFar = () => [{ seq: 0, speaker: 'candidate', text: 'I build distributed systems.' }] as unknown as TranscriptEntry[];
    const { session, signals } = setup({ onRecovered, transcriptSoFar }, undefined, 'realtime');
    await session.start();
    expect(session.writer).toBe(realtimeGaWriter);
    FakePeer.all[0]!.channel!.close();
    await until(() => onRecovered.mock.calls.length === 1);
    expect(signals.opened[1]!.offers[0]!.history).toBeUndefined();
    expect(onRecovered).toHaveBeenCalledWith('data_channel_closed', realtimeGaWriter);
    session.close();
  });

  it('gives a disconnected peer a grace period before re-offering', async () => {
    const onRecovered = vi.fn();
    const { session } = setup({ onRecovered });
    await session.start();
    const peer = FakePeer.all[0]!;
    peer.setConnection('disconnected');
    await new Promise((resolve) => setTimeout(resolve, 20));
    peer.setConnection('connected');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(FakePeer.all).toHaveLength(1);
    peer.setConnection('disconnected');
    await until(() => onRecovered.mock.calls.length === 1);
    expect(onRecovered).toHaveBeenCalledWith('peer_disconnected', realtimeGaWriter);
    session.close();
  });

  it('recovers when the proxy socket closes under a live call', async () => {
    const onRecovered = vi.fn();
    const { session, signals } = setup({ onRecovered });
    await session.start();
    signals.opened[0]!.dropClose();
    await until(() => onRecovered.mock.calls.length === 1);
    expect(onRecovered).toHaveBeenCalledWith('proxy_socket_closed', realtimeGaWriter);
    session.close();
  });

  it('gives up after a bounded number of attempts and reports a fatal error', async () => {
    const onFatal = vi.fn();
    const { session, signals, statuses } = setup({ onFatal }, (index) => (index === 0 ? 'ok' : signalErrorFor('upstream_unavailable', 'down')));
    await session.start();
    FakePeer.all[0]!.setConnection('failed');
    await until(() => onFatal.mock.calls.length === 1);
    expect(onFatal.mock.calls[0]![0]).toMatchObject({ code: 'upstream_unavailable' });
    expect(signals.opened).toHaveLength(1 + 3);
    expect(statuses.at(-1)).toBe('failed');
    session.close();
  });

  it('asks main for a fresh pass for every connection of the proxy socket, the first one included', async () => {
    let issued = 0;
    const refreshCredentials = vi.fn(async () => {
      issued += 1;
      return { url: 'ws://proxy/v1/signal', token: `fresh-${issued}`, expiresAt: new Date(Date.now() + 600_000).toISOString(), sessionConfigToken: `config-${issued}` };
    });
    const onRecovered = vi.fn();
    const { session, signals } = setup({ refreshCredentials, onRecovered });
    await session.prewarm();
    await session.start();
    // The pre-warmed socket is used as it is: one pass for one socket.
    expect(refreshCredentials).toHaveBeenCalledTimes(1);
    FakePeer.all[0]!.setConnection('failed');
    await until(() => onRecovered.mock.calls.length === 1);
    expect(refreshCredentials).toHaveBeenCalledTimes(2);
    expect(signals.opened.map((entry) => [entry.token, entry.offers[0]?.session])).toEqual([
      ['fresh-1', 'config-1'],
      ['fresh-2', 'config-2'],
    ]);
    expect(signals.opened.map((entry) => entry.token)).not.toContain('token-1');
    session.close();
  });

  it('tries again with another fresh pass when the proxy refused the token', async () => {
    let issued = 0;
    const refreshCredentials = vi.fn(async () => {
      issued += 1;
      return { url: 'ws://proxy/v1/signal', token: `fresh-${issued}`, expiresAt: new Date(Date.now() + 600_000).toISOString(), sessionConfigToken: `config-${issued}` };
    });
    const { session, signals } = setup({ refreshCredentials }, (_index, token) => (token === 'fresh-1' ? signalErrorFor('unauthorized', 'expired') : 'ok'));
    await session.start();
    await until(() => session.state === 'live');
    expect(signals.opened.map((entry) => entry.token)).toEqual(['fresh-1', 'fresh-2']);
    expect(signals.opened[1]!.offers[0]!.session).toBe('config-2');
    session.close();
  });

  it('a reconnection after the interview ended on the server gets the refusal once and gives up, without a retry loop', async () => {
    let calls = 0;
    const refreshCredentials = vi.fn(async () => {
      calls += 1;
      if (calls > 1) throw Object.assign(new Error('This interview has ended; the interview service no longer takes it.'), { code: 'interview.ended' });
      return { url: 'ws://proxy/v1/signal', token: 'fresh-1', expiresAt: new Date(Date.now() + 600_000).toISOString(), sessionConfigToken: 'config-1' };
    });
    const onFatal = vi.fn();
    const { session, signals, statuses, audit } = setup({ refreshCredentials, onFatal });
    await session.start();
    FakePeer.all[0]!.setConnection('failed');
    await until(() => onFatal.mock.calls.length === 1);
    expect(onFatal.mock.calls[0]![0]).toMatchObject({ code: 'interview_ended', retryable: false });
    expect(refreshCredentials).toHaveBeenCalledTimes(2);
    expect(signals.opened).toHaveLength(1);
    expect(statuses.at(-1)).toBe('failed');
    expect(audit.filter((entry) => entry.data.during === 'recovery')).toHaveLength(1);
    session.close();
  });

  describe('renewing the signalling socket of a live call before its token runs out', () => {
    /** Passes that expire 60 ms after they are handed out; renewal starts 40 ms before expiry. */
    function shortPasses(refuseFrom = Infinity) {
      let issued = 0;
      return vi.fn(async () => {
        issued += 1;
        if (issued >= refuseFrom) throw Object.assign(new Error('This interview has ended; the interview service no longer takes it.'), { code: 'interview.ended' });
        return { url: 'ws://proxy/v1/signal', token: `fresh-${issued}`, expiresAt: new Date(Date.now() + 60).toISOString(), sessionConfigToken: `config-${issued}` };
      });
    }

    it('replaces only the socket: the old one closing first (the proxy’s 4409 can beat the new socket’s ready) does not reconnect the call', async () => {
      const refreshCredentials = shortPasses();
      const setUp: ReturnType<typeof setup> = setup({ refreshCredentials, renewBeforeExpiryMs: 40 }, (index) => {
        if (index > 0) setUp.signals.opened[index - 1]!.dropClose();
        return 'ok';
      });
      const { signals } = setUp;
      await setUp.session.start();
      await until(() => setUp.audit.filter((entry) => entry.data.metric === 'signal_renewed').length >= 2);
      expect(FakePeer.all).toHaveLength(1);
      expect(FakePeer.all[0]!.closed).toBe(false);
      expect(setUp.statuses).not.toContain('reconnecting');
      // One offer in all: the renewed sockets only carry signalling from then on.
      expect(signals.opened.flatMap((entry) => entry.offers)).toHaveLength(1);
      expect(signals.opened.slice(0, -1).every((entry) => entry.closed)).toBe(true);
      expect(setUp.session.proxyReachable).toBe(true);
      setUp.session.close();
    });

    it('a renewal refused because the interview ended lets go of the socket and reports the end, without reconnecting', async () => {
      const onFatal = vi.fn();
      const { session, signals, statuses } = setup({ refreshCredentials: shortPasses(2), renewBeforeExpiryMs: 40, onFatal });
      await session.start();
      await until(() => onFatal.mock.calls.length === 1);
      expect(onFatal.mock.calls[0]![0]).toMatchObject({ code: 'interview_ended' });
      expect(statuses.at(-1)).toBe('failed');
      expect(statuses).not.toContain('reconnecting');
      expect(signals.opened).toHaveLength(1);
      expect(signals.opened[0]!.closed).toBe(true);
      session.close();
    });

    it('a renewal that cannot get a pass until after the old socket ran out (4401) keeps the call, and restores signalling once main gets one', async () => {
      let issued = 0;
      let backendDown = false;
      const refreshCredentials = vi.fn(async () => {
        if (backendDown) throw Object.assign(new Error('backend unreachable'), { code: 'backend.unreachable' });
        issued += 1;
        return { url: 'ws://proxy/v1/signal', token: `fresh-${issued}`, expiresAt: new Date(Date.now() + (issued <= 2 ? 60 : 600_000)).toISOString(), sessionConfigToken: `config-${issued}` };
      });
      const onRecovered = vi.fn();
      const { session, signals, audit, statuses } = setup({ refreshCredentials, renewBeforeExpiryMs: 40, renewRetryMs: 10, onRecovered });
      await session.start();
      backendDown = true;
      const live = signals.opened.at(-1)!;
      await until(() => refreshCredentials.mock.calls.length >= issued + 2);
      // The proxy closes the socket whose token ran out while main still cannot reach the backend.
      live.closed = true;
      live.listeners.forEach((listener) => listener(4401, 'token expired'));
      await until(() => refreshCredentials.mock.calls.length >= issued + 4);
      expect(session.proxyReachable).toBe(false);
      backendDown = false;
      await until(() => audit.some((entry) => entry.data.metric === 'signal_renewed'));
      expect(session.proxyReachable).toBe(true);
      // The call was never torn down or re-offered, and the outage is one line in the session log.
      expect(onRecovered).not.toHaveBeenCalled();
      expect(statuses).not.toContain('reconnecting');
      expect(FakePeer.all).toHaveLength(1);
      expect(signals.opened.flatMap((entry) => entry.offers)).toHaveLength(1);
      expect(audit.filter((entry) => entry.data.during === 'signal_renewal')).toHaveLength(1);
      expect(audit.find((entry) => entry.data.metric === 'signal_renewed')!.data.failed_before).toBeGreaterThanOrEqual(3);
      session.close();
    });
  });

  it('writes an audit the backend accepts: every status event has a lower_snake status, offers and answers carry their SDP', async () => {
    const onRecovered = vi.fn();
    const { session, audit } = setup({ onRecovered, statsIntervalMs: 5 });
    await session.start();
    FakePeer.all[0]!.setConnection('disconnected');
    FakePeer.all[0]!.setConnection('failed');
    await until(() => onRecovered.mock.calls.length === 1);
    await until(() => audit.some((entry) => entry.data.metric === 'stats'));
    session.close();
    const statuses = audit.filter((entry) => entry.kind === 'webrtc_status').map((entry) => entry.data.status);
    expect(statuses).toEqual(expect.arrayContaining(['disconnected', 'reconnecting', 'recovered']));
    for (const status of statuses) expect(status).toMatch(/^[a-z_]{1,40}$/);
    for (const entry of audit.filter((item) => item.kind === 'sdp_offer' || item.kind === 'sdp_answer')) expect(typeof entry.data.sdp).toBe('string');
    expect(audit.find((entry) => entry.kind === 'sdp_answer')?.data.call_id).toBe('rtc_0');
    expect(audit.find((entry) => entry.data.metric === 'stats')?.data.round_trip_ms).toBeCloseTo(12, 5);
  });

  it('replaces a pre-warmed socket whose token ran out while the candidate read the consent, with a fresh pass, before offering', async () => {
    let issued = 0;
    const refreshCredentials = vi.fn(async () => {
      issued += 1;
      return { url: 'ws://proxy/v1/signal', token: `fresh-${issued}`, expiresAt: new Date(Date.now() + (issued === 1 ? 90_000 : 600_000)).toISOString(), sessionConfigToken: `config-${issued}` };
    });
    const { session, signals } = setup({ refreshCredentials });
    await session.prewarm();
    expect(refreshCredentials).toHaveBeenCalledTimes(1);
    // Time passes in the consent screen: the token now expires within the minute.
    (session as unknown as { credentials: { expiresAt: string } }).credentials.expiresAt = new Date(Date.now() + 30_000).toISOString();
    await session.start();
    expect(refreshCredentials).toHaveBeenCalledTimes(2);
    expect(signals.opened.map((entry) => [entry.token, entry.offers.length, entry.closed])).toEqual([
      ['fresh-1', 0, true],
      ['fresh-2', 1, false],
    ]);
    session.close();
  });

  it('rotates the call before the provider cap, waiting for a quiet moment', async () => {
    const onRecovered = vi.fn();
    let quiet = false;
    const { session } = setup({ onRecovered, rotateAfterMs: 30, isQuiet: () => quiet });
    await session.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(onRecovered).not.toHaveBeenCalled();
    quiet = true;
    await until(() => onRecovered.mock.calls.length === 1, 3_000);
    expect(onRecovered).toHaveBeenCalledWith('rotation', realtimeGaWriter);
    session.close();
  });
});
