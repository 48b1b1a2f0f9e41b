// Calls the backend's edge functions (`/functions/v1/<name>`) and turns every outcome into either a
// parsed reply or a BackendFailure the sync engine can classify. Bodies are snake_case, as the API says.
import type { z } from 'zod';
import { KioskError } from '../../shared/kiosk-error';

export type FailureKind = 'network' | 'http';

export class BackendFailure extends KioskError {
  constructor(
    readonly kind: FailureKind,
    readonly status: number | null,
    code: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(code, message);
    this.name = 'BackendFailure';
  }
}

export interface BackendClient {
  invoke<T>(name: string, body: unknown, accessToken: string, reply: z.ZodType<T>): Promise<T>;
}

export interface BackendClientOptions {
  supabaseUrl: string;
  publishableKey: string;
  fetch: typeof fetch;
  timeoutMs?: number;
}

export function createBackendClient(options: BackendClientOptions): BackendClient {
  const base = options.supabaseUrl.replace(/\/+$/, '');
  return {
    async invoke(name, body, accessToken, reply) {
      let response: Response;
      try {
        response = await options.fetch(`${base}/functions/v1/${name}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${accessToken}`,
            apikey: options.publishableKey,
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
        });
      } catch (error) {
        throw new BackendFailure('network', null, 'sync.network', `The backend could not be reached (${describe(error)}).`);
      }
      const text = await response.text().catch(() => '');
      const json = parseJson(text);
      if (!response.ok) {
        const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
        const message = typeof error?.message === 'string' ? error.message : `${name} answered HTTP ${response.status}.`;
        throw new BackendFailure('http', response.status, code, message, json);
      }
      const parsed = reply.safeParse(json);
      if (!parsed.success) {
        throw new BackendFailure('http', response.status, 'sync.bad_reply', `${name} answered with a reply the kiosk does not understand.`);
      }
      return parsed.data;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? error.name;
  }
  return 'unknown error';
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
