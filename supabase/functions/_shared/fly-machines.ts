// A small client for the Fly Machines API: one dedicated proxy machine per interview, found again by
// its metadata (so a retried start reuses it), created with auto_destroy, waited on until started, and
// retried with backoff when Fly has no capacity where we asked.
import { backoffMs } from './backoff.ts';
import { ApiError } from './api-error.ts';

export interface FlyMachine {
  id: string;
  name?: string;
  state: string;
  instance_id?: string;
  region?: string;
  config?: { metadata?: Record<string, string> };
}

export interface FlyClientOptions {
  apiUrl: string;
  token: string;
  /** First backoff step in ms; doubles per attempt. */
  retryBaseMs: number;
  attempts: number;
  /**
   * Time the whole call (every attempt, backoff and wait) may take. Supabase ends a request after 150 s
   * of wall clock (the client then sees a 504, not our 503), so the default leaves room to answer.
   */
  budgetMs?: number;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

/** Under the Edge Functions' 150 s request limit, with room for the database work around the Fly calls. */
export const FLY_CALL_BUDGET_MS = 120_000;

/** Where a dedicated proxy serves Prometheus metrics (the proxy's METRICS_PORT default, as in fly.toml). */
export const PROXY_METRICS = { port: 9091, path: '/metrics' } as const;

/**
 * The Authorization header for a Fly token, the way flyctl forms it: macaroon tokens (`fm2_…`, `fm1r_…`,
 * possibly several joined by commas, as `fly tokens create` prints them after `FlyV1 `) take the
 * `FlyV1` scheme; older personal tokens are bearer tokens. A token pasted with its `FlyV1 ` prefix is
 * sent once, not as `Bearer FlyV1 …`.
 */
export function flyAuthorization(token: string): string {
  const bare = token.trim().replace(/^FlyV1\s+/, '').replace(/^Bearer\s+/i, '');
  const macaroon = bare.split(',').some((part) => /^(fm1r|fm1a|fm2)_/.test(part.trim()));
  return macaroon ? `FlyV1 ${bare}` : `Bearer ${bare}`;
}

export interface InterviewMachineSpec {
  app: string;
  image: string;
  region: string | null;
  interviewSessionId: string;
  tenantId: string;
}

const liveStates = new Set(['created', 'starting', 'started', 'replacing', 'updating']);

export function flyClientFromEnv(): FlyClient {
  const token = Deno.env.get('FLY_API_TOKEN');
  if (!token) throw new ApiError(503, 'proxy_unavailable', 'Dedicated proxies are not configured on this backend.');
  return new FlyClient({
    apiUrl: Deno.env.get('FLY_API_URL') ?? 'https://api.machines.dev',
    token,
    retryBaseMs: Number(Deno.env.get('FLY_RETRY_BASE_MS') ?? 500),
    attempts: Number(Deno.env.get('FLY_RETRY_ATTEMPTS') ?? 5),
    budgetMs: Number(Deno.env.get('FLY_CALL_BUDGET_MS') ?? FLY_CALL_BUDGET_MS),
  });
}

/** Whether a failed Fly call is worth retrying: no capacity, rate limited, or Fly itself failing. */
function isRetryableFlyFailure(status: number, message: string): boolean {
  if (status === 429 || status === 502 || status === 503 || status === 504) return true;
  if (status === 408) return true;
  return (status === 412 || status === 500) && /capacity|insufficient|could not reserve|no machines? available/i.test(message);
}

class FlyCallError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class FlyClient {
  private readonly fetchImpl: typeof fetch;

  private readonly now: () => number;

  constructor(private readonly options: FlyClientOptions) {
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.now = options.now ?? Date.now;
  }

  /** Returns the interview's started machine, creating it when none is alive. */
  async ensureInterviewMachine(spec: InterviewMachineSpec, knownMachineId: string | null): Promise<FlyMachine> {
    return await this.withRetries(async () => {
      let machine = knownMachineId ? await this.getMachine(spec.app, knownMachineId) : null;
      if (!machine || !liveStates.has(machine.state)) machine = await this.findInterviewMachine(spec);
      if (!machine) machine = await this.createInterviewMachine(spec);
      if (machine.state !== 'started') await this.waitStarted(spec.app, machine);
      return { ...machine, state: 'started' };
    });
  }

  async destroyMachine(app: string, machineId: string): Promise<void> {
    await this.withRetries(async () => {
      try {
        await this.call('DELETE', `/v1/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(machineId)}?force=true`);
      } catch (error) {
        if (error instanceof FlyCallError && error.status === 404) return;
        throw error;
      }
    });
  }

