// One whole interview under one network profile, through every real piece (Chromium with fake media
// running the built renderer, main's core, the SDP proxy, the emulator's werift peer, the backend),
// with the media path through the impairing UDP relay and main's backend calls through the TCP relay.
// Everything it reports is measured in that run: the relays' packet counts, the provider peer's
// receiver stats, the page's own WebRTC stats, the rows in Postgres, and what the screen showed.
import { chromium, type Page } from '@playwright/test';
import { uploadsLabel } from '../../../src/main/tray/tray-menu';
import { chromiumArgs, chromiumExecutable } from '../chromium';
import { startInterviewStack, type InterviewStack, type StoredEntry } from '../interview-stack';
import { defaultInterviewTurns, type InterviewScript, type ScriptTurn } from '../realtime-emulator';
import { Link, type LinkProfile } from './impairment';
import { loopbackCandidatePort, startUdpRelay, withoutCandidates, withRelayCandidate, type UdpRelay } from './udp-relay';
import { startTcpRelay, type TcpRelay } from './tcp-relay';

export interface LabProfile {
  name: string;
  /** The media path (UDP, kiosk ↔ provider peer). */
  link: Omit<LinkProfile, 'name'>;
  /** Main's path to the backend (TCP): up/down flapping from the moment the room opens, and/or a rate limit. */
  backend?: { flap?: { upMs: number; downMs: number }; uplinkKbps?: number };
  /** Cut the media path for this long once the candidate starts their first answer. */
  blackoutMidAnswerMs?: number;
  /** UDP blocked: no interview is expected, only what the kiosk tells the candidate. */
  expectRefusal?: boolean;
}

export interface PageStats {
  packetsReceived: number;
  packetsLost: number;
  concealedSamples: number;
  totalSamplesReceived: number;
  jitterMs: number | null;
  roundTripMs: number | null;
}

export interface Completeness {
  rows: number;
  gapless: boolean;
  /** Complete turns in the script's order (a turn may repeat once after a reconnect: the provider replays its last turn). */
  inOrder: boolean;
  repeats: number;
  /** Script turns with no row at all (their script indices). */
  missing: number[];
  sessionStatus: string;
}

export interface LabResult {
  profile: string;
  outcome: 'completed' | 'refused' | 'failed';
  reason: string | null;
  startToFirstAudioMs: number | null;
  provider: { packetsReceived: number; packetsLost: number; jitterMs: number | null; calls: number };
  page: PageStats;
  relay: { uplinkRtp: number; uplinkDropped: number; downlinkRtp: number; downlinkDropped: number; /** The busiest second's rate through the relay, each way. */
    uplinkKbps: number | null;
    downlinkKbps: number | null;
  };
  completeness: Completeness | null;
  /** Blackout end → the next interviewer audio delivered to the kiosk, and → the badge live again with no unstable notice. */
  recovery: { toAudioMs: number | null; toCalmMs: number | null } | null;
  /** What the candidate was shown, in order, consecutive repeats folded. */
  shown: string[];
  /** The tray's uploads line: the most uploads it showed waiting, whether it ever said offline, and its last words. */
  tray: { maxWaiting: number; offlineSeen: boolean; last: string | null };
  backend: { refused: number; reset: number } | null;
  /** The session log's link notes in Postgres (`telemetry` metric `link`): 'unstable (problems)' / 'stable', in order. */
  linkEvents: string[];
  /** Why the kiosk replaced the call, each time (session log `webrtc_status` `reconnecting`). */
  reconnects: string[];
  /** Dead-link time the kiosk gave back to the candidate's clock (session log), in total. */
  timeGivenBackMs: number;
  durationMs: number;
}

/** Speech paced like a person (about 15 characters a second) so an interview lasts long enough to meet the impairments. */
export const labScript: Partial<InterviewScript> = { speechMsPerChar: 60, paceMs: 80, answerMs: 4_000 };

const pcCollector = `
  (() => {
    const Native = window.RTCPeerConnection;
    const all = [];
    window.__netlabPeers = all;
    window.RTCPeerConnection = class extends Native {
      constructor(...args) { super(...args); all.push(this); }
    };
  })();
`;

