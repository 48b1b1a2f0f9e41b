// The local Supabase-shaped backend, the one entry point for tests and `npm start`: embedded Postgres
// with the migrations (and seed), the Auth stand-in and the real Deno edge functions behind one HTTP
// origin (/auth/v1/*, /functions/v1/<name>), plus the Fly Machines stand-in the functions call.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { JWK } from 'jose';
import type pg from 'pg';
import { startEdgeFunctions, type EdgeFunctionsServer } from './edge-functions-server';
import { startFlyMachinesStandIn, type FlyMachinesStandIn } from './fly-machines-stand-in';
import { startPostgres, type PostgresHarness } from './postgres-harness';
import { startProcessingWorker } from './processing-worker-process';
import { generateProxySigningKey, publicJwks, type ProxySigningKey } from './proxy-keys';
import { createAuthStandIn, type AuthStandIn } from './supabase-auth-stand-in';

export interface BackendStackOptions {
  /** Apply supabase/seed.sql (once per data dir). Default true. */
  seed?: boolean;
  /** Keep the database, signing key and keys here across runs; a temp dir (removed on stop) otherwise. */
  dataDir?: string;
  /** Port of the HTTP origin; a free one when absent. */
  port?: number;
  /** Sets the shared proxy URL of the seeded tenants (e.g. ws://127.0.0.1:8787). */
  proxyUrl?: string;
  /**
   * The key interview-start signs proxy tokens with (its PROXY_SIGNING_KEY). Generated at every start
   * when absent and never written to the data dir: a restarted stack restarts its proxy too.
   */
  proxySigningKey?: ProxySigningKey;
  /** Extra environment for the edge functions (overrides the stack's own). */
  functionsEnv?: Record<string, string>;
  /**
   * Runs the processing worker beside the functions, with this extra environment (provider keys,
   * retry timings). Absent: no worker (tests that need one start their own to control it).
   */
  processingWorker?: Record<string, string>;
}

export interface BackendStack {
  supabaseUrl: string;
  publishableKey: string;
  serviceRoleKey: string;
  /** Superuser connection string. */
  dbUrl: string;
  /** The `authenticator` login the functions and the processing worker use (switches to API roles only). */
  authenticatorUrl: string;
  jwks: { keys: JWK[] };
  /** The backend's proxy signing key (private; the backend's alone). */
  proxySigningKey: ProxySigningKey;
  /** Its public JWKS, what a tenant's proxy gets as JWT_JWKS. */
  proxyJwks: string;
  fly: FlyMachinesStandIn;
  /** Runs SQL as the postgres superuser (bypasses RLS): for arranging and asserting in tests. */
  sql<Row extends pg.QueryResultRow = pg.QueryResultRow>(query: string, params?: unknown[]): Promise<Row[]>;
  /** false: requests to /functions/v1/* fail at the network level (as when the kiosk is offline). */
  setFunctionsOnline(online: boolean): void;
  stop(): Promise<void>;
  /** Signs Auth-shaped access tokens (expired ones, odd claims) and exposes the legacy HS256 secret. */
  auth: Pick<AuthStandIn, 'signAccessToken' | 'legacyJwtSecret' | 'issuer'>;
  /** Recent Deno output: one JSON line per function request. */
  functionLogs: string[];
  dataDir: string;
}

interface StackSecrets {
  publishableKey: string;
  serviceRoleKey: string;
}

