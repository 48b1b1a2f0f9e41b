// The packaged renderer is served from the app's own scheme (`kiosk-app://renderer/…`) rather than
// file://, so it gets a stable secure origin and response headers (the CSP) we control. This maps a
// request URL to a file under the built renderer folder, refusing anything that escapes it.
import { extname, join, normalize, sep } from 'node:path';
import { withMetaPolicy } from '../lockdown/content-security-policy';
import { decodedPath, isUnderAppFolder } from '../lockdown/navigation-policy';

export const APP_SCHEME = 'kiosk-app';
export const APP_HOST = 'renderer';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const PROCTOR_URL = `${APP_SCHEME}://${APP_HOST}/proctor/index.html`;

export function rendererFileFor(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  const path = decodedPath(url.pathname);
  if (path === null) return null;
  const root = normalize(rendererDir);
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  return extname(file) ? file : join(file, 'index.html');
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * What the protocol answers for a renderer file: its type, no sniffing, and for a page the CSP both as
 * the header and as the page's only meta policy, so the two cannot differ.
 */
export function rendererResponse(file: string, body: Uint8Array, csp: string): { body: Uint8Array | string; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'content-type': mimeTypeFor(file), 'x-content-type-options': 'nosniff' };
  if (extname(file).toLowerCase() !== '.html') return { body, headers };
  headers['content-security-policy'] = csp;
  return { body: withMetaPolicy(new TextDecoder().decode(body), csp), headers };
}

/**
 * Pages whose frames may act as the proctor: the proctor window only. Judged on the path the
 * protocol handler serves, so `/proctor/..%2findex.html` (the candidate's page) is not the proctor's.
 */
export function isProctorPage(senderUrl: string): boolean {
  try {
    return isUnderAppFolder(new URL(senderUrl).pathname, '/proctor/');
  } catch {
    return false;
  }
}