async function readPageStats(page: Page): Promise<PageStats[]> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { __netlabPeers?: RTCPeerConnection[] }).__netlabPeers ?? [];
    const out = [];
    for (const pc of peers) {
      if (pc.connectionState === 'closed') {
        out.push(null);
        continue;
      }
      const report = await pc.getStats();
      const stats = { packetsReceived: 0, packetsLost: 0, concealedSamples: 0, totalSamplesReceived: 0, jitterMs: null as number | null, roundTripMs: null as number | null };
      report.forEach((stat: Record<string, unknown>) => {
        if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
          stats.packetsReceived += Number(stat.packetsReceived ?? 0);
          stats.packetsLost += Number(stat.packetsLost ?? 0);
          stats.concealedSamples += Number(stat.concealedSamples ?? 0);
          stats.totalSamplesReceived += Number(stat.totalSamplesReceived ?? 0);
          if (typeof stat.jitter === 'number') stats.jitterMs = stat.jitter * 1000;
        }
        if (stat.type === 'candidate-pair' && stat.nominated && typeof stat.currentRoundTripTime === 'number') stats.roundTripMs = stat.currentRoundTripTime * 1000;
      });
      out.push(stats);
    }
    return out;
  }) as Promise<PageStats[]>;
}

async function shownNow(page: Page): Promise<string> {
  return page.evaluate(() => {
    const screen = document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? 'none';
    const parts = [screen];
    const badge = document.querySelector('[data-testid="connection-badge"]');
    if (badge) parts.push(`badge:${badge.getAttribute('data-status')}`);
    if (document.querySelector('[data-testid="link-unstable"]')) parts.push('unstable notice');
    if (document.querySelector('[data-testid="reconnecting"]')) parts.push('reconnecting banner');
    for (const alert of document.querySelectorAll('[role="alert"]')) if (alert.textContent?.trim()) parts.push(`alert:"${alert.textContent.trim().slice(0, 80)}"`);
    return parts.join(' ');
  });
}

function turnPresent(turn: ScriptTurn, rows: StoredEntry[]): boolean {
  return rows.some(
    (row) =>
      row.speaker === turn.speaker &&
      (row.text === turn.text ||
        (row.status === 'interrupted' && row.text !== '' && turn.text.startsWith(row.text)) ||
        (row.status === 'failed' && turn.speaker === 'candidate' && turn.transcription === 'failed')),
  );
}

