// Provider failures become the documented error codes, with messages a person can act on and never the
// provider key; both provider adapters speak to the emulator.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../../support/proxy-process';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { documentedOfferSdp } from './doc-examples';

const offerSdp = documentedOfferSdp();
let emulator: RealtimeEmulator;
const started: TestProxy[] = [];

async function proxyFor(env: Record<string, string>, target: Pick<RealtimeEmulator, 'baseUrl' | 'apiKey'> = emulator): Promise<TestProxy> {
  const proxy = await startTestProxy({ emulator: target, env });
  started.push(proxy);
  return proxy;
}

async function offerThrough(proxy: TestProxy, id = 'o-1'): Promise<Record<string, unknown>> {
  const client = await proxy.connectKiosk({ sessionId: randomUUID() });
  await client.next();
  client.send({ type: 'offer', id, sdp: offerSdp });
  const reply = await client.next(10_000);
  client.close();
  return reply;
}

/** A provider stand-in for the replies the emulator has no reason to produce. */
async function stubProvider(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ peer: false });
});

afterAll(async () => {
  for (const proxy of started) await proxy.stop();
  await emulator?.stop();
});

describe('realtime adapter against the emulator', () => {
  it('maps a provider refusal to upstream_rejected with its status and identifiers; its words go to the log only', async () => {
    const proxy = await proxyFor({});
    emulator.failNext('reject');
    const reply = await offerThrough(proxy);
    expect(reply).toMatchObject({ type: 'error', id: 'o-1', code: 'upstream_rejected' });
    expect(reply.message).toMatch(/^The voice provider refused the offer \(HTTP 400: invalid_request_error/);
    expect(reply.message).not.toContain("Invalid 'sdp'");
    expect(proxy.logs().join('\n')).toContain("Invalid 'sdp'");
  });

  it('maps a provider 5xx to upstream_unavailable', async () => {
    const proxy = await proxyFor({});
    emulator.failNext('5xx');
    expect(await offerThrough(proxy)).toMatchObject({ code: 'upstream_unavailable', message: expect.stringContaining('HTTP 500') });
  });

  it('maps a provider that never answers to timeout after UPSTREAM_TIMEOUT_MS', async () => {
    const proxy = await proxyFor({ UPSTREAM_TIMEOUT_MS: '700' });
    emulator.failNext('hang');
    const startedAt = Date.now();
    expect(await offerThrough(proxy)).toMatchObject({ code: 'timeout' });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(650);
  });

  it('maps an unreachable provider to upstream_unavailable', async () => {
    const closed = await stubProvider(() => undefined);
    await new Promise((resolve) => closed.server.close(resolve));
    const proxy = await proxyFor({}, { baseUrl: closed.baseUrl, apiKey: 'sk-unused-key-000000' });
    expect(await offerThrough(proxy)).toMatchObject({ code: 'upstream_unavailable', message: 'The voice provider could not be reached.' });
  });

  it('reports a wrong provider key as a configuration problem and never repeats the key, masked or not', async () => {
    const wrongKey = `sk-proj-${randomUUID().replaceAll('-', '')}`;
    const proxy = await proxyFor({}, { baseUrl: emulator.baseUrl, apiKey: wrongKey });
    const reply = await offerThrough(proxy);
    expect(reply).toMatchObject({ code: 'upstream_rejected' });
    expect(reply.message).toMatch(/credentials/);
    expect(emulator.rejected.at(-1)).toMatchObject({ status: 401, code: 'invalid_api_key' });
    const everything = JSON.stringify(reply) + proxy.logs().join('\n');
    expect(everything).not.toContain(wrongKey);
    expect(everything).not.toContain(wrongKey.slice(-4) + '.');
    expect(everything).not.toContain(wrongKey.slice(0, 12));
  });

  it('counts upstream errors by kind', async () => {
    const proxy = await proxyFor({});
    emulator.failNext('5xx');
    await offerThrough(proxy);
    const metrics = await (await fetch(`${proxy.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/sdp_proxy_upstream_errors_total\{kind="server_error"\} 1/);
    expect(metrics).toMatch(/sdp_proxy_offers_total\{outcome="upstream_unavailable"\} 1/);
  });
});

describe('live adapter against the emulator', () => {
  it('exchanges the offer as JSON with the live session shape and returns session.id as callId', async () => {
    const proxy = await proxyFor({ REALTIME_API: 'live', DEFAULT_INSTRUCTIONS: 'Live default prompt.' });
    const reply = await offerThrough(proxy);
    const call = emulator.calls.at(-1)!;
    expect(reply).toMatchObject({ type: 'answer', callId: call.id, sdp: call.answerSdp });
    expect(call.api).toBe('live');
    expect(call.session).toEqual({ model: 'gpt-live-1', instructions: 'You are interviewing a candidate; ask one question at a time.', audio: { output: { voice: 'marin' } } });
    expect(await (await fetch(`${proxy.opsUrl}/healthz`)).json()).toMatchObject({ status: 'ok', api: 'live' });
  });

  it('maps live failures the same way', async () => {
    const proxy = await proxyFor({ REALTIME_API: 'live', UPSTREAM_TIMEOUT_MS: '500' });
    emulator.failNext('reject');
    expect(await offerThrough(proxy)).toMatchObject({ code: 'upstream_rejected' });
    emulator.failNext('5xx');
    expect(await offerThrough(proxy)).toMatchObject({ code: 'upstream_unavailable' });
    emulator.failNext('hang');
    expect(await offerThrough(proxy)).toMatchObject({ code: 'timeout' });
  });
});

describe('replies the emulator does not make', () => {
  it('redacts a key the provider echoes in a 4xx message, in the reply and the logs', async () => {
    let sentKey = '';
    const stub = await stubProvider((request, response) => {
      sentKey = (request.headers.authorization ?? '').slice('Bearer '.length);
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `Offer refused for key ${sentKey} (Bearer ${sentKey})`, type: 'invalid_request_error', code: null, param: null } }));
    });
    const key = `sk-live-${randomUUID().replaceAll('-', '')}`;
    const proxy = await proxyFor({}, { baseUrl: stub.baseUrl, apiKey: key });
    const reply = await offerThrough(proxy);
    stub.server.close();
    expect(sentKey).toBe(key);
    expect(reply.code).toBe('upstream_rejected');
    expect(reply.message).toBe('The voice provider refused the offer (HTTP 400: invalid_request_error).');
    expect(proxy.logs().join('\n')).toContain('Offer refused for key [redacted]');
    expect(JSON.stringify(reply) + proxy.logs().join('\n')).not.toContain(key);
  });

  it('maps 429 to rate_limited and an answer without SDP or call id to upstream_unavailable', async () => {
    const replies = [
      (response: ServerResponse) => response.writeHead(429, { 'content-type': 'application/json' }).end('{"error":{"message":"Rate limit reached"}}'),
      (response: ServerResponse) => response.writeHead(201, { 'content-type': 'text/html', location: '/v1/realtime/calls/rtc_1' }).end('<html>captive portal</html>'),
      (response: ServerResponse) => response.writeHead(201, { 'content-type': 'application/sdp' }).end(offerSdp),
    ];
    let index = 0;
    const stub = await stubProvider((_request, response) => replies[index++]!(response));
    const proxy = await proxyFor({}, { baseUrl: stub.baseUrl, apiKey: 'sk-stub-key-000000' });
    expect(await offerThrough(proxy)).toMatchObject({ code: 'rate_limited' });
    expect(await offerThrough(proxy)).toMatchObject({ code: 'upstream_unavailable', message: expect.stringContaining('no SDP') });
    expect(await offerThrough(proxy)).toMatchObject({ code: 'upstream_unavailable', message: expect.stringContaining('no call id') });
    stub.server.close();
  });
});
