// SDP proxy: what the proxy adds to an offer→answer exchange over calling the provider directly
// (both measured in this run, against the same emulator, at 200 offers/s); its ceiling, the offer rate
// at which its p99 overhead over a bare `ws` relay (same provider call, none of the proxy's work)
// crosses 10 ms; and its memory with 10,000 idle authenticated sockets against a bare `ws` server
// holding as many. Every server runs as its own process, as on Fly, and so do the idle clients; all
// traffic is loopback.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, type Benchmark, type BenchResult } from './bench-kit';
import { connectSignal, deployedNodeFlags, startTestProxy, type SignalClient, type TestProxy } from '../support/proxy-process';
import { spawnRealtimeEmulator, type EmulatorProcess } from '../support/realtime-emulator/emulator-process';
import type { SessionSettings } from '../../proxy/src/providers/provider-adapter';
import { createRealtimeAdapter } from '../../proxy/src/providers/realtime-adapter';

const offersPerSecond = 200;
const offersPerRound = 400;
const rounds = 4;
const socketPool = 100;
const idleSockets = 10_000;
/** Offer rates tried for the ceiling, until the p99 overhead crosses `ceilingOverheadMs`. */
const ceilingRates = [50, 100, 200, 400, 700, 1_000, 1_400, 2_000, 2_800];
const ceilingOverheadMs = 10;
/** Seconds of load per path per rate: enough offers that p99 is not one outlier. */
const ceilingSeconds = 2;
const ceilingPool = 300;
const ceilingRounds = 3;
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
async function openLoop(count: number, request: (index: number) => Promise<void>, rate = offersPerSecond): Promise<number[]> {
  const latencies: number[] = [];
  const failures: unknown[] = [];
  const startedAt = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let index = 0; index < count; index++) {
    const due = startedAt + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (performance.now() - startedAt > phaseDeadlineMs) throw new Error('offer loop ran past its deadline');
    pending.push(
      request(index).then(
        () => void latencies.push(performance.now() - due),
        (error: unknown) => void failures.push(error),
      ),
    );
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(pending),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('answers did not arrive in time')), phaseDeadlineMs);
    }),
  ]);
  clearTimeout(timer);
  if (failures.length > 0) throw new Error(`${failures.length} of ${count} requests failed, first: ${String(failures[0])}`);
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

/**
 * Starts a server script from proxy-load/ as the proxy runs on Fly: bundled by esbuild, on plain node
 * with the deployed flags (tsx's loader alone would add tens of MB to the baseline's RSS). Resolves
 * with its first stdout line.
 */
