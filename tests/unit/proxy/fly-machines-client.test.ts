// The backend's Fly Machines client against the Fly stand-in (real HTTP): the header form flyctl uses,
// the machine config a dedicated proxy gets, and retries that end inside the Edge Functions' 150 s.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFlyMachinesStandIn, type FlyMachinesStandIn } from '../../support/fly-machines-stand-in';

// The module is Deno code (`.ts` import specifiers, `Deno.env` in its env reader, which is not called
// here); Vite runs it as is, while the type-checker of the tests must not follow it (deno check does).
interface FlyClientOptions {
  apiUrl: string;
  token: string;
  retryBaseMs: number;
  attempts: number;
  budgetMs?: number;
  fetchImpl?: typeof fetch;
  now?: () => number;
}
interface FlyModule {
  FLY_CALL_BUDGET_MS: number;
  PROXY_METRICS: { port: number; path: string };
  flyAuthorization(token: string): string;
  FlyClient: new (options: FlyClientOptions) => { ensureInterviewMachine(spec: unknown, known: string | null): Promise<{ state: string }> };
}
const modulePath = '../../../supabase/functions/_shared/fly-machines.ts';
const { FLY_CALL_BUDGET_MS, FlyClient, flyAuthorization, PROXY_METRICS } = (await import(/* @vite-ignore */ modulePath)) as FlyModule;

const spec = { app: 'kiosk-proxy-x', image: 'registry.fly.io/kiosk-proxy:1', region: null, interviewSessionId: '5a0c8f0e-2f4e-4a8e-9a59-0f3c2f7d7c11', tenantId: 't-1' };
const macaroon = 'FlyV1 fm2_lJPECAAAAAAAAMvXxBDmq2xXgKlJ2,fm2_lJPEThv7Xk';
let fly: FlyMachinesStandIn;

beforeAll(async () => {
  fly = await startFlyMachinesStandIn({ token: macaroon });
});
afterEach(() => fly.reset());
afterAll(async () => {
  await fly.stop();
});

const client = (options: Partial<FlyClientOptions> = {}) =>
  new FlyClient({ apiUrl: fly.url, token: macaroon, retryBaseMs: 1, attempts: 5, ...options });

describe('Fly token header', () => {
  it('sends a macaroon under the FlyV1 scheme, once, whether or not it was stored with its prefix', () => {
    expect(flyAuthorization('FlyV1 fm2_abc,fm2_def')).toBe('FlyV1 fm2_abc,fm2_def');
    expect(flyAuthorization('fm2_abc')).toBe('FlyV1 fm2_abc');
    expect(flyAuthorization(' FlyV1 fm1r_abc\n')).toBe('FlyV1 fm1r_abc');
  });

  it('sends an older personal token as a bearer token', () => {
    expect(flyAuthorization('fo1_personal')).toBe('Bearer fo1_personal');
  });

  it('is accepted by the Fly stand-in, which refuses the doubled "Bearer FlyV1 …"', async () => {
    const machine = await client().ensureInterviewMachine(spec, null);
    expect(machine.state).toBe('started');
    const doubled = await fetch(`${fly.url}/v1/apps/${spec.app}/machines`, { headers: { authorization: `Bearer ${macaroon}` } });
    expect(doubled.status).toBe(401);
  });
});

describe('dedicated machine config', () => {
  it('has the proxy’s metrics port and path, so Fly scrapes it like the shared proxy', async () => {
    await client().ensureInterviewMachine(spec, null);
    const [machine] = [...fly.machines.values()];
    expect(machine?.config).toMatchObject({ metrics: { port: 9091, path: '/metrics' }, auto_destroy: true, restart: { policy: 'no' } });
    expect(PROXY_METRICS).toEqual({ port: 9091, path: '/metrics' });
  });
});

describe('retries within the function time limit', () => {
  it('stays under 150 s by default', () => {
    expect(FLY_CALL_BUDGET_MS).toBeLessThan(150_000);
  });

  it('stops retrying, with 503, once another attempt would not fit in the budget', async () => {
    // Every Fly call "takes" 25 s on this clock; Fly stays full. Ten attempts would take 500 s.
    let now = 0;
    const startedAt: number[] = [];
    const slowFetch: typeof fetch = async (input, init) => {
      startedAt.push(now);
      now += 25_000;
      return await fetch(input, init);
    };
    fly.failNext('capacity', 10);
    await expect(client({ fetchImpl: slowFetch, now: () => now, attempts: 10 }).ensureInterviewMachine(spec, null)).rejects.toMatchObject({
      status: 503,
      code: 'proxy_unavailable',
    });
    // Each attempt lists, then tries to create: two attempts fit in 120 s, a third would not.
    expect(fly.calls.filter((call) => call.method === 'POST')).toHaveLength(2);
    expect(Math.max(...startedAt)).toBeLessThan(FLY_CALL_BUDGET_MS);
  });

  it('asks Fly to wait no longer than the budget leaves', async () => {
    await client({ budgetMs: 30_000 }).ensureInterviewMachine(spec, null);
    const wait = fly.calls.find((call) => call.path.endsWith('/wait'));
    expect(Number(wait?.query.timeout)).toBeLessThanOrEqual(25);
  });
});
