// "Proxy reachable" for the tray: one GET of the SDP proxy's /healthz, derived from the proxy URL the
// backend handed out (wss://host/v1/signal → https://host/healthz). Any answer below 500 means reachable.

export function proxyHealthUrl(proxyUrl: string): string | null {
  try {
    const url = new URL(proxyUrl);
    if (url.protocol !== 'wss:' && url.protocol !== 'ws:') return null;
    return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}/healthz`;
  } catch {
    return null;
  }
}

export async function probeProxy(proxyUrl: string, fetchImpl: typeof fetch, timeoutMs = 3_000): Promise<boolean> {
  const health = proxyHealthUrl(proxyUrl);
  if (!health) return false;
  try {
    const response = await fetchImpl(health, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}
