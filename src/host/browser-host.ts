// The browser host: serves the built renderer over HTTP and answers `window.kiosk` calls arriving on
// a WebSocket with the same Electron-free core the desktop app runs. Used by `npm start -- --browser`
// and by the end-to-end tests; the frame check uses the socket's Origin as the sender URL.
//
// The proctor's page lives on an origin of its own (a second port). Pages of one origin can script
// each other and read each other's responses, so a path or a token handed to the proctor's page could
// not keep the candidate's page from acting as the proctor; the Origin header a browser sends with a
// WebSocket can. Only sockets opened by the proctor origin may use `proctor.*`.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { BRIDGE_PATH } from '../shared/bridge-path';
import { fromWireJson, toWireJson } from '../shared/wire-json';
import { contentSecurityPolicy, withMetaPolicy } from '../main/lockdown/content-security-policy';
import { servedPath } from '../main/lockdown/navigation-policy';
import { createSenderPolicy } from '../main/ipc/sender-policy';
import { createKioskCore, type KioskCore, type KioskCoreOptions } from '../main/kiosk-core';
import { guardProctorChannels, roleMayUse, type WindowRole } from '../main/window/window-hardening';
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
  /** The proctor page's own port; 0 (the default) picks a free one. */
  proctorPort?: number;
  /** Builds the core once the host knows its own URL (the app origin frames are checked against). */
  createCore?: (options: Pick<KioskCoreOptions, 'appUrl' | 'isTrustedSender'>) => KioskCore;
}

export interface BrowserHost {
  /** The candidate's page. */
  url: string;
  /** The proctor's page, on its own origin; `${url}proctor/` redirects there. */
  proctorUrl: string;
  core: KioskCore;
  close(): Promise<void>;
}

/** The page a socket or request belongs to, by the port it came in on: the same roles as Electron's windows. */
type Page = WindowRole;

