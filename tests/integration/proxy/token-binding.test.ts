// A proxy token is bound to one interview's live connection: a replay of it cannot push the live kiosk
// off, and whatever holds it can start only a bounded number of paid provider calls.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSignal, startTestProxy, type TestProxy } from '../../support/proxy-process';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { documentedOfferSdp } from './doc-examples';

const offerSdp = documentedOfferSdp();
let emulator: RealtimeEmulator;
let proxy: TestProxy;

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ peer: false });
  proxy = await startTestProxy({ emulator, env: { MAX_OFFERS_PER_TOKEN: '3' } });
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

async function opened(token: string, sessionId: string) {
  const client = await connectSignal(proxy.signalUrl, token, { sessionConfig: await proxy.signSessionConfig(sessionId, { instructions: 'Ask one question at a time.' }) });
  expect((await client.next()).type).toBe('ready');
  return client;
}

describe('a token bound to its live connection', () => {
  it('attack: a replayed token cannot open a second socket and push the live kiosk off', async () => {
    const sessionId = randomUUID();
    const token = await proxy.signProxyToken({ sessionId });
    const kiosk = await opened(token, sessionId);
    const replay = await connectSignal(proxy.signalUrl, token).then(
      () => null,
      (error: { status?: number; body?: string }) => error,
    );
    expect(replay).toMatchObject({ status: 409 });
    expect(JSON.parse(replay!.body!)).toMatchObject({ error: { code: 'token_in_use' } });
    // The kiosk was not disturbed: its socket is open and it still gets answers.
    kiosk.send({ type: 'offer', id: 'still-mine', sdp: offerSdp });
    expect(await kiosk.next()).toMatchObject({ type: 'answer', id: 'still-mine' });
    kiosk.close();
  });

  it('lets the kiosk reconnect: with the same token once its old socket is gone, or with a fresh token from main at once', async () => {
    const sessionId = randomUUID();
    const token = await proxy.signProxyToken({ sessionId });
    const first = await opened(token, sessionId);
    first.close();
    await first.closed;
    const again = await opened(token, sessionId);
    // A renewed token (what main hands out on a reconnect) replaces the live socket, as before.
    const renewed = await opened(await proxy.signProxyToken({ sessionId }), sessionId);
    expect((await again.closed).code).toBe(4409);
    renewed.close();
  });

  it('attack: one token starts at most MAX_OFFERS_PER_TOKEN paid provider calls, across all its connections', async () => {
    const sessionId = randomUUID();
    const token = await proxy.signProxyToken({ sessionId });
    const before = emulator.requestCount();
    let client = await opened(token, sessionId);
    const replies: Array<Record<string, unknown>> = [];
    for (let index = 0; index < 5; index++) {
      if (index === 2) {
        // Spending the budget over a new socket does not reset it.
        client.close();
        await client.closed;
        client = await opened(token, sessionId);
      }
      client.send({ type: 'offer', id: `o-${index}`, sdp: offerSdp });
      replies.push(await client.next());
    }
    expect(replies.map((reply) => reply.type)).toEqual(['answer', 'answer', 'answer', 'error', 'error']);
    expect(replies[3]).toMatchObject({ code: 'unauthorized', id: 'o-3' });
    expect(String(replies[3]!.message)).toContain('3 offers');
    expect(emulator.requestCount() - before).toBe(3);
    client.close();
    // Another token (another kiosk, or this one renewed) has its own budget.
    const other = await opened(await proxy.signProxyToken({ sessionId }), sessionId);
    other.send({ type: 'offer', id: 'fresh', sdp: offerSdp });
    expect(await other.next()).toMatchObject({ type: 'answer', id: 'fresh' });
    other.close();
  });
});
