// The site readiness check's verdicts: each measured value becomes pass / warn / fail, and a failure
// says what the site's firewall must let through (the paths of docs/operator.md §9). Pure, so the page,
// the CLI and the unit tests share one set of thresholds.
import { z } from 'zod';

export const checkIds = ['proxy', 'ice', 'test-call', 'upload-backend', 'upload-video', 'clock'] as const;
export type CheckId = (typeof checkIds)[number];

export const checkLabels: Record<CheckId, string> = {
  proxy: 'Proxy over WSS',
  ice: 'ICE candidates',
  'test-call': 'Test call to the provider',
  'upload-backend': 'Upload to the backend',
  'upload-video': 'Upload to the video service',
  clock: 'Clock against the backend',
};

export const verdictSchema = z.enum(['pass', 'warn', 'fail']);
export type Verdict = z.infer<typeof verdictSchema>;

export const checkItemSchema = z
  .object({
    id: z.enum(checkIds),
    verdict: verdictSchema,
    /** The measured value, in words a site's IT reads ("RTT 12 ms, loss 0 %"). */
    measured: z.string(),
    /** Why a warn or fail; absent on pass. */
    reason: z.string().optional(),
    /** On fail: what to open (hosts, ports, protocols). */
    firewall: z.string().optional(),
  })
  .strict();
export type CheckItem = z.infer<typeof checkItemSchema>;

const portOf = (url: string, fallbackPort: number): string => new URL(url).port || String(fallbackPort);
const hostPort = (url: string, fallbackPort: number): string => `${new URL(url).hostname}:${portOf(url, fallbackPort)}`;

export function proxyVerdict(input: { proxyUrl: string; healthz: number | 'unreachable'; socket: 'ready' | 'refused' | 'unreachable'; socketDetail?: string; ms: number | null }): CheckItem {
  const where = hostPort(input.proxyUrl, 443);
  const measured = `healthz ${input.healthz === 'unreachable' ? 'unreachable' : `HTTP ${input.healthz}`}, socket ${input.socket}${input.ms === null ? '' : ` in ${Math.round(input.ms)} ms`}`;
  const firewall = `Allow TCP ${portOf(input.proxyUrl, 443)} (HTTPS and WebSocket over TLS, upgrade not stripped by a proxy) from the kiosk to ${where}.`;
  if (input.healthz === 'unreachable') return { id: 'proxy', verdict: 'fail', measured, reason: "The proxy's /healthz cannot be reached over HTTPS.", firewall };
  if (input.socket === 'unreachable') return { id: 'proxy', verdict: 'fail', measured, reason: input.socketDetail ?? 'The signalling socket cannot be opened.', firewall };
  if (input.healthz !== 200) return { id: 'proxy', verdict: 'fail', measured, reason: `The proxy answered /healthz with HTTP ${input.healthz}.`, firewall };
  if (input.socket === 'refused') return { id: 'proxy', verdict: 'warn', measured, reason: input.socketDetail ?? 'The socket opened but the proxy refused the pass (no test call possible).' };
  return { id: 'proxy', verdict: 'pass', measured };
}

export type CandidateCounts = { host: number; srflx: number; relay: number; prflx: number };

/** The kiosk configures no STUN or TURN (operator §9), so host candidates alone are what it needs. */
export function iceVerdict(counts: CandidateCounts, iceServers: readonly string[]): CheckItem {
  const measured = `host ${counts.host}, srflx ${counts.srflx}, relay ${counts.relay}${iceServers.length === 0 ? ' (no STUN/TURN configured)' : ''}`;
  if (counts.host + counts.srflx + counts.relay === 0) return { id: 'ice', verdict: 'fail', measured, reason: 'No ICE candidate was gathered: WebRTC is disabled or the machine has no network interface.' };
  const stun = iceServers.filter((url) => /^stuns?:/.test(url));
  const turn = iceServers.filter((url) => /^turns?:/.test(url));
  if (turn.length > 0 && counts.relay === 0) {
    return { id: 'ice', verdict: 'warn', measured, reason: 'A TURN server is configured but gave no relay candidate.', firewall: `Allow UDP and TCP to ${turn.join(', ')}.` };
  }
  if (stun.length > 0 && counts.srflx === 0) {
    return { id: 'ice', verdict: 'warn', measured, reason: 'A STUN server is configured but gave no server-reflexive candidate: outgoing UDP is likely blocked.', firewall: `Allow outgoing UDP to ${stun.join(', ')}.` };
  }
  return { id: 'ice', verdict: 'pass', measured };
}

