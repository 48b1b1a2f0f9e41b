// How a provider failure reaches the kiosk: a protocol error code, a message safe to show, and a kind
// for the metrics. The provider's own words pass through only for refusals of the request itself, and
// never with anything that looks like a key in them.
import type { SignalErrorCode } from '../signal-protocol';

export type UpstreamErrorKind = 'rejected' | 'auth' | 'rate_limited' | 'server_error' | 'network' | 'timeout' | 'bad_answer';

export class UpstreamError extends Error {
  constructor(
    readonly code: Extract<SignalErrorCode, 'upstream_rejected' | 'upstream_unavailable' | 'timeout' | 'rate_limited'>,
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

const maxMessageLength = 300;

/** Removes the key itself and anything shaped like a provider key, masked or not. */
export function redactSecrets(text: string, apiKey: string): string {
  let clean = apiKey ? text.split(apiKey).join('[redacted]') : text;
  clean = clean.replace(/\bsk-[A-Za-z0-9_*\-.]{4,}/g, '[redacted]');
  clean = clean.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
  return clean.length > maxMessageLength ? `${clean.slice(0, maxMessageLength - 1)}…` : clean;
}

function providerMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : null;
  } catch {
    return null;
  }
}

/** Maps a non-success provider response to the error the kiosk sees. */
export function upstreamErrorFromResponse(status: number, body: string, apiKey: string): UpstreamError {
  if (status === 401 || status === 403) {
    return new UpstreamError('upstream_rejected', 'auth', 'The voice provider refused the proxy’s credentials; ask an administrator to check the tenant’s provider key.', status);
  }
  if (status === 429) {
    return new UpstreamError('rate_limited', 'rate_limited', 'The voice provider is rate limiting this tenant; try again shortly.', status);
  }
  if (status >= 500) {
    return new UpstreamError('upstream_unavailable', 'server_error', `The voice provider is unavailable (HTTP ${status}); try again shortly.`, status);
  }
  const detail = providerMessage(body);
  const message = detail ? `The voice provider refused the offer: ${redactSecrets(detail, apiKey)}` : `The voice provider refused the offer (HTTP ${status}).`;
  return new UpstreamError('upstream_rejected', 'rejected', message, status);
}

/** Maps a failed fetch (no response) to the error the kiosk sees. */
export function upstreamErrorFromFailure(error: unknown, timedOut: boolean): UpstreamError {
  if (timedOut) return new UpstreamError('timeout', 'timeout', 'The voice provider did not answer in time.');
  if (error instanceof UpstreamError) return error;
  return new UpstreamError('upstream_unavailable', 'network', 'The voice provider could not be reached.');
}
