import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../../support/proxy-process';

let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy({ env: { FLY_MACHINE_ID: '3d8d9930a19d89' } });
});

afterAll(async () => {
  await proxy.stop();
});

function upgrade(path: string): Promise<{ status: number; replay: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${proxy.url}${path}`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Protocol': 'kiosk-signal.v1',
      },
    });
    req.on('response', (response) => {
      resolve({ status: response.statusCode ?? 0, replay: response.headers['fly-replay'] as string | undefined });
      response.resume();
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, replay: undefined });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a dedicated machine reached by the wrong kiosk', () => {
  it('sends the upgrade on to the machine named in the URL, before any token is looked at', async () => {
    await expect(upgrade('/v1/signal?instance=e784079b449483')).resolves.toEqual({ status: 307, replay: 'instance=e784079b449483' });
  });

  it('handles an upgrade meant for itself as usual (here: refused for want of a token)', async () => {
    await expect(upgrade('/v1/signal?instance=3d8d9930a19d89')).resolves.toEqual({ status: 401, replay: undefined });
  });
});
