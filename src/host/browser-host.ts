// The browser host: serves the built renderer over HTTP and answers `window.kiosk` calls arriving on
// a WebSocket with the same Electron-free core the desktop app runs. Used by `npm start -- --browser`
// and by the end-to-end tests; the frame check uses the socket's Origin as the sender URL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { BRIDGE_PATH } from '../shared/bridge-path';
import { fromWireJson, toWireJson } from '../shared/wire-json';
import { createSenderPolicy } from '../main/ipc/sender-policy';
import { createKioskCore, type KioskCore, type KioskCoreOptions } from '../main/kiosk-core';
import { BROWSER_HOST_APP_INFO } from './node-core';
import { createUnconfiguredNodePlatform } from './node-platform';

const MAX_BRIDGE_MESSAGE_BYTES = 8 * 1024 * 1024;

const bridgeRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().min(1).max(200),
  payload: z.unknown().optional(),
});

export interface BrowserHostOptions {
  rendererDir: string;
  host?: string;
  port?: number;
  /** Builds the core once the host knows its own URL (the app origin frames are checked against). */
  createCore?: (options: Pick<KioskCoreOptions, 'appUrl' | 'isTrustedSender'>) => KioskCore;
}

export interface BrowserHost {
  url: string;
  core: KioskCore;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const serveStatic = sirv(options.rendererDir, { dev: false, etag: true, single: true });
  const server: Server = createServer((request, response) => {
    serveStatic(request, response, () => {
      response.statusCode = 404;
      response.end('Not found');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}/`;
  const policy = { appUrl: url, isTrustedSender: createSenderPolicy(url) };
  const core = options.createCore
    ? options.createCore(policy)
    : createKioskCore({ ...policy, appInfo: BROWSER_HOST_APP_INFO, platform: createUnconfiguredNodePlatform() });

  const sockets = new Set<WebSocket>();
  // Pages of any other origin (or clients that send none) never get a socket: the bridge carries
  // proxy tokens and proctor actions, and WebSockets are not covered by CORS.
  const bridge = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== BRIDGE_PATH || !policy.isTrustedSender(request.headers.origin)) {
      const status = path !== BRIDGE_PATH ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    bridge.handleUpgrade(request, socket, head, (client) => bridge.emit('connection', client, request));
  });
  bridge.on('connection', (socket, request) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const senderUrl = request.headers.origin;
    socket.on('message', (raw) => {
      void answer(socket, raw.toString(), senderUrl);
    });
  });

  async function answer(socket: WebSocket, raw: string, senderUrl: string | undefined) {
    let message: z.infer<typeof bridgeRequestSchema>;
    try {
      message = bridgeRequestSchema.parse(fromWireJson(raw));
    } catch {
      socket.close(1003, 'Malformed bridge message');
      return;
    }
    const envelope = await core.dispatch(message.channel, message.payload, senderUrl);
    if (socket.readyState === socket.OPEN) socket.send(toWireJson({ type: 'reply', id: message.id, envelope }));
  }

  const stopForwarding = core.events.subscribe((event, payload) => {
    const data = toWireJson({ type: 'event', event, payload });
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(data);
  });
  return {
    url,
    core,
    async close() {
      stopForwarding();
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => bridge.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.dispose();
    },
  };
}
