// A real Chromium peer connects through the SDP proxy to the emulated provider: the page offers over
// protocol v1 with a signed session config, applies the answer, and hears the interview on `oai-events`.
import { expect, test, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestProxy, type TestProxy } from '../support/proxy-process';
import { startRealtimeEmulator, type RealtimeEmulator } from '../support/realtime-emulator';

// The tiny client the page runs: everything a kiosk does to connect, and nothing else.
const clientScript = `
window.signalTest = {
  async connect({ signalUrl, token, sessionConfig, microphone, seed }) {
    const pc = new RTCPeerConnection();
    if (microphone) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
    }
    const events = pc.createDataChannel('oai-events');
    const log = [];
    const waiters = [];
    events.addEventListener('message', (message) => {
      const event = JSON.parse(String(message.data));
      log.push(event);
      for (const waiter of [...waiters]) waiter();
    });
    if (seed) events.addEventListener('open', () => { for (const item of seed) events.send(JSON.stringify({ type: 'conversation.item.create', item })); });
    await pc.setLocalDescription(await pc.createOffer());
    const socket = new WebSocket(signalUrl, ['kiosk-signal.v1', 'bearer.' + token]);
    const frames = [];
    const frameWaiters = [];
    socket.addEventListener('message', (message) => {
      const frame = JSON.parse(String(message.data));
      const waiter = frameWaiters.shift();
      if (waiter) waiter(frame); else frames.push(frame);
    });
    const nextFrame = () => new Promise((resolve) => frames.length ? resolve(frames.shift()) : frameWaiters.push(resolve));
    const ready = await nextFrame();
    socket.send(JSON.stringify({ type: 'offer', id: 'offer-1', sdp: pc.localDescription.sdp, session: sessionConfig }));
    const answer = await nextFrame();
    if (answer.type !== 'answer') return { ready, answer, events: [] };
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    window.currentCall = { pc, socket, log };
    return { ready, answer: { type: answer.type, id: answer.id, callId: answer.callId } };
  },
  waitForEvent(type, timeoutMs) {
    const { log } = window.currentCall;
    return new Promise((resolve) => {
      const started = Date.now();
      const check = () => {
        const found = log.find((event) => event.type === type);
        if (found) return resolve(found);
        if (Date.now() - started > timeoutMs) return resolve({ type: 'timeout', seen: log.map((event) => event.type) });
        setTimeout(check, 20);
      };
      check();
    });
  },
  async inboundAudioPackets() {
    let packets = 0;
    (await window.currentCall.pc.getStats()).forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') packets += report.packetsReceived || 0;
    });
    return packets;
  },
  connectionState: () => window.currentCall.pc.connectionState,
  hangUp() {
    window.currentCall.socket.close();
    window.currentCall.pc.close();
  },
};
`;

let emulator: RealtimeEmulator;
let proxy: TestProxy;
let pageServer: Server;
let pageOrigin: string;

