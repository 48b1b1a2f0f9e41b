// What a call's RTCStatsReport says, summarised for the session log and the room's quality badge.

/** Round-trip time, loss and jitter from a stats report, in the units people read (snake_case, as the session log stores them). */
export function summariseStats(report: RTCStatsReport): Record<string, number | null> {
  let roundTripMs: number | null = null;
  let packetsLost = 0;
  let packetsReceived = 0;
  let jitterMs: number | null = null;
  let bytesSent = 0;
  let bytesReceived = 0;
  report.forEach((stat: Record<string, unknown>) => {
    if (stat.type === 'candidate-pair' && (stat.nominated || stat.state === 'succeeded') && typeof stat.currentRoundTripTime === 'number') {
      roundTripMs = stat.currentRoundTripTime * 1000;
    }
    if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
      packetsLost += typeof stat.packetsLost === 'number' ? stat.packetsLost : 0;
      packetsReceived += typeof stat.packetsReceived === 'number' ? stat.packetsReceived : 0;
      if (typeof stat.jitter === 'number') jitterMs = stat.jitter * 1000;
      bytesReceived += typeof stat.bytesReceived === 'number' ? stat.bytesReceived : 0;
    }
    if (stat.type === 'outbound-rtp' && stat.kind === 'audio') bytesSent += typeof stat.bytesSent === 'number' ? stat.bytesSent : 0;
  });
  const total = packetsLost + packetsReceived;
  return {
    round_trip_ms: roundTripMs,
    packets_lost: packetsLost,
    packets_received: packetsReceived,
    loss_ratio: total > 0 ? packetsLost / total : null,
    jitter_ms: jitterMs,
    bytes_sent: bytesSent,
    bytes_received: bytesReceived,
  };
}

/** What one look at the call's stats says about the link, for the room's "connection unstable" state. */
export interface LinkSample {
  atMs: number;
  /** Bytes received on the selected candidate pair: RTP, RTCP and STUN answers alike, so it grows even while nobody speaks. */
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  roundTripMs: number | null;
  iceState: RTCIceConnectionState;
}

export type LinkProblem = 'no_packets' | 'loss' | 'high_rtt' | 'ice_disconnected';

export interface LinkHealthPolicy {
  /** Nothing at all received for this long: the link is dead (the provider's RTCP and STUN answers arrive about every second). */
  silentAfterMs: number;
  /** Share of the interviewer's packets lost since the last sample, counted once enough packets were due. */
  lossRatio: number;
  minPacketsForLoss: number;
  highRoundTripMs: number;
  /** Samples in a row with loss, RTT or ICE trouble before the state begins: one bad second on a fair link is not news. */
  troubledSamplesToShow: number;
  /** Clean samples in a row before the state ends, so one good second does not flicker it off. */
  cleanSamplesToRecover: number;
}

export const defaultLinkHealthPolicy: LinkHealthPolicy = { silentAfterMs: 3_000, lossRatio: 0.08, minPacketsForLoss: 25, highRoundTripMs: 1_000, troubledSamplesToShow: 2, cleanSamplesToRecover: 3 };

export function linkSampleOf(report: RTCStatsReport, atMs: number, iceState: RTCIceConnectionState): LinkSample {
  const sample: LinkSample = { atMs, bytesReceived: 0, packetsReceived: 0, packetsLost: 0, roundTripMs: null, iceState };
  report.forEach((stat: Record<string, unknown>) => {
    if (stat.type === 'candidate-pair' && stat.nominated) {
      sample.bytesReceived = Math.max(sample.bytesReceived, Number(stat.bytesReceived ?? 0));
      if (typeof stat.currentRoundTripTime === 'number') sample.roundTripMs = stat.currentRoundTripTime * 1000;
    }
    if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
      sample.packetsReceived += Number(stat.packetsReceived ?? 0);
      sample.packetsLost += Number(stat.packetsLost ?? 0);
    }
  });
  return sample;
}

/** Follows the link from sample to sample: which problems it has now, and whether the room should say so. */
export class LinkHealth {
  private previous: LinkSample | null = null;
  private lastBytesAtMs: number | null = null;
  private clean = 0;
  private troubled = 0;
  unstable = false;
  problems: LinkProblem[] = [];

  constructor(private readonly policy: LinkHealthPolicy = defaultLinkHealthPolicy) {}

  /** Takes a sample; true when `unstable` changed. */
  observe(sample: LinkSample): boolean {
    const previous = this.previous;
    this.previous = sample;
    if (previous === null || sample.bytesReceived > previous.bytesReceived) this.lastBytesAtMs = sample.atMs;
    const problems: LinkProblem[] = [];
    if (this.lastBytesAtMs !== null && sample.atMs - this.lastBytesAtMs >= this.policy.silentAfterMs) problems.push('no_packets');
    if (sample.iceState === 'disconnected' || sample.iceState === 'failed') problems.push('ice_disconnected');
    if (previous) {
      const lost = Math.max(0, sample.packetsLost - previous.packetsLost);
      const due = lost + Math.max(0, sample.packetsReceived - previous.packetsReceived);
      if (due >= this.policy.minPacketsForLoss && lost / due >= this.policy.lossRatio) problems.push('loss');
    }
    if (sample.roundTripMs !== null && sample.roundTripMs >= this.policy.highRoundTripMs) problems.push('high_rtt');
    this.problems = problems;
    const was = this.unstable;
    if (problems.length > 0) {
      this.clean = 0;
      this.troubled++;
      // Silence already waited `silentAfterMs`; the rest must persist before the room says anything.
      if (problems.includes('no_packets') || this.troubled >= this.policy.troubledSamplesToShow) this.unstable = true;
    } else {
      this.troubled = 0;
      if (this.unstable && ++this.clean >= this.policy.cleanSamplesToRecover) this.unstable = false;
    }
    return was !== this.unstable;
  }

  /** A new call starts from its own counters; the state itself carries over until that call proves clean. */
  newCall(): void {
    this.previous = null;
    this.lastBytesAtMs = null;
  }
}
