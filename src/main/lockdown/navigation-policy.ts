// Where the kiosk window may go: its own pages only. Everything else — links, redirects, window.open
// — is refused; the tenant's allowed origins are for connections (CSP connect-src), not for leaving the app.
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
      const forbidden = forbiddenPathPrefixes.find((prefix) => parsed.pathname.startsWith(prefix));
      return forbidden ? { allow: false, reason: `${forbidden} is not shown in this window` } : { allow: true };
    }
    if ((parsed.protocol === 'https:' || parsed.protocol === 'http:') && extra.has(parsed.origin)) return { allow: true };
    return { allow: false, reason: `${parsed.protocol === 'file:' ? 'file outside the app' : parsed.origin} is not on the allow-list` };
  };
}

/** `window.open` and target=_blank never create a window on the kiosk. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}
