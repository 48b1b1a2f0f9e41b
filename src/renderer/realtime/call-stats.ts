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
