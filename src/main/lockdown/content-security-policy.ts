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
