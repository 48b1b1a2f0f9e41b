// Short-lived proxy tokens on a live interview: the renderer's RealtimeSession (on a werift peer, through
// the real SDP proxy to the emulator) renews only its signalling socket before each token runs out, so
// the proxy never has to close it (4401) and the call itself (peer to peer) is never re-negotiated. Once
// the backend refuses a pass (the interview ended), the kiosk's socket is gone at once. Tokens live 3 s
// here instead of 120 s, so the test waits seconds, not minutes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { openSignal, type SignalChannel, type SignalError } from '../../../src/renderer/realtime/proxy-signal';
import { RealtimeSession, type ConnectionStatus, type ProxyCredentials } from '../../../src/renderer/realtime/realtime-session';
import { startTestProxy, type TestProxy } from '../../support/proxy-process';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { createWeriftPeerConnection, fakeMicrophone } from '../../support/werift-browser-peer';

const tokenLifetimeS = 3;
let emulator: RealtimeEmulator;
let proxy: TestProxy;
const createSocket = (url: string, protocols: string[]) => new NodeWebSocket(url, protocols) as unknown as WebSocket;

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ script: { paceMs: 20 } });
  proxy = await startTestProxy({ emulator });
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

describe('a live interview on short-lived proxy tokens', () => {
  it('renews only the signalling socket before each token expires, keeping the one call going; once the backend refuses a pass, the socket is gone', { timeout: 60_000 }, async () => {
    const sessionId = randomUUID();
    const microphone = fakeMicrophone();
    const sessionConfigToken = await proxy.signSessionConfig(sessionId, { instructions: 'Interview for the QA Lead role.' });
    let ended = false;
    let passes = 0;
    // What main does for every socket: ask the backend for a pass, refused once the interview is over.
    const pass = async (): Promise<ProxyCredentials> => {
      if (ended) throw Object.assign(new Error('This interview has ended.'), { code: 'interview.ended' });
      passes++;
      const token = await proxy.signProxyToken({ sessionId, expiresInS: tokenLifetimeS });
      const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
      return { url: proxy.signalUrl, token, expiresAt: new Date(exp * 1000).toISOString(), sessionConfigToken };
    };
    const sockets: SignalChannel[] = [];
    const closes: number[] = [];
    const statuses: ConnectionStatus[] = [];
    const audit: Array<{ kind: string; data: Record<string, unknown> }> = [];
    const fatal: SignalError[] = [];
    let events = 0;
    const first = await pass();
    const session = new RealtimeSession({
      credentials: first,
      refreshCredentials: pass,
      microphone: microphone.stream,
      createPeerConnection: createWeriftPeerConnection,
      openSignal: async (url, token) => {
        const socket = await openSignal({ url, token, createSocket });
        socket.onClose((code) => closes.push(code));
        sockets.push(socket);
        return socket;
      },
      audit: (kind, data) => audit.push({ kind, data }),
      onEvent: () => events++,
      onStatus: (status) => statuses.push(status),
      onFatal: (error) => fatal.push(error),
      renewBeforeExpiryMs: 1_500,
      policy: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3, disconnectGraceMs: 100 },
      statsIntervalMs: 0,
      healthIntervalMs: 0,
    });
    try {
      await session.start();
      expect(session.state).toBe('live');
      const call = emulator.calls.at(-1)!;
      // Three renewals take the interview well past the first token's expiry (and the second's).
      await vi.waitFor(() => expect(audit.filter((entry) => entry.data.metric === 'signal_renewed').length).toBeGreaterThanOrEqual(3), { timeout: 20_000, interval: 50 });
      const eventsAtRenewal = events;
      expect(Date.now()).toBeGreaterThan(Date.parse(first.expiresAt));
      // One provider call throughout: nothing reconnected, nothing re-offered.
      expect(emulator.calls.at(-1)!.id).toBe(call.id);
      expect(statuses).not.toContain('reconnecting');
      expect(audit.filter((entry) => entry.kind === 'sdp_offer')).toHaveLength(1);
      // Each replaced socket was closed by the kiosk (1000/1005) or replaced by the proxy (4409), never expired (4401).
      expect(closes).not.toContain(4401);
      expect(sockets.length).toBeGreaterThanOrEqual(4);
      expect(session.proxyReachable).toBe(true);
      // The call still carries the interview: the provider's events keep arriving on the same channel.
      await vi.waitFor(() => expect(events).toBeGreaterThan(eventsAtRenewal), { timeout: 10_000, interval: 20 });
      expect(session.send({ type: 'input_audio_buffer.clear' })).toBe(true);
      await vi.waitFor(() => expect(call.clientEvents.some((event) => event.type === 'input_audio_buffer.clear')).toBe(true), { timeout: 5_000, interval: 20 });

      // The interview ends on the server: the next renewal is refused and the kiosk lets go of its socket.
      ended = true;
      const passesBefore = passes;
      await vi.waitFor(() => expect(fatal.map((error) => error.code)).toEqual(['interview_ended']), { timeout: tokenLifetimeS * 1000 + 2_000, interval: 20 });
      expect(passes).toBe(passesBefore);
      expect(session.state).toBe('failed');
      expect(sockets.every((socket) => !socket.isOpen())).toBe(true);
    } finally {
      session.close();
      microphone.stop();
    }
  });
});
