// The site check's in-page probes, run in the kiosk's own Chromium: the proxy's WebSocket upgrade with
// the signalling protocol, the ICE candidate types this machine gathers, and a short real call to the
// provider through the proxy, measured from getStats. Verdicts come from src/shared/site-check.
import { openSignal, SignalError } from '../realtime/proxy-signal';
import { DATA_CHANNEL_LABEL } from '../realtime/realtime-session';
import { callVerdict, iceVerdict, proxyVerdict, type CandidateCounts, type CheckItem } from '../../shared/site-check/verdicts';

export interface BrowserProbePlan {
  proxyUrl: string;
  /** A proxy pass for the test call; without one the socket is only checked for the upgrade. */
  token: string | null;
  /** The signed session config handed out with the pass; the proxy refuses an offer without it. */
  sessionConfig: string | null;
  iceServers: string[];
  /** From the HTTP probes (main or the CLI): the proxy's /healthz status. */
  healthz: number | 'unreachable';
  /** How long the test call runs once connected. */
  callMs: number;
  connectTimeoutMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the socket with the protocol: without a pass the proxy refuses the upgrade or closes, which still proves WSS gets through. */
async function probeSocket(plan: BrowserProbePlan): Promise<{ socket: 'ready' | 'refused' | 'unreachable'; detail?: string; ms: number | null; channel: Awaited<ReturnType<typeof openSignal>> | null }> {
  const started = performance.now();
  try {
    const channel = await openSignal({ url: plan.proxyUrl, token: plan.token ?? 'site-check-no-pass', timeoutMs: plan.connectTimeoutMs });
    return { socket: 'ready', ms: performance.now() - started, channel };
  } catch (error) {
    const code = error instanceof SignalError ? error.code : 'unreachable';
    const detail = error instanceof Error ? error.message : String(error);
    // A closed or refused socket after the TCP+TLS handshake is a refusal of the pass, not of the path.
    if (code === 'unreachable' || code === 'timeout') return { socket: 'unreachable', detail, ms: null, channel: null };
    return { socket: 'refused', detail: plan.token ? `The proxy refused the pass: ${detail}` : 'No pass given: the upgrade was checked, no test call placed.', ms: performance.now() - started, channel: null };
  }
}

async function gatherCandidates(iceServers: string[], timeoutMs: number): Promise<CandidateCounts> {
  const pc = new RTCPeerConnection({ iceServers: iceServers.length > 0 ? [{ urls: iceServers }] : [] });
  const counts: CandidateCounts = { host: 0, srflx: 0, relay: 0, prflx: 0 };
  try {
    pc.createDataChannel('site-check');
    const done = new Promise<void>((resolve) => {
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      pc.addEventListener('icecandidate', (event) => {
        const type = event.candidate?.type;
        if (type && type in counts) counts[type] += 1;
        if (!event.candidate) resolve();
      });
    });
    await pc.setLocalDescription(await pc.createOffer());
    await Promise.race([done, sleep(timeoutMs)]);
    return counts;
  } finally {
    pc.close();
  }
}

/** The provider's media addresses from its answer, for the firewall advice. */
export function answerMediaAddresses(sdp: string): string[] {
  const found = new Set<string>();
  for (const match of sdp.matchAll(/^a=candidate:\S+ \d+ (\w+) \d+ (\S+) (\d+) typ (\w+)/gm)) found.add(`${match[1]!.toLowerCase()} ${match[2]}:${match[3]}`);
  return [...found];
}

async function testCall(plan: BrowserProbePlan, channel: NonNullable<Awaited<ReturnType<typeof probeSocket>>['channel']>): Promise<CheckItem> {
  const pc = new RTCPeerConnection({ iceServers: plan.iceServers.length > 0 ? [{ urls: plan.iceServers }] : [] });
  let media: MediaStream | null = null;
  let addresses: string[] = [];
  try {
    media = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of media.getAudioTracks()) pc.addTrack(track, media);
    // The provider opens its event channel on this label; without it the emulator and the real one refuse.
    const events = pc.createDataChannel(DATA_CHANNEL_LABEL);
    // The provider sends audio only when asked for a reply: one short one, so the downlink is measured
    // too (a real provider bills it as one tiny response).
    events.addEventListener('open', () => {
      events.send(JSON.stringify({ type: 'response.create', response: { instructions: 'Say only: "The connection test works."' } }));
    });
    await pc.setLocalDescription(await pc.createOffer());
    let answer;
    try {
      answer = await channel.offer(pc.localDescription!.sdp, plan.sessionConfig ?? undefined);
    } catch (error) {
      return callVerdict({ outcome: 'signal-failed', detail: error instanceof Error ? error.message : String(error), rttMs: null, lossFraction: null, packetsReceived: 0, mediaAddresses: [] });
    }
    addresses = answerMediaAddresses(answer.sdp);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), plan.connectTimeoutMs);
      const check = () => {
        if (pc.connectionState !== 'connected' && pc.connectionState !== 'failed') return;
        clearTimeout(timer);
        resolve(pc.connectionState === 'connected');
      };
      pc.addEventListener('connectionstatechange', check);
      check();
    });
    if (!connected) return callVerdict({ outcome: 'no-media', detail: `ICE was still "${pc.iceConnectionState}" after ${Math.round(plan.connectTimeoutMs / 1000)} s.`, rttMs: null, lossFraction: null, packetsReceived: 0, mediaAddresses: addresses });
    await sleep(plan.callMs);
    const report = await pc.getStats();
    let rttMs: number | null = null;
    let lost = 0;
    let sentOrReceived = 0;
    let packetsReceived = 0;
    let remoteSeen = false;
    report.forEach((stat: Record<string, unknown>) => {
      if (stat.type === 'candidate-pair' && stat.nominated && typeof stat.currentRoundTripTime === 'number') rttMs = stat.currentRoundTripTime * 1000;
      // The provider's receiver reports (RTCP) say what of our voice it lost: the direction a candidate's answer takes.
      if (stat.type === 'remote-inbound-rtp' && stat.kind === 'audio') {
        remoteSeen = true;
        lost += Number(stat.packetsLost ?? 0);
      }
      if (stat.type === 'outbound-rtp' && stat.kind === 'audio') sentOrReceived += Number(stat.packetsSent ?? 0);
      if (stat.type === 'inbound-rtp' && stat.kind === 'audio') packetsReceived += Number(stat.packetsReceived ?? 0);
    });
    const lossFraction = remoteSeen && sentOrReceived > 0 ? Math.max(0, lost) / sentOrReceived : null;
    return callVerdict({ outcome: 'connected', rttMs, lossFraction, packetsReceived, mediaAddresses: addresses });
  } catch (error) {
    return callVerdict({ outcome: 'no-media', detail: error instanceof Error ? error.message : String(error), rttMs: null, lossFraction: null, packetsReceived: 0, mediaAddresses: addresses });
  } finally {
    for (const track of media?.getTracks() ?? []) track.stop();
    pc.close();
    channel.close();
  }
}

export async function runBrowserProbes(plan: BrowserProbePlan, onItem: (item: CheckItem) => void): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const add = (item: CheckItem) => {
    items.push(item);
    onItem(item);
  };
  const socket = await probeSocket(plan);
  add(proxyVerdict({ proxyUrl: plan.proxyUrl, healthz: plan.healthz, socket: socket.socket, socketDetail: socket.detail, ms: socket.ms }));
  add(iceVerdict(await gatherCandidates(plan.iceServers, plan.connectTimeoutMs), plan.iceServers));
  if (socket.channel) add(await testCall(plan, socket.channel));
  else add(callVerdict({ outcome: plan.token ? 'signal-failed' : 'skipped', detail: socket.detail, rttMs: null, lossFraction: null, packetsReceived: 0, mediaAddresses: [] }));
  return items;
}