  private async findInterviewMachine(spec: InterviewMachineSpec): Promise<FlyMachine | null> {
    const query = `metadata.interview_session_id=${encodeURIComponent(spec.interviewSessionId)}`;
    const machines = (await this.call('GET', `/v1/apps/${encodeURIComponent(spec.app)}/machines?${query}`)) as FlyMachine[];
    return (
      machines.find(
        (m) => m.config?.metadata?.interview_session_id === spec.interviewSessionId && liveStates.has(m.state),
      ) ?? null
    );
  }

  private async getMachine(app: string, id: string): Promise<FlyMachine | null> {
    try {
      return (await this.call('GET', `/v1/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(id)}`)) as FlyMachine;
    } catch (error) {
      if (error instanceof FlyCallError && error.status === 404) return null;
      throw error;
    }
  }

  private async createInterviewMachine(spec: InterviewMachineSpec): Promise<FlyMachine> {
    const body = {
      name: `interview-${spec.interviewSessionId}`,
      ...(spec.region ? { region: spec.region } : {}),
      config: {
        image: spec.image,
        auto_destroy: true,
        restart: { policy: 'no' },
        guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 512 },
        // Scraped by Fly's Prometheus like the shared proxy's [metrics] in fly.toml, so a dedicated
        // machine shows up in the same dashboards and alerts.
        metrics: { ...PROXY_METRICS },
        env: { INTERVIEW_SESSION_ID: spec.interviewSessionId, TENANT_ID: spec.tenantId },
        metadata: { interview_session_id: spec.interviewSessionId, tenant_id: spec.tenantId },
        services: [
          {
            protocol: 'tcp',
            internal_port: 8080,
            ports: [
              { port: 443, handlers: ['tls', 'http'] },
              { port: 80, handlers: ['http'] },
            ],
          },
        ],
      },
    };
    return (await this.call('POST', `/v1/apps/${encodeURIComponent(spec.app)}/machines`, body)) as FlyMachine;
  }

  private async waitStarted(app: string, machine: FlyMachine): Promise<void> {
    // Fly's wait takes whole seconds (at most 60); never longer than what is left of the budget.
    const seconds = Math.max(1, Math.min(60, Math.floor((this.remainingMs() - 5_000) / 1000)));
    const params = new URLSearchParams({ state: 'started', timeout: String(seconds) });
    if (machine.instance_id) params.set('instance_id', machine.instance_id);
    await this.call('GET', `/v1/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(machine.id)}/wait?${params}`);
  }

  private deadline = 0;

  private remainingMs(): number {
    return this.deadline - this.now();
  }

  private async withRetries<T>(work: () => Promise<T>): Promise<T> {
    this.deadline = this.now() + (this.options.budgetMs ?? FLY_CALL_BUDGET_MS);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        const retryable =
          (error instanceof FlyCallError && isRetryableFlyFailure(error.status, error.message)) ||
          error instanceof TypeError ||
          (error instanceof DOMException && error.name === 'TimeoutError');
        // A retry that could not finish inside the budget would end as the platform's 504.
        const wait = backoffMs(attempt, { baseMs: this.options.retryBaseMs, maxMs: 10_000 });
        const outOfTime = this.remainingMs() - wait < 5_000;
        if (!retryable || attempt >= this.options.attempts || outOfTime) {
          const detail = error instanceof Error ? error.message : String(error);
          console.error(JSON.stringify({ fly: 'gave up', attempt, detail }));
          throw new ApiError(503, 'proxy_unavailable', 'The interview proxy could not be started; try again shortly.');
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    // Not retryable: what is left would not cover a Fly round trip.
    if (this.remainingMs() < 1_000) throw new FlyCallError(0, 'out of time for Fly calls');
    const response = await this.fetchImpl(`${this.options.apiUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: {
        authorization: flyAuthorization(this.options.token),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // Each call ends with the budget; Fly's wait itself is bounded below it (waitStarted).
      signal: AbortSignal.timeout(Math.max(1_000, Math.min(70_000, this.remainingMs()))),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        const parsed = JSON.parse(text) as { error?: unknown };
        if (typeof parsed.error === 'string') message = parsed.error;
      } catch {
        // Fly answered with plain text; keep it as the message.
      }
      throw new FlyCallError(response.status, message.slice(0, 500));
    }
    return text ? JSON.parse(text) : {};
  }
}
