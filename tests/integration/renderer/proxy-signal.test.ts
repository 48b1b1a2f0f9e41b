// The renderer's proxy protocol client against the real SDP proxy (in-process) and the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { openSignal, type SignalChannel } from '../../../src/renderer/realtime/proxy-signal';
import { startTestProxy, type TestProxy } from '../../support/proxy-process';
import { generateProxySigningKey } from '../../support/proxy-keys';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';

let emulator: RealtimeEmulator;
let proxy: TestProxy;
const createSocket = (url: string, protocols: string[]) => new NodeWebSocket(url, protocols) as unknown as WebSocket;

beforeAll(async () => {
  emulator = await startRealtimeEmulator();
  proxy = await startTestProxy({ emulator });
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

describe('proxy signalling client', () => {
  it('opens with the bearer subprotocol and resolves on ready', async () => {
    const sessionId = crypto.randomUUID();
    const channel = await openSignal({ url: proxy.signalUrl, token: await proxy.signProxyToken({ sessionId }), createSocket });
    expect(channel.sessionId).toBe(sessionId);
    expect(channel.isOpen()).toBe(true);
    channel.close();
  });

  it('refuses a token under the trusted kid signed by another key', async () => {
    const token = await proxy.signProxyToken({ signingKey: await generateProxySigningKey(proxy.signingKey.kid) });
    await expect(openSignal({ url: proxy.signalUrl, token, createSocket })).rejects.toMatchObject({ name: 'SignalError' });
  });

  it('turns the proxy error for a malformed offer into a SignalError with its code', async () => {
    const channel = await openSignal({ url: proxy.signalUrl, token: await proxy.signProxyToken(), createSocket });
    await expect(channel.offer('not an sdp')).rejects.toMatchObject({ code: 'bad_request', retryable: false });
    channel.close();
  });

  it('tells the caller when the proxy closes a socket it did not close itself', async () => {
    const sessionId = crypto.randomUUID();
    const first: SignalChannel = await openSignal({ url: proxy.signalUrl, token: await proxy.signProxyToken({ sessionId }), createSocket });
    const closed = new Promise<number>((resolve) => first.onClose((code) => resolve(code)));
    // A second socket for the same interview replaces the first one.
    const second = await openSignal({ url: proxy.signalUrl, token: await proxy.signProxyToken({ sessionId }), createSocket });
    expect(await closed).toBe(4409);
    second.close();
  });
});
