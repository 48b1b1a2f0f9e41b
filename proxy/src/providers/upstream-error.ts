// How a provider failure reaches the kiosk: a protocol error code, a message safe to show, and a kind
// for the metrics. The provider's own words never reach the kiosk: they name the tenant's organisation
// and project (`org-…`, `proj_…`) and sometimes part of the key. The kiosk gets the status and the
// provider's stable error identifiers; the words, redacted, go to the proxy's own log as `detail`.
import type { SignalErrorCode } from '../signal-protocol';

export type UpstreamErrorKind = 'rejected' | 'auth' | 'rate_limited' | 'server_error' | 'network' | 'timeout' | 'bad_answer';

export class UpstreamError extends Error {
  constructor(
    readonly code: Extract<SignalErrorCode, 'upstream_rejected' | 'upstream_unavailable' | 'timeout' | 'rate_limited'>,
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly status?: number,
    /** The provider's own text, key-shaped strings removed: for the operator's log only, never the kiosk. */
    readonly detail?: string,
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

interface ProviderErrorBody {
  message: string | null;
  /** `error.code` / `error.type` / `error.param`, only when they are plain identifiers. */
  identifiers: string[];
}

/** Identifiers the provider documents (`invalid_request_error`, `session.voice`): nothing free-form. */
const identifier = /^[a-z][a-z0-9_.[\]]{0,63}$/i;

function providerError(body: string): ProviderErrorBody {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } };
    const error = parsed.error ?? {};
    const identifiers = [error.type, error.code, error.param].filter((value): value is string => typeof value === 'string' && identifier.test(value));
    return { message: typeof error.message === 'string' ? error.message : null, identifiers };
  } catch {
    return { message: null, identifiers: [] };
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
  const { message, identifiers } = providerError(body);
  const named = identifiers.length > 0 ? `: ${identifiers.join(', ')}` : '';
  return new UpstreamError(
    'upstream_rejected',
    'rejected',
    `The voice provider refused the offer (HTTP ${status}${named}).`,
    status,
    message === null ? undefined : redactSecrets(message, apiKey),
  );
}

/** Maps a failed fetch (no response) to the error the kiosk sees. */
export function upstreamErrorFromFailure(error: unknown, timedOut: boolean): UpstreamError {
  if (timedOut) return new UpstreamError('timeout', 'timeout', 'The voice provider did not answer in time.');
  if (error instanceof UpstreamError) return error;
  return new UpstreamError('upstream_unavailable', 'network', 'The voice provider could not be reached.');
}