export function completenessOf(rows: StoredEntry[], turns: ScriptTurn[], sessionStatus: string): Completeness {
  const gapless = rows.every((row, index) => row.seq === index) && new Set(rows.map((row) => row.id)).size === rows.length;
  const order = rows.filter((row) => row.status === 'final').map((row) => turns.findIndex((turn) => turn.text === row.text));
  const inOrder = order.every((index, at) => index >= 0 && (at === 0 || index >= order[at - 1]!));
  return { rows: rows.length, gapless, inOrder, repeats: order.length - new Set(order).size, missing: turns.flatMap((turn, index) => (turnPresent(turn, rows) ? [] : [index])), sessionStatus };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LabOptions {
  /** The whole run, from the stack starting to the session completed in Postgres. */
  timeoutMs?: number;
  script?: Partial<InterviewScript>;
  log?: (line: string) => void;
}

export async function runLabProfile(profile: LabProfile, options: LabOptions = {}): Promise<LabResult> {
  const log = options.log ?? (() => undefined);
  const startedAt = performance.now();
  const deadline = startedAt + (options.timeoutMs ?? 240_000);
  const link = new Link({ name: profile.name, ...profile.link });
  const backendLink = new Link({ name: `${profile.name}-backend`, uplink: profile.backend?.uplinkKbps ? { rateKbps: profile.backend.uplinkKbps, queueMs: 10_000 } : {} });
  const relays: UdpRelay[] = [];
  let backendRelay: TcpRelay | null = null;
  const downlinkRtpAt: number[] = [];
  const turns = defaultInterviewTurns;
  const result: LabResult = {
    profile: profile.name,
    outcome: 'failed',
    reason: null,
    startToFirstAudioMs: null,
    provider: { packetsReceived: 0, packetsLost: 0, jitterMs: null, calls: 0 },
    page: { packetsReceived: 0, packetsLost: 0, concealedSamples: 0, totalSamplesReceived: 0, jitterMs: null, roundTripMs: null },
    relay: { uplinkRtp: 0, uplinkDropped: 0, downlinkRtp: 0, downlinkDropped: 0, uplinkKbps: null, downlinkKbps: null },
    completeness: null,
    recovery: null,
    shown: [],
    tray: { maxWaiting: 0, offlineSeen: false, last: null },
    backend: null,
    linkEvents: [],
    reconnects: [],
    timeGivenBackMs: 0,
    durationMs: 0,
  };
  const within = (ms: number) => Math.max(1_000, Math.min(ms, deadline - performance.now()));

  let stack: InterviewStack | null = null;
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
  let sampling = true;
  let sampler: Promise<void> = Promise.resolve();
  const peerStats: Array<PageStats | null> = [];
  const calmAt: number[] = [];
  try {
    stack = await startInterviewStack({
      script: { ...labScript, ...options.script },
      netlab: {
        rewriteOffer: withoutCandidates,
        rewriteAnswer: async (sdp) => {
          const port = loopbackCandidatePort(sdp);
          if (port === null) throw new Error('The emulator answered without a loopback candidate to relay to.');
          const relay = await startUdpRelay(link, { host: '127.0.0.1', port }, (direction, kind, atMs) => {
            if (direction === 'downlink' && kind === 'rtp') downlinkRtpAt.push(atMs);
          });
          relays.push(relay);
          return withRelayCandidate(sdp, relay.port);
        },
        backendUrl: async (url) => {
          const parsed = new URL(url);
          backendRelay = await startTcpRelay(backendLink, { host: parsed.hostname, port: Number(parsed.port) });
          return backendRelay.urlFor(url);
        },
      },
    });
    const live = stack;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(pcCollector);
    await page.goto(live.host.url);
    await page.locator('[data-screen="idle"]').waitFor({ timeout: within(15_000) });

    sampler = (async () => {
      while (sampling) {
        try {
          const shown = await shownNow(page);
          if (result.shown.at(-1) !== shown) result.shown.push(shown);
          if (shown.includes('badge:live') && !shown.includes('unstable notice')) calmAt.push(performance.now());
          const sync = await live.core.dispatch('sync.status', undefined, live.host.url);
          if (sync.ok) {
            const state = sync.value as Parameters<typeof uploadsLabel>[0];
            result.tray.maxWaiting = Math.max(result.tray.maxWaiting, state.pending);
            result.tray.offlineSeen ||= !state.online;
            result.tray.last = uploadsLabel(state);
          }
          (await readPageStats(page)).forEach((stats, index) => {
            if (stats) peerStats[index] = stats;
          });
        } catch {
          // The page is between screens or closing; the next sample will do.
        }
        await sleep(500);
      }
    })();

    const { interviewSessionId: sessionId } = await live.startInterview();
    await page.locator('[data-screen="consent"]').waitFor({ timeout: within(20_000) });
    await page.getByRole('button', { name: 'I agree, continue' }).click();
    await page.locator('[data-screen="device-check"]').waitFor({ timeout: within(10_000) });
    const start = page.getByRole('button', { name: 'Start the interview' });
    await page.getByRole('button', { name: 'I heard it' }).click();
    try {
      await page.waitForFunction(() => !(document.querySelector('button.primary') as HTMLButtonElement | null)?.disabled, undefined, { timeout: within(20_000) });
    } catch {
      result.outcome = 'refused';
      result.reason = 'Start never became possible at the device check';
      return result;
    }
    const startAt = performance.now();
    await start.click();
    await page.locator('[data-screen="room"]').waitFor({ timeout: within(10_000) });

    // Backend flapping from the moment the room opens.
    let flapping = true;
    const flapper = (async () => {
      const flap = profile.backend?.flap;
      if (!flap) return;
      while (flapping) {
        await sleep(flap.upMs);
        if (!flapping) break;
        backendLink.blackouts.set(true);
        log(`  backend down`);
        await sleep(flap.downMs);
        backendLink.blackouts.set(false);
        log(`  backend up`);
      }
    })();

    let blackoutEnd: number | null = null;
    const blackout = (async () => {
      if (!profile.blackoutMidAnswerMs) return;
      while (performance.now() < deadline) {
        const answering = live.emulator.calls.some((call) => call.serverEvents.some((event) => event.type === 'input_audio_buffer.speech_started'));
        if (answering) break;
        await sleep(100);
      }
      // Well inside the answer (it lasts answerMs of audio), not at its first syllable.
      await sleep(1_000);
      link.blackouts.set(true);
      log(`  blackout for ${profile.blackoutMidAnswerMs} ms`);
      await sleep(profile.blackoutMidAnswerMs);
      link.blackouts.set(false);
      blackoutEnd = performance.now();
      log('  blackout over');
    })();

    const goodbye = page.locator('.turn.interviewer[data-saved="true"]', { hasText: 'That is all the questions I have' });
    const ended = page.locator('[data-screen="complete"]');
    try {
      await goodbye.or(ended).first().waitFor({ timeout: within(profile.expectRefusal ? 120_000 : 180_000) });
    } catch {
      result.reason = `No goodbye within the bound; last shown: ${result.shown.at(-1) ?? 'nothing'}`;
    }
    await blackout;
    if (await goodbye.isVisible()) {
      await page.getByRole('button', { name: 'I have finished' }).click();
      await page.getByRole('button', { name: 'Yes, I am done' }).click();
      await ended.waitFor({ timeout: within(30_000) });
    }
    flapping = false;
    backendLink.blackouts.set(false);
    await flapper;

    const first = downlinkRtpAt.find((at) => at >= startAt);
    result.startToFirstAudioMs = first === undefined ? null : Math.round(first - startAt);
    if (blackoutEnd !== null) {
      const end = blackoutEnd;
      const audio = downlinkRtpAt.find((at) => at >= end);
      const calm = calmAt.find((at) => at >= end);
      result.recovery = { toAudioMs: audio === undefined ? null : Math.round(audio - end), toCalmMs: calm === undefined ? null : Math.round(calm - end) };
    }

    let status = (await live.storedSession(sessionId)).status;
    const settleBy = Math.min(deadline, performance.now() + (profile.expectRefusal ? 10_000 : 90_000));
    while (status !== 'completed' && performance.now() < settleBy) {
      await sleep(500);
      status = (await live.storedSession(sessionId)).status;
    }
    const rows = await live.storedTranscript(sessionId);
    const events = await live.storedEvents(sessionId);
    const telemetry = events.filter((event) => event.kind === 'telemetry');
    result.reconnects = events.filter((event) => event.kind === 'webrtc_status' && event.data.status === 'reconnecting').map((event) => String(event.data.reason));
    result.linkEvents = telemetry
      .filter((event) => event.data.metric === 'link')
      .map((event) => (Array.isArray(event.data.problems) ? `${String(event.data.state)} (${event.data.problems.join('+')})` : String(event.data.state)));
    result.timeGivenBackMs = telemetry.filter((event) => event.data.metric === 'time_given_back').reduce((sum, event) => sum + Number(event.data.lost_ms ?? 0), 0);
    result.completeness = completenessOf(rows, turns, status);
    const everyTurn = result.completeness.missing.length === 0 && result.completeness.gapless && result.completeness.inOrder;
    if (profile.expectRefusal) result.outcome = rows.length === 0 ? 'refused' : 'completed';
    else result.outcome = status === 'completed' && everyTurn ? 'completed' : 'failed';
    if (result.outcome === 'failed') result.reason ??= `session ${status}, ${JSON.stringify(result.completeness)}`;
  } catch (error) {
    result.reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  } finally {
    sampling = false;
    await sampler;
    if (stack) {
      await stack.emulator.refreshReceiverStats().catch(() => undefined);
      const calls = stack.emulator.calls.filter((call) => call.receiver);
      result.provider = {
        calls: stack.emulator.calls.length,
        packetsReceived: calls.reduce((sum, call) => sum + call.receiver!.packetsReceived, 0),
        packetsLost: calls.reduce((sum, call) => sum + call.receiver!.packetsLost, 0),
        jitterMs: calls.reduce<number | null>((max, call) => (call.receiver!.jitterMs === null ? max : Math.max(max ?? 0, call.receiver!.jitterMs)), null),
      };
    }
    for (const stats of peerStats) {
      if (!stats) continue;
      result.page.packetsReceived += stats.packetsReceived;
      result.page.packetsLost += stats.packetsLost;
      result.page.concealedSamples += stats.concealedSamples;
      result.page.totalSamplesReceived += stats.totalSamplesReceived;
      result.page.jitterMs = Math.max(result.page.jitterMs ?? 0, stats.jitterMs ?? 0);
      if (stats.roundTripMs !== null) result.page.roundTripMs = Math.max(result.page.roundTripMs ?? 0, stats.roundTripMs);
    }
    const kbps = (perSecond: Map<number, number>[]) => {
      const merged = new Map<number, number>();
      for (const map of perSecond) for (const [second, bytes] of map) merged.set(second, (merged.get(second) ?? 0) + bytes);
      // The busiest whole second: what a site must provision per kiosk.
      return merged.size === 0 ? null : Math.round((Math.max(...merged.values()) * 8) / 1000);
    };
    result.relay = {
      uplinkRtp: relays.reduce((sum, relay) => sum + relay.uplink.delivered.rtp, 0),
      uplinkDropped: relays.reduce((sum, relay) => sum + Object.values(relay.uplink.dropped).reduce((a, b) => a + b, 0), 0),
      downlinkRtp: relays.reduce((sum, relay) => sum + relay.downlink.delivered.rtp, 0),
      downlinkDropped: relays.reduce((sum, relay) => sum + Object.values(relay.downlink.dropped).reduce((a, b) => a + b, 0), 0),
      uplinkKbps: kbps(relays.map((relay) => relay.uplink.bytesPerSecond)),
      downlinkKbps: kbps(relays.map((relay) => relay.downlink.bytesPerSecond)),
    };
    const tcp = backendRelay as TcpRelay | null;
    if (tcp) result.backend = { refused: tcp.connectionsRefused, reset: tcp.connectionsReset };
    await browser.close().catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    for (const relay of relays) await relay.close().catch(() => undefined);
    await tcp?.close().catch(() => undefined);
    result.durationMs = Math.round(performance.now() - startedAt);
  }
  return result;
}