async function helper(script: string, args: string[] = []): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const outfile = join(tmpdir(), `bench-${script.replace(/\.ts$/, '')}-${process.pid}.cjs`);
  const { build } = await import('esbuild');
  await build({ entryPoints: [fileURLToPath(new URL(`./proxy-load/${script}`, import.meta.url))], bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['bufferutil', 'utf-8-validate'], outfile, logLevel: 'warning' });
  const child = spawn(process.execPath, [...deployedNodeFlags, outfile, ...args], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
  child.once('exit', () => rmSync(outfile, { force: true }));
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 15 s`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (!text.includes('\n')) return;
      clearTimeout(timer);
      resolve(JSON.parse(text.split('\n')[0]!) as Record<string, unknown>);
    });
    child.once('exit', () => reject(new Error(`${script} exited before it was ready`)));
  });
  return { child, ready };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  child.kill('SIGKILL');
}

/** The soft limit on open files each child inherits: every socket is one descriptor on each side. */
function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((entry) => entry.startsWith('Max open files'))!;
  return Number(line.split(/\s+/)[3]);
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

/**
 * Raises the offer rate step by step, the bare relay and the proxy alternately at each step, until the
 * proxy's p99 exceeds the relay's by more than 10 ms; reports the rate where that line is crossed
 * (interpolated between the last step under it and the first over it).
 */
async function ceiling(): Promise<BenchResult[]> {
  const emulator = await spawnRealtimeEmulator({ peer: false });
  let proxy: TestProxy | undefined;
  let bare: ChildProcess | undefined;
  const clients: SignalClient[] = [];
  try {
    proxy = await startTestProxy({
      emulator,
      mode: 'child',
      runtime: 'bundle',
      env: { LOG_LEVEL: 'warn', DEFAULT_INSTRUCTIONS: settings.instructions, TENANT_OFFER_RATE_PER_S: '100000', TENANT_OFFER_BURST: '100000', CONNECTION_RATE_PER_S: '1000', CONNECTION_BURST: '1000', MAX_OFFERS_PER_TOKEN: '1000000', HEARTBEAT_MS: '30000' },
    });
    const started = await helper('bare-ws-server.ts', ['--relay', emulator.baseUrl, emulator.apiKey]);
    bare = started.child;
    const bareUrl = `ws://127.0.0.1:${started.ready.port as number}`;
    const proxied: SignalClient[] = [];
    const relayed: SignalClient[] = [];
    for (let i = 0; i < ceilingPool; i++) {
      const viaProxy = await proxy.connectKiosk();
      await viaProxy.next();
      const viaBare = await connectSignal(bareUrl, null);
      await viaBare.next();
      proxied.push(viaProxy);
      relayed.push(viaBare);
    }
    clients.push(...proxied, ...relayed);
    const viaProxy = proxiedPool(proxied);
    const viaBare = proxiedPool(relayed);
    await openLoop(200, viaBare);
    await openLoop(200, viaProxy);
    const steps: Array<{ rate: number; bare: number; proxy: number; overhead: number }> = [];
    for (const rate of ceilingRates) {
      const count = Math.max(600, rate * ceilingSeconds);
      const p99 = async (request: (index: number) => Promise<void>) => {
        try {
          return percentile((await openLoop(count, request, rate)).sort((a, b) => a - b), 99);
        } catch (error) {
          // Answers that never came (timeouts, refusals) are past any latency line.
          console.log(`  ${rate} offers/s: ${String(error)}`);
          return Number.POSITIVE_INFINITY;
        }
      };
      // Alternating rounds, and the median round: on a shared machine one stall elsewhere would
      // otherwise decide a whole step.
      const rounds: Array<{ bare: number; proxy: number }> = [];
      for (let round = 0; round < ceilingRounds; round++) rounds.push({ bare: await p99(viaBare), proxy: await p99(viaProxy) });
      rounds.sort((a, b) => a.proxy - a.bare - (b.proxy - b.bare) || 0);
      const median = rounds[Math.floor(rounds.length / 2)]!;
      steps.push({ rate, ...median, overhead: median.proxy - median.bare });
      console.log(`  ${rate} offers/s: p99 bare relay ${median.bare.toFixed(1)} ms, proxy ${median.proxy.toFixed(1)} ms (median of ${ceilingRounds} rounds)`);
      if (!(median.proxy - median.bare <= ceilingOverheadMs)) break;
      // Once the relay itself cannot keep up, the provider stand-in is the limit, not the proxy.
      if (!Number.isFinite(median.bare)) break;
    }
    const over = steps.findIndex((step) => !(step.overhead <= ceilingOverheadMs));
    let crossing: number;
    if (over < 0) crossing = steps.at(-1)!.rate;
    else if (over === 0) crossing = steps[0]!.rate;
    else {
      const below = steps[over - 1]!;
      const above = steps[over]!;
      const fraction = Number.isFinite(above.overhead) ? (ceilingOverheadMs - below.overhead) / (above.overhead - below.overhead) : 0;
      crossing = below.rate + fraction * (above.rate - below.rate);
    }
    const last = steps.at(-1)!;
    return [
      {
        name: `proxy ceiling: offers/s where p99 overhead crosses ${ceilingOverheadMs} ms${over < 0 ? ` (not crossed up to ${last.rate}/s)` : over === 0 ? ' (crossed at the lowest rate tried)' : ''}`,
        value: crossing,
        unit: 'offers/s',
        target: `> ${offersPerSecond} offers/s`,
        met: crossing > offersPerSecond,
      },
      {
        name: `proxy ceiling: p99 at ${last.rate} offers/s (baseline bare ws relay)`,
        value: last.proxy,
        unit: 'ms',
        baseline: last.bare,
        target: 'report',
        met: true,
      },
    ];
  } finally {
    for (const client of clients) client.close();
    await proxy?.stop();
    if (bare) await stopChild(bare);
    await emulator.stop();
  }
}

