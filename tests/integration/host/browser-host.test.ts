import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../src/host/browser-host';

let host: BrowserHost;

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  host = await startBrowserHost({ rendererDir });
});

afterAll(async () => {
  await host.close();
});

function call(origin: string | undefined, message: string): Promise<{ data?: unknown; closeCode?: number; refused?: number }> {
  const socket = new WebSocket(`${host.url.replace('http', 'ws')}bridge`, origin ? { origin } : {});
  return new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(message));
    socket.on('message', (data) => {
      resolve({ data: JSON.parse(data.toString()) });
      socket.close();
    });
    socket.on('unexpected-response', (_request, response) => resolve({ refused: response.statusCode }));
    socket.on('close', (code) => resolve({ closeCode: code }));
    socket.on('error', reject);
  });
}

describe('browser host bridge', () => {
  it('serves the renderer', async () => {
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>kiosk</title>');
  });

  it('answers a contract call from the app origin', async () => {
    const reply = await call(host.url.slice(0, -1), JSON.stringify({ id: 7, channel: 'app.info' }));
    expect(reply.data).toMatchObject({ type: 'reply', id: 7, envelope: { ok: true, value: { shell: 'browser-host' } } });
  });

  it('refuses a socket to a foreign origin and to a client that sends none, so no event reaches them', async () => {
    for (const origin of ['https://evil.example', undefined]) {
      await expect(call(origin, JSON.stringify({ id: 1, channel: 'app.info' }))).resolves.toEqual({ refused: 403 });
    }
  });

  it('closes the socket on a message that is not a bridge request', async () => {
    await expect(call(host.url.slice(0, -1), 'not json')).resolves.toEqual({ closeCode: 1003 });
    await expect(call(host.url.slice(0, -1), JSON.stringify({ channel: 'app.info' }))).resolves.toEqual({ closeCode: 1003 });
  });
});
