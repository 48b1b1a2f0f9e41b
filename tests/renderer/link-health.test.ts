import { describe, expect, it } from 'vitest';
import { LinkHealth, linkSampleOf, type LinkSample } from '../../src/renderer/realtime/call-stats';

const sample = (atMs: number, overrides: Partial<LinkSample> = {}): LinkSample => ({
  atMs,
  bytesReceived: atMs * 10,
  packetsReceived: atMs / 20,
  packetsLost: 0,
  roundTripMs: 20,
  iceState: 'connected',
  ...overrides,
});

describe('LinkHealth', () => {
  it('stays calm on a clean link, including while nobody speaks (only RTCP and STUN arrive)', () => {
    const health = new LinkHealth();
    for (let at = 0; at <= 10_000; at += 1_000) expect(health.observe(sample(at, { packetsReceived: 0 }))).toBe(false);
    expect(health.unstable).toBe(false);
  });

  it('goes unstable once nothing has arrived for 3 s, and ends after three clean samples', () => {
    const health = new LinkHealth();
    health.observe(sample(0));
    health.observe(sample(1_000));
    const frozen = { bytesReceived: 10_000, packetsReceived: 50 };
    expect(health.observe(sample(2_000, frozen))).toBe(false);
    expect(health.observe(sample(3_000, frozen))).toBe(false);
    expect(health.observe(sample(4_000, frozen))).toBe(true);
    expect(health.problems).toEqual(['no_packets']);
    expect(health.observe(sample(5_000))).toBe(false);
    expect(health.observe(sample(6_000))).toBe(false);
    expect(health.unstable).toBe(true);
    expect(health.observe(sample(7_000))).toBe(true);
    expect(health.unstable).toBe(false);
  });

  it('counts loss per window, only once enough packets were due', () => {
    const health = new LinkHealth();
    health.observe(sample(0, { packetsReceived: 0 }));
    // 5 of 10 lost: too few packets to judge.
    expect(health.observe(sample(1_000, { packetsReceived: 5, packetsLost: 5 }))).toBe(false);
    // 10 more lost of 50 due: 20 %, once: not yet.
    expect(health.observe(sample(2_000, { packetsReceived: 45, packetsLost: 15 }))).toBe(false);
    expect(health.problems).toEqual(['loss']);
    // A good second in between starts the count again.
    expect(health.observe(sample(3_000, { packetsReceived: 95, packetsLost: 15 }))).toBe(false);
    expect(health.observe(sample(4_000, { packetsReceived: 135, packetsLost: 25 }))).toBe(false);
    // Twice in a row: unstable.
    expect(health.observe(sample(5_000, { packetsReceived: 175, packetsLost: 35 }))).toBe(true);
    // 2 % afterwards is fine, after three such seconds.
    health.observe(sample(6_000, { packetsReceived: 224, packetsLost: 36 }));
    health.observe(sample(7_000, { packetsReceived: 273, packetsLost: 37 }));
    expect(health.unstable).toBe(true);
    health.observe(sample(8_000, { packetsReceived: 322, packetsLost: 38 }));
    expect(health.unstable).toBe(false);
  });

  it('flags a long round trip and a disconnected ICE state', () => {
    const health = new LinkHealth();
    health.observe(sample(0, { roundTripMs: 1_200 }));
    expect(health.problems).toEqual(['high_rtt']);
    expect(health.unstable).toBe(false);
    health.observe(sample(1_000, { iceState: 'disconnected' }));
    expect(health.problems).toEqual(['ice_disconnected']);
    expect(health.unstable).toBe(true);
  });

  it('does not read a new call reset of the counters as silence or loss', () => {
    const health = new LinkHealth();
    health.observe(sample(10_000));
    health.newCall();
    expect(health.observe(sample(11_000, { bytesReceived: 100, packetsReceived: 1 }))).toBe(false);
    expect(health.problems).toEqual([]);
  });

  it('reads the selected pair and audio from a stats report', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['p1', { type: 'candidate-pair', nominated: false, bytesReceived: 999_999 }],
      ['p2', { type: 'candidate-pair', nominated: true, bytesReceived: 1234, currentRoundTripTime: 0.25 }],
      ['a', { type: 'inbound-rtp', kind: 'audio', packetsReceived: 90, packetsLost: 10 }],
      ['v', { type: 'inbound-rtp', kind: 'video', packetsReceived: 1000, packetsLost: 500 }],
    ]) as unknown as RTCStatsReport;
    expect(linkSampleOf(report, 5, 'connected')).toEqual({ atMs: 5, bytesReceived: 1234, packetsReceived: 90, packetsLost: 10, roundTripMs: 250, iceState: 'connected' });
  });
});