function loadSecrets(dataDir: string | undefined): StackSecrets {
  const file = dataDir ? join(dataDir, 'stack-secrets.json') : undefined;
  if (file && existsSync(file)) {
    // Data dirs from before the signing key also hold the retired shared proxy secret: dropped on read.
    const { publishableKey, serviceRoleKey } = JSON.parse(readFileSync(file, 'utf8')) as StackSecrets;
    return { publishableKey, serviceRoleKey };
  }
  const secrets = {
    publishableKey: `sb_publishable_${randomBytes(16).toString('base64url')}`,
    serviceRoleKey: `sb_secret_${randomBytes(16).toString('base64url')}`,
  };
  if (file) writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export async function startBackendStack(options: BackendStackOptions = {}): Promise<BackendStack> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const secrets = loadSecrets(dataDir);
  const proxySigningKey = options.proxySigningKey ?? (await generateProxySigningKey());

  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, 'The backend stack did not stop cleanly.');
  };

  try {
    let functionsOnline = true;
    // Filled in as the parts come up; the origin listens first so a taken port fails fast.
    const ready: { auth?: AuthStandIn; functionsUrl?: string } = {};
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    cleanups.push(async () => agent.destroy());
    const server: Server = createServer((request, response) => {
      void route(request, response).catch(() => {
        if (!response.headersSent) sendJson(response, 502, { message: 'Gateway error' });
        else response.destroy();
      });
    });

    const keys = new Set([secrets.publishableKey, secrets.serviceRoleKey]);
    async function route(request: IncomingMessage, response: ServerResponse) {
      const path = request.url ?? '/';
      if (request.method === 'OPTIONS') {
        response.writeHead(204, corsHeaders).end();
        return;
      }
      const isJwks = path.startsWith('/auth/v1/.well-known/jwks.json');
      if (!isJwks && (path.startsWith('/auth/v1/') || path.startsWith('/functions/v1/'))) {
        const apikey = request.headers.apikey;
        if (typeof apikey !== 'string' || apikey === '') return sendJson(response, 401, { message: 'No API key found in request' });
        if (!keys.has(apikey)) return sendJson(response, 401, { message: 'Invalid API key' });
      }
      const { auth, functionsUrl } = ready;
      if (!auth) return sendJson(response, 503, { message: 'The backend is still starting' });
      if (path.startsWith('/auth/v1/')) return auth.handle(request, response, path.slice('/auth/v1'.length));
      if (path.startsWith('/functions/v1/')) {
        if (!functionsOnline || !functionsUrl) {
          request.socket.destroy();
          return;
        }
        return forward(request, response, `${functionsUrl}${path.slice('/functions/v1'.length)}`, agent);
      }
      return sendJson(response, 404, { message: 'no Route matched with those values' });
    }

    await new Promise<void>((resolveListen, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`The backend stack could not listen on port ${options.port}: ${error.code ?? error.message}`)),
      );
      server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
    });
    let serverClosed: Promise<void> | undefined;
    const closeServer = () =>
      (serverClosed ??= new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }));
    cleanups.push(closeServer);
    const supabaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const database: PostgresHarness = await startPostgres({ dataDir, seed: options.seed ?? true });
    cleanups.push(() => database.stop());
    if (options.proxyUrl) {
      await database.sql(
        `update public.tenants set proxy_url = $1
         where proxy_strategy = 'shared'
           and id in ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002')`,
        [options.proxyUrl.replace(/\/$/, '')],
      );
    }

    const fly = await startFlyMachinesStandIn();
    cleanups.push(() => fly.stop());

    const auth = await createAuthStandIn({
      pool: database.pool,
      origin: supabaseUrl,
      serviceRoleKey: secrets.serviceRoleKey,
      keyFile: dataDir ? join(dataDir, 'auth-signing-key.json') : undefined,
    });

    const functions: EdgeFunctionsServer = await startEdgeFunctions({
      SUPABASE_URL: supabaseUrl,
      SUPABASE_DB_URL: database.authenticatorUrl,
      SUPABASE_JWT_SECRET: auth.legacyJwtSecret,
      SUPABASE_ANON_KEY: secrets.publishableKey,
      SUPABASE_PUBLISHABLE_KEY: secrets.publishableKey,
      // kiosk-enrol creates each kiosk's device identity through the Auth admin API.
      SUPABASE_SERVICE_ROLE_KEY: secrets.serviceRoleKey,
      PROXY_SIGNING_KEY: JSON.stringify(proxySigningKey.privateJwk),
      FLY_API_URL: fly.url,
      FLY_API_TOKEN: fly.token,
      FLY_RETRY_BASE_MS: '25',
      ...options.functionsEnv,
    });
    cleanups.push(() => functions.stop());
    if (options.processingWorker) {
      const worker = startProcessingWorker({ SUPABASE_DB_URL: database.authenticatorUrl, ...options.processingWorker });
      cleanups.push(() => worker.stop());
    }
    ready.auth = auth;
    ready.functionsUrl = functions.url;

    let stopping: Promise<void> | undefined;
    return {
      supabaseUrl,
      publishableKey: secrets.publishableKey,
      serviceRoleKey: secrets.serviceRoleKey,
      dbUrl: database.dbUrl,
      authenticatorUrl: database.authenticatorUrl,
      jwks: auth.jwks,
      proxySigningKey,
      proxyJwks: publicJwks(proxySigningKey),
      fly,
      sql: (query, params) => database.sql(query, params),
      setFunctionsOnline(online) {
        functionsOnline = online;
      },
      // Stop taking requests first, then the functions, the Fly stand-in and Postgres.
      stop: () => (stopping ??= closeServer().then(stopAll)),
      auth: { signAccessToken: auth.signAccessToken, legacyJwtSecret: auth.legacyJwtSecret, issuer: auth.issuer },
      functionLogs: functions.logs,
      dataDir: database.dataDir,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type, x-supabase-api-version',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
};

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...corsHeaders });
  response.end(JSON.stringify(body));
}

function forward(request: IncomingMessage, response: ServerResponse, target: string, agent: Agent): Promise<void> {
  return new Promise((resolveForward, reject) => {
    const { host: _host, connection: _connection, ...headers } = request.headers;
    const upstream = httpRequest(target, { method: request.method, headers, agent }, (reply) => {
      response.writeHead(reply.statusCode ?? 502, { ...reply.headers, ...corsHeaders });
      reply.pipe(response);
      reply.on('end', () => resolveForward());
      reply.on('error', reject);
    });
    upstream.on('error', reject);
    request.pipe(upstream);
  });
}
