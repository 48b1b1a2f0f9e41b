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
 * The path as the app's protocol handler resolves it: percent-decoded, with backslashes as separators,
 * repeated slashes and dot segments resolved, and lower-cased because Windows and macOS file systems serve `/Proctor/` as `/proctor/`. Comparing the
 * raw pathname let `/%70roctor/index.html` past a `/proctor/` ban. Null when it does not decode.
 */
export function servedPath(pathname: string): string | null {
  try {
    return posix.normalize(decodeURIComponent(pathname).replaceAll('\\', '/')).toLowerCase();
  } catch {
    return null;
  }
}

/** `window.open` and target=_blank never create a window on the kiosk. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}