export const callThresholds = { rttWarnMs: 300, rttFailMs: 1_000, lossWarn: 0.02, lossFail: 0.08 } as const;

export function callVerdict(input: {
  outcome: 'connected' | 'no-media' | 'signal-failed' | 'skipped';
  detail?: string;
  rttMs: number | null;
  lossFraction: number | null;
  packetsReceived: number;
  /** The provider's media addresses, from its answer's candidates ("udp 203.0.113.5:3478"). */
  mediaAddresses: readonly string[];
}): CheckItem {
  const rtt = input.rttMs === null ? 'RTT –' : `RTT ${Math.round(input.rttMs)} ms`;
  const loss = input.lossFraction === null ? 'loss –' : `loss ${(input.lossFraction * 100).toFixed(1)} %`;
  const outcomeWords = { 'no-media': 'no media path', 'signal-failed': 'offer not answered', skipped: 'not placed' } as const;
  const measured = input.outcome === 'connected' ? `${rtt}, ${loss}, ${input.packetsReceived} packets received` : outcomeWords[input.outcome];
  const where = input.mediaAddresses.length > 0 ? input.mediaAddresses.join(', ') : "the provider's media addresses (its answer's ICE candidates)";
  const udpAdvice = `Allow outgoing UDP from the kiosk to ${where}, and the replies back in (a stateful firewall does).`;
  if (input.outcome === 'skipped') return { id: 'test-call', verdict: 'warn', measured, reason: input.detail ?? 'No test call was placed.' };
  if (input.outcome === 'signal-failed') {
    return { id: 'test-call', verdict: 'fail', measured, reason: input.detail ?? 'The proxy did not answer the offer.', firewall: 'See the proxy line: the offer never reached the provider.' };
  }
  if (input.outcome === 'no-media') {
    return { id: 'test-call', verdict: 'fail', measured, reason: `The provider answered but no media path opened (ICE failed): UDP to the provider is blocked.${input.detail ? ` ${input.detail}` : ''}`, firewall: udpAdvice };
  }
  const reasons: string[] = [];
  let verdict: Verdict = 'pass';
  const flag = (to: 'warn' | 'fail', reason: string) => {
    if (to === 'fail' || verdict === 'pass') verdict = to;
    reasons.push(reason);
  };
  if (input.rttMs !== null && input.rttMs >= callThresholds.rttFailMs) flag('fail', `round trip ${Math.round(input.rttMs)} ms ≥ ${callThresholds.rttFailMs} ms`);
  else if (input.rttMs !== null && input.rttMs >= callThresholds.rttWarnMs) flag('warn', `round trip ${Math.round(input.rttMs)} ms ≥ ${callThresholds.rttWarnMs} ms`);
  if (input.lossFraction !== null && input.lossFraction >= callThresholds.lossFail) flag('fail', `loss ≥ ${callThresholds.lossFail * 100} %`);
  else if (input.lossFraction !== null && input.lossFraction >= callThresholds.lossWarn) flag('warn', `loss ≥ ${callThresholds.lossWarn * 100} %`);
  if (input.rttMs === null || input.lossFraction === null) flag('warn', 'the call gave no RTT or loss statistics');
  if (verdict === 'pass') return { id: 'test-call', verdict, measured };
  return { id: 'test-call', verdict, measured, reason: `The call connected but ${reasons.join('; ')}.`, ...(verdict === 'fail' ? { firewall: `Check the site's uplink and ${udpAdvice}` } : {}) };
}

