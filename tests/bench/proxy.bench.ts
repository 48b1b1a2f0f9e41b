// SDP proxy: what the proxy adds to an offer→answer exchange over calling the provider directly
// (both measured in this run, against the same emulator, at 200 offers/s), and its memory with 2,000
// idle authenticated sockets. The proxy runs as its own process, as on Fly; all traffic is loopback.
import { readFileSync } from 'node:fs';
import { percentile, type Benchmark, type BenchResult } from './bench-kit';
import { startTestProxy, type SignalClient, type TestProxy } from '../support/proxy-process';
import { spawnRealtimeEmulator, type EmulatorProcess } from '../support/realtime-emulator/emulator-process';
import type { SessionSettings } from '../../proxy/src/providers/provider-adapter';
import { createRealtimeAdapter } from '../../proxy/src/providers/realtime-adapter';

const offersPerSecond = 200;
const offersPerRound = 400;
const rounds = 4;
const socketPool = 100;
const idleSockets = 2_000;
/** No phase of this benchmark may run longer than this, whatever happens. */
const phaseDeadlineMs = 60_000;

const offerSdp = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Zq3x',
  'a=ice-pwd:0wU2ZJbdHxQ2b7P1nq9XlZ0e',
  'a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'a=mid:1',
  'a=sctp-port:5000',
  '',
].join('\r\n');

/** The proxy's defaults as configured below, so both paths send the provider the same session. */
const settings: SessionSettings = { model: 'gpt-realtime', instructions: 'Benchmark interviewer.', voice: 'marin', transcriptionModel: 'gpt-4o-transcribe', noiseReduction: 'near_field' };

/**
 * Fires `count` requests on a fixed 200/s schedule (open loop) and returns each latency in ms, measured
 * from when the request was due, so a stall that delays later requests is counted, not hidden.
 */
async function openLoop(count: number, request: (index: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  const startedAt = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let index = 0; index < count; index++) {
    const due = startedAt + (index * 1000) / offersPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (performance.now() - startedAt > phaseDeadlineMs) throw new Error('offer loop ran past its deadline');
    pending.push(request(index).then(() => void latencies.push(performance.now() - due)));
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(pending),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('answers did not arrive in time')), phaseDeadlineMs);
    }),
  ]);
  clearTimeout(timer);
  return latencies;
}

/**
 * The baseline: the same provider call the proxy makes (its own adapter, same HTTP client), made by the
 * caller itself. What remains of the difference is the WebSocket hop and the proxy's own work.
 */
function directCaller(emulator: EmulatorProcess): () => Promise<void> {
  const adapter = createRealtimeAdapter(emulator.baseUrl, emulator.apiKey);
  return async () => {
    const answer = await adapter.exchange(offerSdp, settings, AbortSignal.timeout(10_000));
    if (!answer.sdp.startsWith('v=0') || !answer.callId) throw new Error('direct call got no answer');
  };
}

/** Sockets that answer one offer at a time each, as the protocol allows; a busy pool queues. */
function proxiedPool(clients: SignalClient[]): (index: number) => Promise<void> {
  const free = [...clients];
  const queued: Array<(client: SignalClient) => void> = [];
  const release = (client: SignalClient) => {
    const next = queued.shift();
    if (next) next(client);
    else free.push(client);
  };
  return async (index) => {
    const client = free.shift() ?? (await new Promise<SignalClient>((resolve) => queued.push(resolve)));
    client.send({ type: 'offer', id: `bench-${index}`, sdp: offerSdp });
    const reply = await client.next(10_000);
    release(client);
    if (reply.type !== 'answer') throw new Error(`proxied offer failed: ${JSON.stringify(reply)}`);
  };
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

async function overhead(): Promise<BenchResult[]> {
  // The provider stand-in gets a process of its own, so neither path shares an event loop with it.
  const emulator = await spawnRealtimeEmulator({ peer: false });
  let proxy: TestProxy | undefined;
  const clients: SignalClient[] = [];
  try {
    proxy = await startTestProxy({
      emulator,
      mode: 'child',
      runtime: 'bundle',
      env: { LOG_LEVEL: 'warn', DEFAULT_INSTRUCTIONS: settings.instructions, TENANT_OFFER_RATE_PER_S: '1000', TENANT_OFFER_BURST: '1000', CONNECTION_RATE_PER_S: '20', HEARTBEAT_MS: '30000' },
    });
    for (let i = 0; i < socketPool; i++) {
      const client = await proxy.connectKiosk();
      await client.next();
      clients.push(client);
    }
    const viaProxy = proxiedPool(clients);
    const direct = directCaller(emulator);
    // Warm both paths (JIT, keep-alive connections) before measuring.
    await openLoop(100, direct);
    await openLoop(100, viaProxy);
    const directLatencies: number[] = [];
    const proxiedLatencies: number[] = [];
    // Alternate rounds so drift in the machine's load hits both paths alike.
    for (let round = 0; round < rounds; round++) {
      directLatencies.push(...(await openLoop(offersPerRound, direct)));
      proxiedLatencies.push(...(await openLoop(offersPerRound, viaProxy)));
    }
    directLatencies.sort((a, b) => a - b);
    proxiedLatencies.sort((a, b) => a - b);
    const results: BenchResult[] = [];
    for (const [p, target] of [
      [50, 2],
      [99, 10],
    ] as const) {
      const base = percentile(directLatencies, p);
      const via = percentile(proxiedLatencies, p);
      results.push({ name: `proxy offer→answer p${p} (via proxy; baseline direct)`, value: via, unit: 'ms', baseline: base, target: `≤ baseline + ${target} ms`, met: via - base <= target });
      results.push({ name: `proxy overhead p${p} at ${offersPerSecond} offers/s`, value: via - base, unit: 'ms', target: `≤ ${target} ms`, met: via - base <= target });
    }
    return results;
  } finally {
    for (const client of clients) client.close();
    await proxy?.stop();
    await emulator.stop();
  }
}

async function idleMemory(): Promise<BenchResult[]> {
  const proxy = await startTestProxy({ mode: 'child', runtime: 'bundle', env: { LOG_LEVEL: 'warn', HEARTBEAT_MS: '30000', MAX_CONNECTIONS: '5000' } });
  const clients: SignalClient[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pid = proxy.child!.pid!;
    const before = rssMb(pid);
    const startedAt = performance.now();
    for (let batch = 0; batch < idleSockets / 100; batch++) {
      if (performance.now() - startedAt > phaseDeadlineMs) throw new Error('opening sockets ran past its deadline');
      const opened = await Promise.all(
        Array.from({ length: 100 }, async () => {
          const client = await proxy.connectKiosk();
          await client.next();
          return client;
        }),
      );
      clients.push(...opened);
    }
    // Let the sockets settle into idleness (and the collector run) before reading memory.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = rssMb(pid);
    return [
      { name: `proxy RSS with ${clients.length} idle authenticated sockets`, value: after, unit: 'MB', baseline: before, target: '≤ 100 MB', met: after <= 100 },
      { name: 'proxy memory per idle socket', value: ((after - before) * 1024) / clients.length, unit: 'KB', target: 'informational', met: true },
    ];
  } finally {
    for (const client of clients) client.close();
    await proxy.stop();
  }
}

const benchmark: Benchmark = {
  title: 'SDP proxy',
  async run() {
    return [...(await overhead()), ...(await idleMemory())];
  },
};

export default benchmark;
