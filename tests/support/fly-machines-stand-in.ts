// A stand-in for the Fly Machines API at its HTTP boundary: create / get / list (with metadata
// filters) / wait / stop / delete machines of any app, recording every call, and failing on demand
// the way Fly does (no capacity, server errors, a wait that times out).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from './request-body';

export interface FlyCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface FlyMachineRecord {
  id: string;
  name: string;
  app: string;
  state: 'created' | 'started' | 'stopped' | 'destroyed';
  region: string;
  instance_id: string;
  private_ip: string;
  config: Record<string, unknown> & { metadata?: Record<string, string>; auto_destroy?: boolean; image?: string };
  created_at: string;
  updated_at: string;
}

export type FlyFailure = 'capacity' | 'server_error' | 'wait_timeout' | 'unauthorized';

export interface FlyMachinesStandIn {
  url: string;
  token: string;
  calls: FlyCall[];
  machines: Map<string, FlyMachineRecord>;
  /** The next `times` create calls (or waits, for wait_timeout; any call for the others) fail this way. */
  failNext(kind: FlyFailure, times?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startFlyMachinesStandIn(options: { token?: string; port?: number } = {}): Promise<FlyMachinesStandIn> {
  const token = options.token ?? `fly-local-${randomBytes(8).toString('hex')}`;
  // As flyctl sends them: a macaroon (`fm2_…`, printed by `fly tokens create` after `FlyV1 `) under the
  // FlyV1 scheme, an older personal token as a bearer token. The doubled `Bearer FlyV1 fm2_…` is refused
  // here; whether Fly itself tolerates it is not documented, so the client must not depend on it.
  const bareToken = token.replace(/^FlyV1\s+/, '');
  const expectedAuthorization = /^(fm1r|fm1a|fm2)_/.test(bareToken) ? `FlyV1 ${bareToken}` : `Bearer ${bareToken}`;
  const calls: FlyCall[] = [];
  const machines = new Map<string, FlyMachineRecord>();
  const failures: FlyFailure[] = [];

  function takeFailure(kind: 'create' | 'wait' | 'any'): FlyFailure | null {
    const index = failures.findIndex((failure) =>
      failure === 'capacity' ? kind === 'create' : failure === 'wait_timeout' ? kind === 'wait' : true,
    );
    return index < 0 ? null : failures.splice(index, 1)[0]!;
  }

  async function route(request: IncomingMessage, url: URL, body: unknown): Promise<[number, unknown]> {
    if (request.headers.authorization !== expectedAuthorization) return [401, { error: 'unauthorized' }];
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /v1/apps/{app}/machines[/{id}[/{action}]]
    if (parts[0] !== 'v1' || parts[1] !== 'apps' || parts[3] !== 'machines' || !parts[2]) return [404, { error: 'not found' }];
    const app = parts[2];
    const id = parts[4];
    const action = parts[5];
    const general = failures.includes('server_error') || failures.includes('unauthorized') ? takeFailure('any') : null;
    if (general === 'server_error') return [500, { error: 'internal server error' }];
    if (general === 'unauthorized') return [401, { error: 'unauthorized' }];

    if (!id && request.method === 'GET') {
      const filters = [...url.searchParams].filter(([key]) => key.startsWith('metadata.'));
      const list = [...machines.values()].filter(
        (m) =>
          m.app === app &&
          m.state !== 'destroyed' &&
          filters.every(([key, value]) => m.config.metadata?.[key.slice('metadata.'.length)] === value),
      );
      return [200, list.map(publicMachine)];
    }
    if (!id && request.method === 'POST') {
      if (takeFailure('create') === 'capacity') {
        return [412, { error: 'insufficient resources available to fulfill request: could not reserve resource for machine: insufficient memory available to fulfill request' }];
      }
      const input = (body ?? {}) as { name?: string; region?: string; config?: FlyMachineRecord['config'] };
      if (!input.config || typeof input.config.image !== 'string') return [400, { error: 'config.image is required' }];
      const now = new Date().toISOString();
      const machine: FlyMachineRecord = {
        id: randomBytes(7).toString('hex'),
        name: input.name ?? `machine-${randomBytes(3).toString('hex')}`,
        app,
        state: 'created',
        region: input.region ?? 'ams',
        instance_id: randomBytes(13).toString('hex').toUpperCase(),
        private_ip: `fdaa:0:1::${machines.size + 2}`,
        config: input.config,
        created_at: now,
        updated_at: now,
      };
      machines.set(machine.id, machine);
      return [200, publicMachine(machine)];
    }
    const machine = id ? machines.get(id) : undefined;
    if (!machine || machine.app !== app || machine.state === 'destroyed') return [404, { error: 'machine not found' }];
    if (!action && request.method === 'GET') return [200, publicMachine(machine)];
    if (action === 'wait' && request.method === 'GET') {
      if (takeFailure('wait') === 'wait_timeout') return [408, { error: 'deadline_exceeded: machine did not reach state' }];
      const wanted = url.searchParams.get('state') ?? 'started';
      // Machines start by themselves shortly after creation; the stand-in starts them when waited on.
      if (wanted === 'started' && machine.state === 'created') machine.state = 'started';
      if (machine.state !== wanted) return [408, { error: `machine is ${machine.state}` }];
      return [200, { ok: true }];
    }
    if (action === 'stop' && request.method === 'POST') {
      machine.state = machine.config.auto_destroy ? 'destroyed' : 'stopped';
      return [200, { ok: true }];
    }
    if (!action && request.method === 'DELETE') {
      if (machine.state === 'started' && url.searchParams.get('force') !== 'true') {
        return [412, { error: 'machine is still running, stop it first or use force' }];
      }
      machine.state = 'destroyed';
      return [200, { ok: true }];
    }
    return [404, { error: 'not found' }];
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void readRequestBody(request).then(async (raw) => {
      const url = new URL(request.url ?? '/', 'http://fly.local');
      let body: unknown;
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
      } catch {
        body = null;
      }
      const [status, payload] = await route(request, url, body);
      calls.push({ method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, status });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    calls,
    machines,
    failNext(kind, times = 1) {
      for (let i = 0; i < times; i += 1) failures.push(kind);
    },
    reset() {
      calls.length = 0;
      failures.length = 0;
      machines.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function publicMachine(machine: FlyMachineRecord) {
  const { app: _app, ...rest } = machine;
  return rest;
}
