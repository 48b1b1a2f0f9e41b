// Starts the SDP proxy for tests — in this process (fast, logs captured) or as a child process running
// `proxy/src/server.ts` exactly as `npm run proxy` does (for signals, exit codes and memory) — and signs
// the tokens the backend would mint for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { CompactEncrypt, SignJWT } from 'jose';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import { loadConfig } from '../../proxy/src/config';
import { startSignalProxy, type SignalProxy, type SignalProxyOptions } from '../../proxy/src/signal-proxy';
import { proxyAudience, sessionConfigAudience } from '../../proxy/src/token-verifier';
import { decryptionKeys, generateProxyEncryptionKey, generateProxySigningKey, publicJwks, type ProxyEncryptionKey, type ProxySigningKey } from './proxy-keys';
import type { RealtimeEmulator } from './realtime-emulator';

export const testTenantId = '00000000-0000-4000-8000-000000000001';

export interface TestProxyOptions {
  /** Environment on top of the test defaults (TENANT_ID, JWT_JWKS, fast heartbeats…). */
  env?: Record<string, string>;
  /** The backend key the helpers sign with; JWT_JWKS trusts it unless `env` says otherwise. Generated when absent. */
  signingKey?: ProxySigningKey;
  /** The proxy's encryption key pair; PROXY_DECRYPTION_KEY holds it unless `env` says otherwise. Generated when absent. */
  encryptionKey?: ProxyEncryptionKey;
  /** Where OPENAI_BASE_URL and OPENAI_API_KEY point; otherwise pass them in `env`. */
  emulator?: Pick<RealtimeEmulator, 'baseUrl' | 'apiKey'>;
  /** `in-process` (default) or `child` (a real proxy process). */
  mode?: 'in-process' | 'child';
  /**
   * Child only: `tsx` runs proxy/src/server.ts as `npm run proxy` does (default); `bundle` builds
   * proxy/dist/server.mjs (`npm run build -w proxy`) and runs it with the Fly image's node flags.
   */
  runtime?: 'tsx' | 'bundle';
  /** Child `bundle` only: node flags instead of deployedNodeFlags (to compare the deployed ones). */
  nodeFlags?: string[];
  /** In-process only: replace the provider adapter. */
  adapter?: SignalProxyOptions['adapter'];
}

export interface ProxyTokenClaims {
  sessionId?: string;
  tenantId?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresInS?: number;
  /** Seconds between iat and exp when it should differ from expiresInS (e.g. an over-long token). */
  lifetimeS?: number;
  /** Sign with this key instead of the proxy's (another backend, a leaked or retired key). */
  signingKey?: ProxySigningKey;
  /** Overrides the protected header's kid. */
  kid?: string;
  /** Session configs: encrypt to this key instead of the proxy's (another tenant's proxy). */
  encryptionKey?: ProxyEncryptionKey;
  /** Session configs: leave it a plain signed JWT, as before encryption. */
  unencrypted?: boolean;
  extra?: Record<string, unknown>;
}

export interface TestProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:METRICS_PORT: the internal port's /metrics and detailed /healthz. */
  opsUrl: string;
  /** ws://127.0.0.1:PORT/v1/signal */
  signalUrl: string;
  tenantId: string;
  /** The backend key the helpers sign with. */
  signingKey: ProxySigningKey;
  /** The proxy's encryption key pair the helpers encrypt session configs to. */
  encryptionKey: ProxyEncryptionKey;
  env: Record<string, string>;
  /** Every log line so far (JSON text), for asserting what never gets logged. */
  logs(): string[];
  signProxyToken(claims?: ProxyTokenClaims): Promise<string>;
  signSessionConfig(sessionId: string, session: Record<string, unknown>, claims?: ProxyTokenClaims): Promise<string>;
  /**
   * Connects as a kiosk does: a proxy token for `claims.sessionId` (random when absent) and that
   * interview's session config, sent with every offer.
   */
  connectKiosk(claims?: ProxyTokenClaims, session?: Record<string, unknown>): Promise<SignalClient>;
  /** The in-process proxy (undefined in child mode). */
  proxy?: SignalProxy;
  /** The child process (undefined in-process). */
  child?: ChildProcess;
  /** Resolves with the child's exit; in-process resolves when stop() finished. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Graceful stop (SIGTERM for a child) and wait for the exit. */
  stop(): Promise<void>;
}

