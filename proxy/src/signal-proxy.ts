// The signalling server: liveness over HTTP (metrics on the internal port, ops-server.ts), and protocol v1 on the WebSocket /v1/signal
// (authenticated at the upgrade, one live socket per interview session, offers exchanged with the
// provider under per-connection and per-tenant limits). Media never passes through here.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ProxyConfig } from './config';
import { replayResponse, replayTarget } from './machine-routing';
import { createLiveAdapter } from './providers/live-adapter';
import { resolveSessionSettings, takesHistoryInOffer, type ProviderAdapter } from './providers/provider-adapter';
import { createRealtimeAdapter } from './providers/realtime-adapter';
import { UpstreamError } from './providers/upstream-error';
import { startOpsServer, type OpsServer } from './ops-server';
import { createProxyMetrics, type ProxyMetrics } from './proxy-metrics';
import { TokenBucket } from './rate-limiter';
import { offerMessageSchema, protocolName, readSubprotocols, type OfferMessage, type ServerMessage, type SignalErrorCode } from './signal-protocol';
import { AuthError, createTokenVerifier, type ProxyClaims, type SessionConfig } from './token-verifier';

export interface SignalProxyOptions {
  logger?: Logger;
  /** Replaces the adapter REALTIME_API selects (tests of the error mapping use this). */
  adapter?: ProviderAdapter;
}

export interface SignalProxy {
  /** http://host:port of the listening server. */
  url: string;
  port: number;
  /** http://host:port of the internal port: /metrics and the detailed /healthz. */
  opsUrl: string;
  metrics: ProxyMetrics;
  /** Open signalling sockets right now. */
  connectionCount(): number;
  /** Graceful stop: refuse new work, let in-flight offers finish (bounded), close sockets with 1001. */
  close(): Promise<void>;
}

interface Connection {
  id: string;
  ws: WebSocket;
  claims: ProxyClaims;
  bucket: TokenBucket;
  alive: boolean;
  offerInFlight: boolean;
  /** The token ran out while an offer was being answered: close once the answer is out. */
  expired: boolean;
  expiryTimer: NodeJS.Timeout | null;
  strikes: number;
}

/** A socket still flooding after this many consecutive refusals is closed instead of answered. */
const maxStrikes = 20;
const closeCodes = { goingAway: 1001, policy: 1008, replaced: 4409, tokenExpired: 4401 } as const;

