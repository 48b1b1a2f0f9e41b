// Serves the built review console (out/review) for `npm start`: the static page, its config.json
// (where the backend is, the publishable key only) and a content security policy that lets the page
// reach exactly that backend and the recordings' origin. A deployment hosts the same files anywhere
// static, with its own config.json (docs/review-console.md).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

export interface ReviewConsoleOptions {
  dir: string;
  port?: number;
  host?: string;
  supabaseUrl: string;
  publishableKey: string;
  /** Origins the recordings play from (the api.video stand-in locally). */
  mediaOrigins?: string[];
}

export interface ReviewConsole {
  url: string;
  close(): Promise<void>;
}

export function reviewConsolePolicy(options: Pick<ReviewConsoleOptions, 'supabaseUrl' | 'mediaOrigins'>): string {
  const media = options.mediaOrigins ?? [];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${new URL(options.supabaseUrl).origin}`,
    `media-src ${media.length > 0 ? media.join(' ') : "'none'"}`,
    // api.video's player, where a deployment has no seekable file URL.
    'frame-src https://embed.api.video',
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export async function startReviewConsole(options: ReviewConsoleOptions): Promise<ReviewConsole> {
  const files = sirv(options.dir, { single: false, etag: true, dev: false });
  const config = JSON.stringify({ supabaseUrl: options.supabaseUrl, publishableKey: options.publishableKey });
  const policy = reviewConsolePolicy(options);
  const server: Server = createServer((request, response) => {
    response.setHeader('content-security-policy', policy);
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('referrer-policy', 'no-referrer');
    const path = new URL(request.url ?? '/', 'http://console').pathname;
    if (path === '/config.json') {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(config);
      return;
    }
    files(request, response, () => {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Not found');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`The review console could not listen on port ${options.port}: ${error.code ?? error.message}`)));
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