export type TokenKind = 'proxy' | 'session-config';

/** Signs a token as interview-start does (ES256 with the backend key's kid, aud naming the tenant). */
export async function signTestToken(key: ProxySigningKey, claims: ProxyTokenClaims, kind: TokenKind, tenantId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + (claims.expiresInS ?? 120);
  const iat = claims.lifetimeS !== undefined ? exp - claims.lifetimeS : Math.min(now, exp - 1);
  const signer = claims.signingKey ?? key;
  const tenant = claims.tenantId ?? tenantId;
  return new SignJWT({ tenant_id: tenant, ...claims.extra })
    .setProtectedHeader({ alg: 'ES256', kid: claims.kid ?? signer.kid, typ: 'JWT' })
    .setIssuer(claims.issuer ?? 'interview-kiosk')
    .setAudience(claims.audience ?? (kind === 'proxy' ? proxyAudience(tenant) : sessionConfigAudience(tenant)))
    .setSubject(claims.sessionId ?? randomUUID())
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(signer.privateKey);
}

/** Seals a signed session config as interview-start does: a JWE to the proxy's encryption key, `cty: JWT`. */
export async function encryptSessionConfig(signed: string, key: ProxyEncryptionKey): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(signed))
    .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: key.kid, cty: 'JWT' })
    .encrypt(key.publicKey);
}

function testEnv(options: TestProxyOptions, signingKey: ProxySigningKey, encryptionKey: ProxyEncryptionKey): Record<string, string> {
  return {
    PORT: '0',
    METRICS_PORT: '0',
    HOST: '127.0.0.1',
    TENANT_ID: testTenantId,
    JWT_JWKS: publicJwks(signingKey),
    PROXY_DECRYPTION_KEY: decryptionKeys(encryptionKey),
    OPENAI_API_KEY: options.emulator?.apiKey ?? `sk-test-${randomBytes(12).toString('hex')}`,
    OPENAI_BASE_URL: options.emulator?.baseUrl ?? 'http://127.0.0.1:9/v1',
    HEARTBEAT_MS: '1000',
    SHUTDOWN_GRACE_MS: '3000',
    UPSTREAM_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'info',
    ...options.env,
  };
}

/** The node flags of proxy/Dockerfile's CMD; keep the two in step. */
export const deployedNodeFlags = ['--max-semi-space-size=2', '--optimize-for-size'];