function refuseUpgrade(socket: Socket, status: number, code: SignalErrorCode | 'forbidden' | 'not_found' | 'token_in_use', message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

type ConnectionLog = Pick<Logger, 'info' | 'warn'>;

function connectionLog(logger: Logger, fields: { session_id: string; connection_id: string }): ConnectionLog {
  return {
    info: (object: object, message?: string) => logger.info({ ...fields, ...object }, message),
    warn: (object: object, message?: string) => logger.warn({ ...fields, ...object }, message),
  } as ConnectionLog;
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function sendError(ws: WebSocket, id: string | null, code: SignalErrorCode, message: string): void {
  send(ws, { type: 'error', id, code, message });
}

export async function startSignalProxy(config: ProxyConfig, options: SignalProxyOptions = {}): Promise<SignalProxy> {
  const logger = (
    options.logger ??
    pino({
      level: config.logLevel,
      // Belt and braces: nothing logs these, and if something ever did, they would not get out.
      redact: { paths: ['token', 'sdp', '*.sdp', 'authorization', '*.authorization', 'headers', '*.headers', 'session', 'apiKey', 'history', '*.history'], censor: '[redacted]' },
    })
  ).child({ service: 'sdp-proxy', tenant_id: config.tenantId });
  const metrics = createProxyMetrics();
  const verifier = createTokenVerifier({ tenantId: config.tenantId, jwks: config.jwtJwks, decryptionKeys: config.decryptionKeys, jwksCacheS: config.jwksCacheS });
  const adapter =
    options.adapter ??
    (config.realtimeApi === 'live' ? createLiveAdapter(config.openaiBaseUrl, config.openaiApiKey) : createRealtimeAdapter(config.openaiBaseUrl, config.openaiApiKey));
  const tenantOffers = new TokenBucket(config.limits.tenantOfferRatePerS, config.limits.tenantOfferBurst);
  const sessions = new Map<string, Connection>();
  const connections = new Set<Connection>();
  const inFlight = new Set<Promise<void>>();
  let shuttingDown = false;

  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: config.limits.maxFrameBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(protocolName) ? protocolName : false),
  });

  function httpRequest(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') {
      // Liveness for the kiosk's reachability probe and Fly's routing check; details live on the
      // internal port, with the metrics.
      response.writeHead(shuttingDown ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ status: shuttingDown ? 'draining' : 'ok' }));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'not_found', message: 'Nothing here; the signalling socket is at /v1/signal.' } }));
  }

  function originAllowed(origin: string | undefined): boolean {
    // Browsers always send Origin on a WebSocket; a client without one is not a page that can be framed.
    if (config.allowedOrigins.length === 0 || origin === undefined) return true;
    return config.allowedOrigins.includes(origin);
  }

  async function upgrade(request: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/v1/signal') return refuseUpgrade(socket, 404, 'not_found', 'The signalling socket is at /v1/signal.');
    const replayOn = replayTarget(request.url, config.flyMachineId);
    if (replayOn) {
      logger.info({ event: 'upgrade_replayed', machine: replayOn }, 'upgrade replayed on its machine');
      socket.end(replayResponse(replayOn));
      return;
    }
    if (shuttingDown) return refuseUpgrade(socket, 503, 'upstream_unavailable', 'The proxy is restarting; try again shortly.');
    if (!originAllowed(request.headers.origin)) {
      metrics.authFailures.inc({ reason: 'origin' });
      logger.warn({ event: 'upgrade_refused', reason: 'origin', origin: request.headers.origin }, 'upgrade refused');
      return refuseUpgrade(socket, 403, 'forbidden', 'This origin may not open the signalling socket.');
    }
    if (connections.size >= config.limits.maxConnections) {
      return refuseUpgrade(socket, 503, 'rate_limited', 'The proxy is at its connection limit; try again shortly.');
    }
    const { speaksV1, token } = readSubprotocols(request.headers['sec-websocket-protocol']);
    if (!speaksV1) return refuseUpgrade(socket, 400, 'bad_request', `Offer the subprotocol ${protocolName}.`);
    let claims: ProxyClaims;
    try {
      claims = await verifier.verifyProxyToken(token);
    } catch (error) {
      const reason = error instanceof AuthError ? error.reason : 'malformed';
      metrics.authFailures.inc({ reason });
      logger.warn({ event: 'upgrade_refused', reason }, 'upgrade refused');
      return refuseUpgrade(socket, 401, 'unauthorized', error instanceof AuthError ? error.message : 'The token cannot be verified.');
    }
    if (socket.destroyed) return;
    if (shuttingDown) return refuseUpgrade(socket, 503, 'upstream_unavailable', 'The proxy is restarting; try again shortly.');
    // A second socket on the very token a live, answering connection holds is a replay, not the kiosk:
    // a kiosk that reconnects either finds its old socket dead or brings a fresh token from main.
    const holder = sessions.get(claims.sessionId);
    if (holder && holder.claims.jti === claims.jti && holder.alive && holder.ws.readyState === holder.ws.OPEN) {
      metrics.authFailures.inc({ reason: 'token_in_use' });
      logger.warn({ event: 'upgrade_refused', reason: 'token_in_use', session_id: claims.sessionId }, 'upgrade refused');
      return refuseUpgrade(socket, 409, 'token_in_use', 'This token already holds a live connection for the interview; a reconnecting kiosk asks main for a fresh one.');
    }
    wss.handleUpgrade(request, socket, head, (ws) => opened(ws, claims));
  }

  function opened(ws: WebSocket, claims: ProxyClaims): void {
    const connection: Connection = {
      id: randomUUID(),
      ws,
      claims,
      bucket: new TokenBucket(config.limits.connectionRatePerS, config.limits.connectionBurst),
      alive: true,
      offerInFlight: false,
      expired: false,
      expiryTimer: null,
      strikes: 0,
    };
    // A pino child per socket costs memory on every idle connection; a small fields object does not.
    const log = connectionLog(logger, { session_id: claims.sessionId, connection_id: connection.id });
    // The newest socket wins: a kiosk that lost its network reconnects before its old socket is known dead.
    const previous = sessions.get(claims.sessionId);
    if (previous) {
      sendError(previous.ws, null, 'session_busy', 'A newer connection for this interview session replaced this one.');
      previous.ws.close(closeCodes.replaced, 'replaced by a newer connection');
      log.info({ event: 'connection_replaced', replaced: previous.id }, 'connection replaced an older one');
    }
    sessions.set(claims.sessionId, connection);
    connections.add(connection);
    metrics.connections.inc();
    log.info({ event: 'connection_opened' }, 'connection opened');

    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('message', (data, isBinary) => message(connection, data, isBinary, log));
    ws.on('error', (error) => {
      const tooLarge = /max payload|too big/i.test(error.message);
      metrics.rejectedFrames.inc({ reason: tooLarge ? 'too_large' : 'socket_error' });
      log.warn({ event: 'socket_error', reason: tooLarge ? 'frame_too_large' : 'socket_error' }, 'socket error');
    });
    // A socket lives no longer than its pass: once the token runs out the backend must have issued a
    // fresh one (it refuses after the interview ended), so an open socket cannot outlive the interview.
    connection.expiryTimer = setTimeout(() => expire(connection, log), Math.max(0, claims.expiresAt.getTime() - Date.now()));
    connection.expiryTimer.unref();
    ws.on('close', (code) => {
      if (connection.expiryTimer) clearTimeout(connection.expiryTimer);
      connections.delete(connection);
      if (sessions.get(claims.sessionId) === connection) sessions.delete(claims.sessionId);
      metrics.connections.dec();
      log.info({ event: 'connection_closed', code }, 'connection closed');
    });
    send(ws, { type: 'ready', sessionId: claims.sessionId, expiresAt: claims.expiresAt.toISOString(), api: adapter.api });
  }

  function expire(connection: Connection, log: ConnectionLog): void {
    connection.expiryTimer = null;
    // An offer accepted while the token was valid is answered: cutting it would waste a paid call and
    // leave the kiosk without the answer it is waiting for.
    if (connection.offerInFlight) {
      connection.expired = true;
      return;
    }
    metrics.authFailures.inc({ reason: 'expired' });
    log.info({ event: 'token_expired' }, 'closing a connection whose token expired');
    sendError(connection.ws, null, 'unauthorized', 'The token has expired; reconnect with a fresh one.');
    connection.ws.close(closeCodes.tokenExpired, 'token expired');
  }

  function refuseFrame(connection: Connection, id: string | null, code: SignalErrorCode, reason: string, message: string): void {
    metrics.rejectedFrames.inc({ reason });
    sendError(connection.ws, id, code, message);
  }

  function message(connection: Connection, data: RawData, isBinary: boolean, log: ConnectionLog): void {
    if (connection.bucket.take()) connection.strikes = 0;
    else {
      connection.strikes++;
      if (connection.strikes > maxStrikes) {
        log.warn({ event: 'flood_closed' }, 'closing a flooding connection');
        connection.ws.close(closeCodes.policy, 'too many messages');
        return;
      }
      return refuseFrame(connection, null, 'rate_limited', 'rate_limited', 'Too many messages on this connection; slow down.');
    }
    if (isBinary) return refuseFrame(connection, null, 'bad_request', 'binary', 'Frames must be JSON text.');
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return refuseFrame(connection, null, 'bad_request', 'not_json', 'The frame is not valid JSON.');
    }
    const id = typeof (frame as { id?: unknown })?.id === 'string' ? ((frame as { id: string }).id.slice(0, 128) as string) : null;
    const type = (frame as { type?: unknown })?.type;
    if (type !== 'offer') return refuseFrame(connection, id, 'bad_request', 'unknown_type', `Unknown message type${typeof type === 'string' ? ` "${type.slice(0, 40)}"` : ''}.`);
    const offer = offerMessageSchema.safeParse(frame);
    if (!offer.success) {
      const issue = offer.error.issues[0]!;
      const field = issue.path.join('.') || 'frame';
      return refuseFrame(connection, id, 'bad_request', 'bad_offer', `Invalid ${field}: ${issue.message}.`);
    }
    if (offer.data.history && offer.data.history.length > 0 && !takesHistoryInOffer(adapter)) {
      return refuseFrame(
        connection,
        offer.data.id,
        'bad_request',
        'history_not_taken',
        'This proxy speaks Realtime GA, which takes no history in the offer; seed the conversation over the data channel.',
      );
    }
    if (shuttingDown) return refuseFrame(connection, offer.data.id, 'upstream_unavailable', 'shutting_down', 'The proxy is restarting; reconnect and offer again.');
    // Without the backend's signed session config an offer would buy a generic voice session on the
    // tenant's key: a token alone (leaked from a kiosk's memory, say) must not be enough for that.
    if (!offer.data.session) {
      metrics.offers.inc({ outcome: 'unauthorized' });
      return refuseFrame(connection, offer.data.id, 'unauthorized', 'no_session_config', 'An offer carries the interview’s signed session config (`session`); the backend hands it out with the proxy token.');
    }
    if (connection.offerInFlight) {
      return refuseFrame(connection, offer.data.id, 'session_busy', 'offer_in_flight', 'An offer for this interview session is already being answered.');
    }
    if (Date.now() >= connection.claims.expiresAt.getTime()) {
      metrics.authFailures.inc({ reason: 'expired' });
      sendError(connection.ws, offer.data.id, 'unauthorized', 'The token has expired; reconnect with a fresh one.');
      connection.ws.close(closeCodes.tokenExpired, 'token expired');
      return;
    }
    if (!spendTokenOffer(connection.claims)) {
      return refuseFrame(connection, offer.data.id, 'unauthorized', 'token_offers', `This token has made its ${config.limits.maxOffersPerToken} offers; reconnect with a fresh one.`);
    }
    if (!tenantOffers.take()) return refuseFrame(connection, offer.data.id, 'rate_limited', 'tenant_rate', 'This tenant is sending too many offers; try again shortly.');
    connection.offerInFlight = true;
    const work = exchange(connection, offer.data, log).finally(() => {
      connection.offerInFlight = false;
      inFlight.delete(work);
      if (connection.expired) expire(connection, log);
    });
    inFlight.add(work);
  }

  async function exchange(connection: Connection, offer: OfferMessage, log: ConnectionLog): Promise<void> {
    const started = performance.now();
    let signed: SessionConfig;
    try {
      signed = await verifier.verifySessionConfig(offer.session!, connection.claims.sessionId);
    } catch (error) {
      const reason = error instanceof AuthError ? error.reason : 'malformed';
      metrics.authFailures.inc({ reason: `session_config_${reason}` });
      metrics.offers.inc({ outcome: 'unauthorized' });
      log.warn({ event: 'offer_refused', reason: `session_config_${reason}` }, 'session config refused');
      sendError(connection.ws, offer.id, 'unauthorized', error instanceof AuthError ? `Session config refused: ${error.message}` : 'Session config refused.');
      return;
    }
    const settings = resolveSessionSettings(config.defaults, signed);
    try {
      const answer = await adapter.exchange(offer.sdp, settings, AbortSignal.timeout(config.limits.upstreamTimeoutMs), offer.history);
      const seconds = (performance.now() - started) / 1000;
      metrics.answerLatency.observe(seconds);
      metrics.offers.inc({ outcome: 'answered' });
      // How much history went along, never its text: the transcript is the candidate's.
      log.info({ event: 'offer_answered', call_id: answer.callId, ms: Math.round(seconds * 1000), history_items: offer.history?.length ?? 0 }, 'offer answered');
      send(connection.ws, { type: 'answer', id: offer.id, sdp: answer.sdp, callId: answer.callId });
    } catch (error) {
      const upstream = error instanceof UpstreamError ? error : new UpstreamError('upstream_unavailable', 'network', 'The voice provider could not be reached.');
      metrics.upstreamErrors.inc({ kind: upstream.kind });
      metrics.offers.inc({ outcome: upstream.code });
      log.warn({ event: 'offer_failed', code: upstream.code, kind: upstream.kind, status: upstream.status, detail: upstream.detail }, 'offer failed');
      sendError(connection.ws, offer.id, upstream.code, upstream.message);
    }
  }

  /** Offers made per token id (jti), across its connections, until the token expires. */
  const offersByToken = new Map<string, { count: number; expiresAt: number }>();
  function spendTokenOffer(claims: ProxyClaims): boolean {
    const spent = offersByToken.get(claims.jti) ?? { count: 0, expiresAt: claims.expiresAt.getTime() };
    if (spent.count >= config.limits.maxOffersPerToken) return false;
    spent.count++;
    offersByToken.set(claims.jti, spent);
    return true;
  }

  const heartbeat = setInterval(() => {
    const now = Date.now();
    for (const [jti, spent] of offersByToken) if (spent.expiresAt <= now) offersByToken.delete(jti);
    for (const connection of connections) {
      if (!connection.alive) {
        logger.info({ event: 'heartbeat_timeout', session_id: connection.claims.sessionId, connection_id: connection.id }, 'dropping a dead peer');
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }, config.limits.heartbeatMs);
  heartbeat.unref();

  const server = createServer(httpRequest);
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    upgrade(request, socket, head).catch((error: unknown) => {
      logger.error({ event: 'upgrade_failed', err: error instanceof Error ? error.message : 'unknown' }, 'upgrade failed');
      if (!socket.destroyed) refuseUpgrade(socket, 503, 'upstream_unavailable', 'The proxy could not open the socket.');
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let ops: OpsServer;
  try {
    ops = await startOpsServer(config.metricsHost, config.metricsPort, metrics, { api: adapter.api, draining: () => shuttingDown, connectionCount: () => connections.size });
  } catch (error) {
    server.close();
    throw error;
  }
  logger.info({ event: 'listening', port, metrics_url: ops.url, api: adapter.api }, 'proxy listening');

  let closing: Promise<void> | null = null;
  async function drain(): Promise<void> {
    shuttingDown = true;
    logger.info({ event: 'draining', in_flight: inFlight.size, connections: connections.size }, 'draining');
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, config.limits.shutdownGraceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const closed = [...connections].map(
      (connection) =>
        new Promise<void>((resolve) => {
          connection.ws.once('close', () => resolve());
          connection.ws.close(closeCodes.goingAway, 'server shutting down');
        }),
    );
    let forceTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise<void>((resolve) => {
        forceTimer = setTimeout(resolve, 2_000);
      }),
    ]);
    clearTimeout(forceTimer);
    for (const connection of connections) connection.ws.terminate();
    clearInterval(heartbeat);
    server.closeAllConnections();
    await serverClosed;
    await ops.close();
    wss.close();
    logger.info({ event: 'stopped' }, 'proxy stopped');
  }

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    opsUrl: ops.url,
    metrics,
    connectionCount: () => connections.size,
    close: () => (closing ??= drain()),
  };
}
