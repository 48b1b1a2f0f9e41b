// The site check's HTTP probes, run where the kiosk's HTTP traffic starts (main's process, or the
// check-site CLI): the proxy's public /healthz, upload throughput to the backend and the video service,
// and the clock against the backend's Date header. Plain fetch, so they run in Node and Electron alike.
import { clockVerdict, uploadVerdict, type CheckItem } from './verdicts';

export interface HttpProbeTargets {
  proxyUrl: string;
  supabaseUrl: string;
  publishableKey: string;
  videoUploadUrl: string;
  /** Bytes per upload probe: enough to leave slow start behind on a real uplink. */
  uploadBytes?: number;
  timeoutMs?: number;
}

/** The proxy's /healthz over HTTPS, beside its signalling socket (wss → https). */
export function healthzUrl(proxyUrl: string): string {
  const url = new URL(proxyUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  url.pathname = '/healthz';
  url.search = '';
  return url.toString();
}

export async function probeHealthz(proxyUrl: string, timeoutMs = 10_000): Promise<number | 'unreachable'> {
  try {
    const response = await fetch(healthzUrl(proxyUrl), { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'unreachable';
  }
}

/**
 * Sends `bytes` of random data and times it to the answer. The services refuse an unauthenticated or
 * unknown upload, but only after the body has crossed the uplink, which is what is measured.
 */
export async function probeUpload(url: string, headers: Record<string, string>, bytes: number, timeoutMs: number): Promise<{ kbps: number; status: number } | { error: string }> {
  const body = new Uint8Array(bytes);
  for (let offset = 0; offset < bytes; offset += 65_536) crypto.getRandomValues(body.subarray(offset, Math.min(bytes, offset + 65_536)));
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    const ms = Math.max(1, performance.now() - started);
    return { kbps: (bytes * 8) / ms, status: response.status };
  } catch (error) {
    return { error: error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error) };
  }
}

/** Skew = backend's clock − ours, taking the Date header as read at the midpoint of the round trip. */
export async function probeClock(supabaseUrl: string, publishableKey: string, timeoutMs: number, now: () => number = Date.now): Promise<{ skewMs: number } | { error: string }> {
  try {
    const before = now();
    const response = await fetch(new URL('/auth/v1/health', supabaseUrl), { headers: { apikey: publishableKey }, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    await response.arrayBuffer();
    const after = now();
    const date = response.headers.get('date');
    if (!date || Number.isNaN(Date.parse(date))) return { error: 'The backend sent no Date header.' };
    // Date has whole seconds: add half a second so the rounding does not read as skew.
    return { skewMs: Math.round(Date.parse(date) + 500 - (before + after) / 2) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export async function runHttpProbes(targets: HttpProbeTargets): Promise<{ healthz: number | 'unreachable'; items: CheckItem[] }> {
  const timeoutMs = targets.timeoutMs ?? 20_000;
  const bytes = targets.uploadBytes ?? 1_048_576;
  const healthz = await probeHealthz(targets.proxyUrl, timeoutMs);
  const backend = await probeUpload(new URL('/functions/v1/site-check-upload', targets.supabaseUrl).toString(), { apikey: targets.publishableKey }, bytes, timeoutMs);
  const video = await probeUpload(targets.videoUploadUrl, {}, bytes, timeoutMs);
  const clock = await probeClock(targets.supabaseUrl, targets.publishableKey, timeoutMs);
  return {
    healthz,
    items: [uploadVerdict('upload-backend', targets.supabaseUrl, backend), uploadVerdict('upload-video', targets.videoUploadUrl, video), clockVerdict(clock)],
  };
}