test.beforeAll(async () => {
  pageServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><meta charset="utf-8"><title>proxy e2e</title><p>signalling test page</p><script>${clientScript}</script>`);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => pageServer?.close(resolve));
});

// Each test is a fresh interview: its own provider conversation and its own proxy.
test.beforeEach(async () => {
  emulator = await startRealtimeEmulator({ script: { paceMs: 25 } });
  proxy = await startTestProxy({ emulator, env: { ALLOWED_ORIGINS: pageOrigin } });
});

test.afterEach(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

interface ConnectResult {
  ready: { type: string; sessionId: string };
  answer: { type: string; id: string; callId: string; code?: string };
}

interface ConnectOptions {
  signalUrl: string;
  token: string;
  sessionConfig?: string;
  microphone: boolean;
  seed?: unknown[];
}

interface SignalTestClient {
  connect(options: ConnectOptions): Promise<ConnectResult>;
  waitForEvent(type: string, timeoutMs: number): Promise<Record<string, unknown>>;
  inboundAudioPackets(): Promise<number>;
  connectionState(): string;
  hangUp(): void;
}

declare global {
  interface Window {
    signalTest: SignalTestClient;
  }
}

/** Typed handles on the page's client (window.signalTest). */
function pageClient(page: Page) {
  return {
    connect: (options: ConnectOptions) => page.evaluate((opts) => window.signalTest.connect(opts), options),
    waitForEvent: (type: string, timeoutMs = 20_000) => page.evaluate(([t, ms]) => window.signalTest.waitForEvent(t, ms), [type, timeoutMs] as const),
    inboundAudioPackets: () => page.evaluate(() => window.signalTest.inboundAudioPackets()),
    connectionState: () => page.evaluate(() => window.signalTest.connectionState()),
    hangUp: () => page.evaluate(() => window.signalTest.hangUp()),
  };
}

test('a Chromium page connects through the proxy to the provider and receives transcript events', async ({ page }) => {
  const sessionId = crypto.randomUUID();
  const token = await proxy.signProxyToken({ sessionId });
  const sessionConfig = await proxy.signSessionConfig(sessionId, { instructions: 'Interview the candidate for the Site Reliability Engineer role.', voice: 'cedar' });
  await page.goto(pageOrigin);
  const kiosk = pageClient(page);

  const connected = await kiosk.connect({ signalUrl: proxy.signalUrl, token, sessionConfig, microphone: true });
  expect(connected.ready).toMatchObject({ type: 'ready', sessionId });
  expect(connected.answer).toMatchObject({ type: 'answer', id: 'offer-1' });
  const transcript = await kiosk.waitForEvent('conversation.item.input_audio_transcription.completed');
  expect(transcript).toMatchObject({ transcript: 'Hi, I am a software engineer with five years of experience in distributed systems.' });

  const call = emulator.calls.find((candidate) => candidate.id === connected.answer.callId);
  expect(call, 'the emulator answered the call the proxy reported').toBeDefined();
  // The provider got the backend's signed instructions and voice, not anything from the page.
  expect(call!.session).toMatchObject({ instructions: 'Interview the candidate for the Site Reliability Engineer role.', audio: { output: { voice: 'cedar' } } });
  expect(call!.rtpPacketsReceived, 'the kiosk microphone reached the provider').toBeGreaterThan(0);
  expect(await kiosk.inboundAudioPackets(), 'the provider audio reached the page').toBeGreaterThan(0);
  await kiosk.hangUp();
});

test('a page without microphone permission (mDNS-hidden host candidates) still connects and hears the greeting', async ({ page }) => {
  await page.goto(pageOrigin);
  const kiosk = pageClient(page);
  const sessionId = crypto.randomUUID();
  const connected = await kiosk.connect({
    signalUrl: proxy.signalUrl,
    token: await proxy.signProxyToken({ sessionId }),
    sessionConfig: await proxy.signSessionConfig(sessionId, { instructions: 'Interview the candidate.' }),
    microphone: false,
  });
  expect(connected.answer.type).toBe('answer');
  expect(await kiosk.waitForEvent('response.output_audio_transcript.delta', 15_000)).toMatchObject({ delta: 'Hello ' });
  await kiosk.hangUp();
});

test('after the provider drops the call, a re-offer on a new socket seeds the transcript and continues the interview', async ({ page }) => {
  const sessionId = crypto.randomUUID();
  await page.goto(pageOrigin);
  const kiosk = pageClient(page);
  const sessionConfig = await proxy.signSessionConfig(sessionId, { instructions: 'Interview the candidate.' });
  const first = await kiosk.connect({ signalUrl: proxy.signalUrl, token: await proxy.signProxyToken({ sessionId }), sessionConfig, microphone: true });
  await kiosk.waitForEvent('conversation.item.input_audio_transcription.completed');
  emulator.dropPeer(first.answer.callId);
  // Chromium notices the silent peer by its consent checks, as it would a provider outage.
  await expect.poll(() => kiosk.connectionState(), { timeout: 45_000 }).toMatch(/disconnected|failed|closed/);
  await kiosk.hangUp();

  const second = await kiosk.connect({
    signalUrl: proxy.signalUrl,
    token: await proxy.signProxyToken({ sessionId }),
    sessionConfig,
    microphone: true,
    seed: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi, I am a software engineer with five years of experience in distributed systems.' }] }],
  });
  expect(second.answer.callId).not.toBe(first.answer.callId);
  const next = await kiosk.waitForEvent('response.output_audio_transcript.done');
  expect(next.transcript).not.toContain('Hello and welcome');
  expect(emulator.conversation.seededItems).toHaveLength(1);
  expect(emulator.calls[1]!.clientEvents[0]).toMatchObject({ type: 'conversation.item.create' });
  await kiosk.hangUp();
});
