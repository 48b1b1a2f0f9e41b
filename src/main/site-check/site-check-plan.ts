// What main hands the site check page when the proctor opens it from the tray: the HTTP probes' results
// (run here, where main's uploads leave from) and the proxy to test, in the page's URL fragment.
// Electron-free. Outside an interview there is no proxy pass, so the page checks the WebSocket upgrade
// and ICE but places no test call; `npm run check-site` places one (docs/operator.md §9).
import { runHttpProbes } from '../../shared/site-check/http-probes';
import type { TenantConfig } from '../config/tenant-config';

export function siteCheckPageUrl(proctorUrl: string): string {
  return new URL('../site-check/index.html', proctorUrl).href;
}

/** The last interview's proxy, else the tenant's first allowed origin's signalling path. */
export function siteCheckProxyUrl(config: Pick<TenantConfig, 'allowedOrigins'>, lastProxyUrl: string | null): string | null {
  if (lastProxyUrl) return lastProxyUrl;
  const origin = config.allowedOrigins[0];
  if (!origin) return null;
  const url = new URL('/v1/signal', origin);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  return url.href;
}

export async function siteCheckFragment(config: TenantConfig, proxyUrl: string): Promise<string> {
  const http = await runHttpProbes({
    proxyUrl,
    supabaseUrl: config.supabase.url,
    publishableKey: config.supabase.publishableKey,
    videoUploadUrl: config.recordingUpload?.uploadUrl ?? 'https://ws.api.video/upload',
  });
  return encodeURIComponent(JSON.stringify({ proxyUrl, token: null, sessionConfig: null, iceServers: [], healthz: http.healthz, httpItems: http.items }));
}
