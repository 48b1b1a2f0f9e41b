import { describe, expect, it } from 'vitest';
import { summariseStats } from '../../../../src/renderer/realtime/call-stats';

describe('call stats', () => {
  it('reports round trip, audio loss ratio and jitter in milliseconds from a stats report', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['pair', { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.04 }],
      ['in', { type: 'inbound-rtp', kind: 'audio', packetsLost: 5, packetsReceived: 95, jitter: 0.003, bytesReceived: 1_000 }],
      ['out', { type: 'outbound-rtp', kind: 'audio', bytesSent: 2_000 }],
    ]) as unknown as RTCStatsReport;
    const summary = summariseStats(report);
    expect(summary).toMatchObject({ packets_lost: 5, packets_received: 95, loss_ratio: 0.05, bytes_sent: 2_000, bytes_received: 1_000 });
    expect(summary.round_trip_ms).toBeCloseTo(40, 5);
    expect(summary.jitter_ms).toBeCloseTo(3, 5);
  });

  it('says nothing about loss or round trip before any packet or pair was seen', () => {
    expect(summariseStats(new Map() as unknown as RTCStatsReport)).toMatchObject({ round_trip_ms: null, loss_ratio: null, jitter_ms: null });
  });
});