/** Opens `protocols.length` sockets to `url` from a socket-holder child; resolves once all are open. */
async function holdSockets(url: string, protocols: string[][]): Promise<ChildProcess> {
  const holder = fork(fileURLToPath(new URL('./proxy-load/socket-holder.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const orphanGuard = () => holder.kill('SIGKILL');
  process.once('exit', orphanGuard);
  holder.once('exit', () => process.off('exit', orphanGuard));
  const reply = await new Promise<{ opened?: number; failed?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('opening sockets ran past its deadline')), phaseDeadlineMs);
    holder.once('message', (message: { opened?: number; failed?: string }) => {
      clearTimeout(timer);
      resolve(message);
    });
    holder.once('exit', () => reject(new Error('the socket holder exited')));
    holder.send({ url, protocols });
  });
  if (reply.failed || reply.opened !== protocols.length) {
    holder.kill('SIGKILL');
    throw new Error(`the socket holder opened ${reply.opened ?? 0} of ${protocols.length}: ${reply.failed ?? ''}`);
  }
  return holder;
}

async function releaseSockets(holder: ChildProcess): Promise<void> {
  if (holder.exitCode !== null) return;
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  holder.send('close');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  holder.kill('SIGKILL');
}

async function idleMemory(): Promise<BenchResult[]> {
  const limit = openFileLimit();
  if (limit < idleSockets + 500) throw new Error(`${idleSockets} sockets need ${idleSockets + 500} open files per process; raise \`ulimit -n\` (now ${limit}).`);
  const protocols: string[][] = [];
  // The baseline: a bare `ws` server (the proxy's socket options, no auth, no heartbeat) holding as many.
  const { child: bare, ready } = await helper('bare-ws-server.ts');
  let bareBefore: number;
  let bareAfter: number;
  let holder: ChildProcess | undefined;
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    bareBefore = rssMb(bare.pid!);
    holder = await holdSockets(`ws://127.0.0.1:${ready.port as number}`, Array.from({ length: idleSockets }, () => ['kiosk-signal.v1']));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    bareAfter = rssMb(bare.pid!);
  } finally {
    if (holder) await releaseSockets(holder);
    await stopChild(bare);
  }
  const proxy = await startTestProxy({ mode: 'child', runtime: 'bundle', env: { LOG_LEVEL: 'warn', HEARTBEAT_MS: '30000', MAX_CONNECTIONS: String(idleSockets + 100) } });
  holder = undefined;
  try {
    for (let i = 0; i < idleSockets; i++) protocols.push(['kiosk-signal.v1', `bearer.${await proxy.signProxyToken()}`]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pid = proxy.child!.pid!;
    const before = rssMb(pid);
    holder = await holdSockets(proxy.signalUrl, protocols);
    // Let the sockets settle into idleness (and the collector run) before reading memory.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = rssMb(pid);
    return [
      { name: `proxy RSS with ${idleSockets} idle authenticated sockets (baseline bare ws)`, value: after, unit: 'MB', baseline: bareAfter, target: '≤ 150 MB', met: after <= 150 },
      { name: 'proxy memory per idle socket (baseline bare ws)', value: ((after - before) * 1024) / idleSockets, unit: 'KB', baseline: ((bareAfter - bareBefore) * 1024) / idleSockets, target: 'informational', met: true },
    ];
  } finally {
    if (holder) await releaseSockets(holder);
    await proxy.stop();
  }
}

const benchmark: Benchmark = {
  title: 'SDP proxy',
  async run() {
    return [...(await overhead()), ...(await ceiling()), ...(await idleMemory())];
  },
};

export default benchmark;
