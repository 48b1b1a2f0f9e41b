// The proxy's internal port: Prometheus metrics and the detailed health for the operator, apart from the
// public port kiosks connect to. On Fly it is not in [[services]], so only the private network (and
// Fly's metrics scraper, `[metrics]` in fly.toml) reaches it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyMetrics } from './proxy-metrics';

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

export interface OpsState {
  api: string;
  draining(): boolean;
  connectionCount(): number;
}

export async function startOpsServer(host: string, port: number, metrics: ProxyMetrics, state: OpsState): Promise<OpsServer> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') {
      const draining = state.draining();
      response.writeHead(draining ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ status: draining ? 'draining' : 'ok', api: state.api, connections: state.connectionCount() }));
      return;
    }
    if (request.method === 'GET' && path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': metrics.registry.contentType });
          response.end(text);
        },
        () => response.writeHead(500).end(),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'not_found', message: 'The internal port serves /metrics and /healthz.' } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