/** Builds the proxy as the Fly image does and returns the bundle's path. */
export async function bundledProxy(): Promise<string> {
  const outfile = resolve('proxy/dist/server.mjs');
  const { build } = await import('esbuild');
  await build({ entryPoints: [resolve('proxy/src/server.ts')], bundle: true, platform: 'node', target: 'node24', format: 'esm', packages: 'external', outfile, logLevel: 'warning' });
  return outfile;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const signingKey = options.signingKey ?? (await generateProxySigningKey());
  const encryptionKey = options.encryptionKey ?? (await generateProxyEncryptionKey());
  const env = testEnv(options, signingKey, encryptionKey);
  const lines: string[] = [];
  const signProxyToken = (claims: ProxyTokenClaims = {}) => signTestToken(signingKey, claims, 'proxy', env.TENANT_ID!);
  const signSessionConfig = async (sessionId: string, session: Record<string, unknown>, claims: ProxyTokenClaims = {}) => {
    const signed = await signTestToken(signingKey, { ...claims, sessionId, extra: { session, ...claims.extra } }, 'session-config', env.TENANT_ID!);
    return claims.unencrypted ? signed : encryptSessionConfig(signed, claims.encryptionKey ?? encryptionKey);
  };
  let signalUrlOf = () => '';
  const sign = {
    signProxyToken,
    signSessionConfig,
    async connectKiosk(claims: ProxyTokenClaims = {}, session: Record<string, unknown> = { instructions: 'You are interviewing a candidate; ask one question at a time.' }) {
      const sessionId = claims.sessionId ?? randomUUID();
      const token = await signProxyToken({ ...claims, sessionId });
      return connectSignal(signalUrlOf(), token, { sessionConfig: await signSessionConfig(sessionId, session) });
    },
  };

  if ((options.mode ?? 'in-process') === 'in-process') {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const config = loadConfig(env);
    const proxy = await startSignalProxy(config, { logger: pino({ level: config.logLevel }, sink), adapter: options.adapter });
    let markExited!: (value: { code: number | null; signal: NodeJS.Signals | null }) => void;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => (markExited = done));
    signalUrlOf = () => `${proxy.url.replace(/^http/, 'ws')}/v1/signal`;
    return {
      url: proxy.url,
      opsUrl: proxy.opsUrl,
      signalUrl: `${proxy.url.replace(/^http/, 'ws')}/v1/signal`,
      tenantId: env.TENANT_ID!,
      signingKey,
      encryptionKey,
      env,
      logs: () => [...lines],
      ...sign,
      proxy,
      exited,
      async stop() {
        await proxy.close();
        markExited({ code: 0, signal: null });
      },
    };
  }

  // A child reports its port only in logs, which LOG_LEVEL may silence: pick a free port up front.
  if (env.PORT === '0') env.PORT = String(await freePort());
  if (env.METRICS_PORT === '0') env.METRICS_PORT = String(await freePort());
  const port = Number(env.PORT);
  // node itself is the proxy process (no npm or tsx wrapper), so it gets the signals as on Fly.
  const args = options.runtime === 'bundle' ? [...(options.nodeFlags ?? deployedNodeFlags), await bundledProxy()] : ['--import', 'tsx', resolve('proxy/src/server.ts')];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  // Never outlive the test run that started it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exitedEarly) throw new Error(`The proxy exited before serving:\n${lines.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The proxy did not serve /healthz within 15 s:\n${lines.join('\n')}`);
    }
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false);
    if (healthy) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  const url = `http://127.0.0.1:${port}`;
  signalUrlOf = () => `ws://127.0.0.1:${port}/v1/signal`;
  return {
    url,
    opsUrl: `http://127.0.0.1:${env.METRICS_PORT}`,
    signalUrl: `ws://127.0.0.1:${port}/v1/signal`,
    tenantId: env.TENANT_ID!,
    signingKey,
    encryptionKey,
    env,
    logs: () => [...lines],
    ...sign,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A protocol v1 client for tests: connect with a token, read frames in order, send frames. */
export interface SignalClient {
  ws: WebSocket;
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export interface SignalClientOptions {
  origin?: string;
  protocols?: string[];
  /**
   * The interview's signed session config, which a kiosk sends with every offer: offer frames without a
   * `session` key get it added. A frame that sets `session` (even to undefined) is sent as it is.
   */
  sessionConfig?: string;
}

/** An offer frame as a kiosk sends it: with the interview's session config unless the test says otherwise. */
function withSessionConfig(frame: unknown, sessionConfig: string | undefined): unknown {
  if (sessionConfig === undefined || frame === null || typeof frame !== 'object' || Array.isArray(frame)) return frame;
  const record = frame as Record<string, unknown>;
  return record.type === 'offer' && !('session' in record) ? { ...record, session: sessionConfig } : frame;
}

export function connectSignal(signalUrl: string, token: string | null, options: SignalClientOptions = {}): Promise<SignalClient> {
  const protocols = options.protocols ?? ['kiosk-signal.v1', ...(token === null ? [] : [`bearer.${token}`])];
  const ws = new WebSocket(signalUrl, protocols, { origin: options.origin });
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<(frame: Record<string, unknown>) => void> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((done) => ws.once('close', (code, reason) => done({ code, reason: reason.toString() })));
  return new Promise((done, fail) => {
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => fail(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode, body })));
    });
    ws.once('error', fail);
    ws.once('open', () =>
      done({
        ws,
        closed,
        send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(withSessionConfig(frame, options.sessionConfig))),
        close: () => ws.close(),
        next: (timeoutMs = 5_000) =>
          new Promise((resolveFrame, rejectFrame) => {
            const queued = queue.shift();
            if (queued) return resolveFrame(queued);
            const waiter = (frame: Record<string, unknown>) => {
              clearTimeout(timer);
              resolveFrame(frame);
            };
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(waiter), 1);
              rejectFrame(new Error('no frame from the proxy in time'));
            }, timeoutMs);
            waiters.push(waiter);
          }),
      }),
    );
  });
}
