import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { healthzUrl, probeClock, probeHealthz, probeUpload } from '../../../../src/shared/site-check/http-probes';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('site check HTTP probes', () => {
  it('derives the /healthz address from the signalling URL', () => {
    expect(healthzUrl('wss://kiosk-proxy.fly.dev/v1/signal?x=1')).toBe('https://kiosk-proxy.fly.dev/healthz');
    expect(healthzUrl('ws://127.0.0.1:8080/v1/signal')).toBe('http://127.0.0.1:8080/healthz');
  });

  it('counts every byte the server received, and reports an unreachable service', async () => {
    let received = 0;
    const base = await serve((request, response) => {
      request.on('data', (chunk: Buffer) => (received += chunk.length));
      request.on('end', () => response.writeHead(401).end());
    });
    const result = await probeUpload(`${base}/upload`, {}, 300_000, 5_000);
    expect(result).toMatchObject({ status: 401 });
    expect(received).toBe(300_000);
    const closed = await probeUpload('http://127.0.0.1:1/upload', {}, 1_000, 5_000);
    expect(closed).toHaveProperty('error');
    expect(await probeHealthz('ws://127.0.0.1:1/v1/signal', 2_000)).toBe('unreachable');
  });

  it('reads the skew from the Date header, and refuses an answer without one', async () => {
    const ahead = new Date(Date.now() + 120_000).toUTCString();
    let sendDate = true;
    const base = await serve((_request, response) => {
      if (!sendDate) response.sendDate = false;
      response.writeHead(200, sendDate ? { date: ahead } : {}).end('{}');
    });
    const skew = await probeClock(base, 'key', 5_000);
    expect('skewMs' in skew && skew.skewMs).toBeGreaterThan(115_000);
    sendDate = false;
    expect(await probeClock(base, 'key', 5_000)).toEqual({ error: 'The backend sent no Date header.' });
  });
});