/** Per kiosk: 150 kbit/s for the call (operator §9); recordings want far more, but only after the interview. */
export const uploadThresholds = { warnBelowKbps: 1_000, failBelowKbps: 150 } as const;

export function uploadVerdict(id: 'upload-backend' | 'upload-video', url: string, result: { kbps: number; status: number } | { error: string }): CheckItem {
  const firewall = `Allow TCP ${portOf(url, 443)} (HTTPS) from the kiosk to ${hostPort(url, 443)}.`;
  if ('error' in result) return { id, verdict: 'fail', measured: 'unreachable', reason: `Cannot reach the service: ${result.error}`, firewall };
  const rate = result.kbps >= 1_000 ? `${(result.kbps / 1_000).toFixed(1)} Mbit/s` : `${Math.round(result.kbps)} kbit/s`;
  const measured = `${rate} (HTTP ${result.status})`;
  if (result.status >= 500) return { id, verdict: 'fail', measured, reason: `The service answered HTTP ${result.status}.`, firewall };
  if (result.kbps < uploadThresholds.failBelowKbps) return { id, verdict: 'fail', measured, reason: `Below the ${uploadThresholds.failBelowKbps} kbit/s a call needs.`, firewall: `Check the site's uplink and traffic shaping towards ${hostPort(url, 443)}.` };
  if (result.kbps < uploadThresholds.warnBelowKbps) return { id, verdict: 'warn', measured, reason: `Below ${uploadThresholds.warnBelowKbps} kbit/s: recordings will upload slowly after each interview.` };
  return { id, verdict: 'pass', measured };
}

export const clockThresholds = { warnMs: 5_000, failMs: 60_000 } as const;

export function clockVerdict(result: { skewMs: number } | { error: string }): CheckItem {
  const firewall = 'Let the kiosk synchronise its clock (NTP, UDP 123 to the site\'s time server).';
  if ('error' in result) return { id: 'clock', verdict: 'fail', measured: 'not measured', reason: `No time from the backend: ${result.error}` };
  const seconds = (result.skewMs / 1000).toFixed(1);
  const measured = `${seconds === '0.0' || seconds === '-0.0' ? '±0.0' : result.skewMs > 0 ? `+${seconds}` : seconds} s`;
  const abs = Math.abs(result.skewMs);
  if (abs >= clockThresholds.failMs) return { id: 'clock', verdict: 'fail', measured, reason: 'Passes to the proxy are short-lived and would be refused as expired or not yet valid.', firewall };
  if (abs >= clockThresholds.warnMs) return { id: 'clock', verdict: 'warn', measured, reason: 'The session log\'s times will be off by this much.' };
  return { id: 'clock', verdict: 'pass', measured };
}

export function overall(items: readonly CheckItem[]): Verdict {
  if (items.some((item) => item.verdict === 'fail')) return 'fail';
  return items.some((item) => item.verdict === 'warn') ? 'warn' : 'pass';
}

/** A plain-text table for IT's terminal, in the fixed order of the checks. */
export function formatTable(items: readonly CheckItem[]): string {
  const rows = checkIds.flatMap((id) => items.filter((item) => item.id === id)).map((item) => [checkLabels[item.id], item.verdict.toUpperCase(), item.measured]);
  const widths = [0, 1, 2].map((column) => Math.max(...[['Check', 'Result', 'Measured'], ...rows].map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  const notes = items.filter((item) => item.verdict !== 'pass').map((item) => `- ${checkLabels[item.id]}: ${item.reason ?? ''}${item.firewall ? `\n  Firewall: ${item.firewall}` : ''}`);
  return [line(['Check', 'Result', 'Measured']), ...rows.map(line), '', `Overall: ${overall(items).toUpperCase()}`, ...notes].join('\n');
}