const isProctorPath = (path: string) => path === '/proctor' || path.startsWith('/proctor/');

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const bind = options.host ?? '127.0.0.1';
  let serve: (page: Page, request: IncomingMessage, response: ServerResponse) => void = (_page, _request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const candidateServer = createServer((request, response) => serve('kiosk', request, response));
  const proctorServer = createServer((request, response) => serve('proctor', request, response));
  const candidateOrigin = await listen(candidateServer, bind, options.port ?? 0);
  const proctorOrigin = await listen(proctorServer, bind, options.proctorPort ?? 0).catch(async (error: unknown) => {
    await new Promise((resolve) => candidateServer.close(resolve));
    throw error;
  });
  const url = `${candidateOrigin}/`;
  const proctorUrl = `${proctorOrigin}/proctor/`;
  const fromPage: Record<Page, (origin: string | undefined) => boolean> = {
    kiosk: createSenderPolicy(url),
    proctor: createSenderPolicy(`${proctorOrigin}/`),
  };
  const policy = { appUrl: url, isTrustedSender: (sender: string | undefined) => fromPage.kiosk(sender) || fromPage.proctor(sender) };
  const core = options.createCore
    ? options.createCore(policy)
    : createKioskCore({ ...policy, appInfo: BROWSER_HOST_APP_INFO, platform: createUnconfiguredNodePlatform() });

  // The same policy the Electron shell sends, for the tenant's origins, with each page's own origin
  // spelled out (ws: for the bridge) rather than trusted to 'self'.
  let tenantOrigins: readonly string[] = [];
  try {
    tenantOrigins = core.services().config.allowedOrigins;
  } catch {
    // Unconfigured: the pages reach nothing but the bridge.
  }
  const csp: Record<Page, string> = {
    kiosk: contentSecurityPolicy({ allowedOrigins: [...tenantOrigins, candidateOrigin] }),
    proctor: contentSecurityPolicy({ allowedOrigins: [...tenantOrigins, proctorOrigin] }),
  };
  // A socket's Origin is its page: only the proctor's origin may use proctor.*.
  const dispatch = guardProctorChannels(core.dispatch, fromPage.proctor);
  const pages = readPages(options.rendererDir);
  const assets = sirv(options.rendererDir, { dev: false, etag: true, extensions: [] });

  serve = (page, request, response) => {
    const [pathname = '/', query = ''] = (request.url ?? '/').split(/\?(.*)/s);
    const path = servedPath(pathname);
    if (path === null) return status(response, 400);
    if (page === 'kiosk' && isProctorPath(path)) return redirect(response, `${proctorOrigin}${path}${query ? `?${query}` : ''}`);
    if (page === 'proctor' && path === '/') return redirect(response, proctorUrl);
    if (path.startsWith('/assets/')) return assets(request, response, () => status(response, 404));
    if (page === 'proctor' && !isProctorPath(path)) return status(response, 404);
    const home = page === 'proctor' ? '/proctor/index.html' : '/index.html';
    // Pages by their served path; any other route is the page's own single-page app, as before.
    const html = pages.get(path.endsWith('/') ? `${path}index.html` : path) ?? (extname(path) === '' ? pages.get(home) : undefined);
    if (html === undefined) return status(response, 404);
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp[page],
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    response.end(withMetaPolicy(html, csp[page]));
  };

  const sockets = new Map<WebSocket, Page>();
  // Pages of any other origin (or clients that send none) never get a socket: the bridge carries
  // proxy tokens and proctor actions, and WebSockets are not covered by CORS.
  const bridge = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_MESSAGE_BYTES });
  const upgrade = (page: Page) => (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== BRIDGE_PATH || !fromPage[page](request.headers.origin)) {
      const status = path !== BRIDGE_PATH ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    bridge.handleUpgrade(request, socket, head, (client) => {
      sockets.set(client, page);
      // Each socket is a page of its own: a proctor sign-in belongs to the socket that made it and
      // ends when it closes, so a fresh browser (or a reload) opening the proctor URL signs in again.
      const pageId = `socket:${randomUUID()}`;
      client.on('close', () => {
        sockets.delete(client);
        void core.pageClosed(pageId);
      });
      const senderUrl = request.headers.origin;
      client.on('message', (raw) => {
        void answer(client, raw.toString(), senderUrl, pageId);
      });
    });
  };
  candidateServer.on('upgrade', upgrade('kiosk'));
  proctorServer.on('upgrade', upgrade('proctor'));

  async function answer(socket: WebSocket, raw: string, senderUrl: string | undefined, pageId: string) {
    let message: z.infer<typeof bridgeRequestSchema>;
    try {
      message = bridgeRequestSchema.parse(fromWireJson(raw));
    } catch {
      socket.close(1003, 'Malformed bridge message');
      return;
    }
    const envelope = await dispatch(message.channel, message.payload, senderUrl, pageId);
    if (socket.readyState === socket.OPEN) socket.send(toWireJson({ type: 'reply', id: message.id, envelope }));
  }

  const stopForwarding = core.events.subscribe((event, payload) => {
    const data = toWireJson({ type: 'event', event, payload });
    for (const [socket, page] of sockets) if (socket.readyState === socket.OPEN && roleMayUse(page, event)) socket.send(data);
  });
  return {
    url,
    proctorUrl,
    core,
    async close() {
      stopForwarding();
      for (const socket of sockets.keys()) socket.terminate();
      await new Promise<void>((resolve) => bridge.close(() => resolve()));
      await Promise.all([candidateServer, proctorServer].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      await core.dispose();
    },
  };
}

async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/** The renderer's pages by served path (lower case, as `servedPath` compares). */
function readPages(rendererDir: string): Map<string, string> {
  const pages = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.toLowerCase().endsWith('.html')) pages.set(`/${relative(rendererDir, file).split(sep).join('/')}`.toLowerCase(), readFileSync(file, 'utf8'));
    }
  };
  walk(rendererDir);
  return pages;
}

function status(response: ServerResponse, code: number) {
  response.statusCode = code;
  response.end();
}

function redirect(response: ServerResponse, location: string) {
  response.writeHead(302, { location });
  response.end();
}
