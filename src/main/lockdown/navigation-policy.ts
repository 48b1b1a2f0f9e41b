// Where the kiosk window may go: its own pages only. Everything else — links, redirects, window.open
// — is refused; the tenant's allowed origins are for connections (CSP connect-src), not for leaving the app.
import { posix } from 'node:path';
import { appOriginMatcher } from './permission-policy';

export type NavigationDecision = { allow: true } | { allow: false; reason: string };

export interface NavigationPolicyOptions {
  extraAllowedOrigins?: readonly string[];
  /** App paths this window must never show, e.g. the proctor page in the candidate's window. */
  forbiddenPathPrefixes?: readonly string[];
}

export function createNavigationPolicy(appUrl: string, options: NavigationPolicyOptions = {}): (url: string) => NavigationDecision {
  const { extraAllowedOrigins = [], forbiddenPathPrefixes = [] } = options;
  const isApp = appOriginMatcher(appUrl);
  const extra = new Set(extraAllowedOrigins.map((origin) => new URL(origin).origin));
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { allow: false, reason: 'not a URL' };
    }
    if (isApp(url)) {
      const path = servedPath(parsed.pathname);
      if (path === null) return { allow: false, reason: 'malformed path' };
      const forbidden = forbiddenPathPrefixes.find((prefix) => path.startsWith(prefix.toLowerCase()));
      return forbidden ? { allow: false, reason: `${forbidden} is not shown in this window` } : { allow: true };
    }
    if ((parsed.protocol === 'https:' || parsed.protocol === 'http:') && extra.has(parsed.origin)) return { allow: true };
    return { allow: false, reason: `${parsed.protocol === 'file:' ? 'file outside the app' : parsed.origin} is not on the allow-list` };
  };
}

/**
 * A URL path as a file server resolves it: percent-decoded once, with backslashes as separators
 * (Windows treats `\\` as one). Null when it does not decode, carries a NUL, or still holds a
 * percent-escape after decoding: a double-encoded `%2570roctor` would otherwise be one decoder away
 * from `/proctor/`, and no file the app ships has a `%` in its name.
 */
export function decodedPath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || /%[0-9a-f]{2}/i.test(decoded)) return null;
  return decoded.replaceAll('\\', '/');
}

/**
 * The path as the app's protocol handler resolves it: decoded (see `decodedPath`), repeated slashes
 * and dot segments resolved, and lower-cased because Windows and macOS file systems serve `/Proctor/`
 * as `/proctor/`. Comparing the raw pathname let `/%70roctor/index.html` past a `/proctor/` ban, and
 * `/proctor/..%2findex.html` pass as the proctor page while serving the candidate's. Null when it does not decode.
 */
export function servedPath(pathname: string): string | null {
  const decoded = decodedPath(pathname);
  return decoded === null ? null : posix.normalize(decoded).toLowerCase();
}

/** Whether a served path lies in the app folder `prefix` (e.g. `/proctor/`), compared as served. */
export function isUnderAppFolder(pathname: string, prefix: string): boolean {
  const path = servedPath(pathname);
  return path !== null && path.startsWith(prefix.toLowerCase());
}

/** `window.open` and target=_blank never create a window on the kiosk. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}
