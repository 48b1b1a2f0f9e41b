// A socket lives no longer than its token: the proxy closes it with 4401 when the token runs out, so a
// kiosk (or whoever copied its token) keeps signalling only while the backend keeps handing out passes,
// and the backend stops once the interview has ended. Tokens here live 2 s so nothing sleeps for long.
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
  proxy = await startTestProxy({ emulator });
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

async function opened(sessionId: string, expiresInS: number) {
  const token = await proxy.signProxyToken({ sessionId, expiresInS });
  const client = await connectSignal(proxy.signalUrl, token, { sessionConfig: await proxy.signSessionConfig(sessionId, { instructions: 'Ask one question at a time.' }) });
  const ready = await client.next();
  expect(ready.type).toBe('ready');
  return { client, token, expiresAt: Date.parse(ready.expiresAt as string) };
}

describe('a socket does not outlive its token', () => {
  it('attack: a socket kept open past its token’s expiry is closed with 4401, and its token then opens nothing', async () => {
    const sessionId = randomUUID();
    const { client, token, expiresAt } = await opened(sessionId, 2);
    const closed = await client.closed;
    expect(closed.code).toBe(4401);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    // The refusal is said on the socket before it closes, so the kiosk knows to ask main for a pass.
    expect(await client.next(100)).toMatchObject({ type: 'error', code: 'unauthorized' });
    const again = await connectSignal(proxy.signalUrl, token).then(
      () => null,
      (error: { status?: number; body?: string }) => error,
    );
    expect(again).toMatchObject({ status: 401 });
    expect(JSON.parse(again!.body!)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('answers an offer accepted before the token ran out, then closes the socket with 4401', async () => {
    const sessionId = randomUUID();
    const { client, expiresAt } = await opened(sessionId, 2);
    // The provider takes until after the token has run out to answer.
    emulator.delayNext(Math.max(0, expiresAt - Date.now()) + 300);
    client.send({ type: 'offer', id: 'in-flight', sdp: offerSdp });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'in-flight' });
    expect(Date.now()).toBeGreaterThan(expiresAt);
    expect((await client.closed).code).toBe(4401);
  });

  it('keeps a renewed socket open: the kiosk’s fresh pass replaces the expiring one before it runs out', async () => {
    const sessionId = randomUUID();
    const first = await opened(sessionId, 2);
    const renewed = await opened(sessionId, 60);
    expect((await first.client.closed).code).toBe(4409);
    renewed.client.send({ type: 'offer', id: 'after-renewal', sdp: offerSdp });
    expect(await renewed.client.next()).toMatchObject({ type: 'answer', id: 'after-renewal' });
    expect(renewed.client.ws.readyState).toBe(renewed.client.ws.OPEN);
    renewed.client.close();
  });
});
