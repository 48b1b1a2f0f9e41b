// The kiosk renderer's Content-Security-Policy, built from the tenant's allowed origins (the SDP proxy's
// wss:// origin and the like). No inline or remote script, no framing, no plugins, no form posts.

export function contentSecurityPolicy(input: { allowedOrigins: readonly string[]; devServerUrl?: string }): string {
  const connect = new Set<string>(["'self'"]);
  for (const origin of input.allowedOrigins) {
    const url = new URL(origin);
    connect.add(url.origin);
    // The proxy speaks WebSocket: allow the ws(s) twin of an http(s) origin.
    if (url.protocol === 'https:') connect.add(`wss://${url.host}`);
    if (url.protocol === 'http:') connect.add(`ws://${url.host}`);
  }
  const script = ["'self'"];
  if (input.devServerUrl) {
    const dev = new URL(input.devServerUrl);
    connect.add(dev.origin);
    connect.add(`ws://${dev.host}`);
    // Vite's React refresh preamble is inline in development only.
    script.push("'unsafe-inline'");
  }
  return [
    "default-src 'self'",
    `script-src ${script.join(' ')}`,
    // React sets style attributes; that is all 'unsafe-inline' permits here.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src ${[...connect].join(' ')}`,
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
  ].join('; ');
}

// Directives a <meta> policy cannot carry: browsers ignore them there (and log an error saying so).
const HEADER_ONLY_DIRECTIVES = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

/** The header policy as a page's <meta> carries it: the same directives, minus the header-only ones. */
export function metaContentSecurityPolicy(csp: string): string {
  return csp
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !HEADER_ONLY_DIRECTIVES.has(directive.split(/\s+/)[0]!.toLowerCase()))
    .join('; ');
}

const META_CSP = /<meta\b[^>]*\bhttp-equiv\s*=\s*["']?\s*content-security-policy\b[^>]*>[^\S\n]*\n?/gi;
const CONTENT_ATTRIBUTE = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** The content of every meta CSP in a page (a page may carry several; the browser enforces them all). */
export function metaPoliciesOf(html: string): string[] {
  return [...html.matchAll(META_CSP)].map((match) => {
    const content = CONTENT_ATTRIBUTE.exec(match[0]);
    return (content?.[1] ?? content?.[2] ?? content?.[3] ?? '').replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');
  });
}

/**
 * The page with exactly one meta CSP, the header policy's, as the first element of its head, so it
 * governs every script and stylesheet the page names. A page's own meta would otherwise tighten the
 * header where it is stricter and, where it is looser (`connect-src ws: https:`), protect nothing
 * the day a page is loaded without the header. Both shells serve pages through this.
 */
export function withMetaPolicy(html: string, csp: string): string {
  const content = metaContentSecurityPolicy(csp).replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  const tag = `<meta http-equiv="Content-Security-Policy" content="${content}" />`;
  const page = html.replace(META_CSP, '');
  // After the charset declaration, which must stay within the page's first bytes.
  const anchor = /<meta\s+charset\b[^>]*>/i.exec(page) ?? /<head\b[^>]*>/i.exec(page) ?? /<html\b[^>]*>/i.exec(page) ?? /<!doctype[^>]*>/i.exec(page);
  if (!anchor) return tag + page;
  const at = anchor.index + anchor[0].length;
  return `${page.slice(0, at)}${tag}${page.slice(at)}`;
}
