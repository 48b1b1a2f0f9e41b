// The proxy's Prometheus metrics, on a registry of its own so several proxies can live in one process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ProxyMetrics {
  registry: Registry;
  connections: Gauge;
  offers: Counter<'outcome'>;
  answerLatency: Histogram;
  upstreamErrors: Counter<'kind'>;
  authFailures: Counter<'reason'>;
  rejectedFrames: Counter<'reason'>;
}

export function createProxyMetrics(): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sdp_proxy_' });
  return {
    registry,
    connections: new Gauge({ name: 'sdp_proxy_connections', help: 'Open signalling sockets', registers: [registry] }),
    offers: new Counter({ name: 'sdp_proxy_offers_total', help: 'Offers received, by outcome', labelNames: ['outcome'], registers: [registry] }),
    answerLatency: new Histogram({
      name: 'sdp_proxy_answer_latency_seconds',
      help: 'Offer received to answer sent, successful exchanges only',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15],
      registers: [registry],
    }),
    upstreamErrors: new Counter({ name: 'sdp_proxy_upstream_errors_total', help: 'Provider failures, by kind', labelNames: ['kind'], registers: [registry] }),
    authFailures: new Counter({ name: 'sdp_proxy_auth_failures_total', help: 'Refused upgrades and session configs, by reason', labelNames: ['reason'], registers: [registry] }),
    rejectedFrames: new Counter({ name: 'sdp_proxy_rejected_frames_total', help: 'Client frames refused, by reason', labelNames: ['reason'], registers: [registry] }),
  };
}
