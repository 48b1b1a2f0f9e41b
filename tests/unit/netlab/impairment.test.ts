import { describe, expect, it } from 'vitest';
import { BlackoutSchedule, DirectionImpairment, Link, linkProfileSchema, seededRandom, type Fate } from '../../support/netlab/impairment';

const packets = 10_000;

function run(direction: DirectionImpairment, count = packets, spacingMs = 20, bytes = 100): Fate[] {
  return Array.from({ length: count }, (_, index) => direction.fate(bytes, index * spacingMs));
}

const lost = (fates: Fate[]) => fates.filter((fate) => 'drop' in fate).length;

/** Lengths of the runs of consecutive drops. */
function bursts(fates: Fate[]): number[] {
  const runs: number[] = [];
  let current = 0;
  for (const fate of fates) {
    if ('drop' in fate) current++;
    else if (current > 0) {
      runs.push(current);
      current = 0;
    }
  }
  if (current > 0) runs.push(current);
  return runs;
}

describe('seededRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
    for (const value of first) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe('DirectionImpairment', () => {
  it('passes everything, in order and at once, when clean', () => {
    const fates = run(new DirectionImpairment({}, seededRandom(1)), 100);
    expect(fates).toEqual(Array.from({ length: 100 }, (_, index) => ({ deliverAtMs: index * 20 })));
  });

  it('loses about the random loss rate (within 4 standard deviations on 10k packets)', () => {
    for (const rate of [0.02, 0.1]) {
      const fraction = lost(run(new DirectionImpairment({ lossRate: rate }, seededRandom(3)))) / packets;
      const sd = Math.sqrt((rate * (1 - rate)) / packets);
      expect(Math.abs(fraction - rate)).toBeLessThan(4 * sd);
    }
  });

  it('random loss comes in short runs; Gilbert-Elliott loss of the same average comes in bursts of about 1/badToGood', () => {
    const random = run(new DirectionImpairment({ lossRate: 0.1 }, seededRandom(5)));
    // goodToBad 0.025, badToGood 0.25: 0.025 / 0.275 ≈ 9 % of packets in the bad state, bursts of 4 on average.
    const bursty = run(new DirectionImpairment({ bursty: { goodToBad: 0.025, badToGood: 0.25 } }, seededRandom(5)));
    const mean = (runs: number[]) => runs.reduce((sum, length) => sum + length, 0) / runs.length;
    expect(mean(bursts(random))).toBeLessThan(1.3);
    expect(mean(bursts(bursty))).toBeGreaterThan(3);
    expect(mean(bursts(bursty))).toBeLessThan(5);
    const share = lost(bursty) / packets;
    expect(share).toBeGreaterThan(0.06);
    expect(share).toBeLessThan(0.12);
  });

  it('keeps the order without jitter, and with jitter delays within delay ± jitter', () => {
    const steady = run(new DirectionImpairment({ delayMs: 150 }, seededRandom(2)), 1_000).map((fate) => (fate as { deliverAtMs: number }).deliverAtMs);
    expect(steady).toEqual(steady.map((_, index) => index * 20 + 150));
    const jittery = run(new DirectionImpairment({ delayMs: 150, jitterMs: 50 }, seededRandom(2)), 1_000, 5).map((fate, index) => (fate as { deliverAtMs: number }).deliverAtMs - index * 5);
    expect(Math.min(...jittery)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...jittery)).toBeLessThanOrEqual(200);
    // Packets 5 ms apart with ±50 ms jitter must overtake each other sometimes.
    const arrivals = jittery.map((delay, index) => delay + index * 5);
    expect(arrivals.some((at, index) => index > 0 && at < arrivals[index - 1]!)).toBe(true);
  });

  it('serialises at the rate limit and tail-drops once the queue is full', () => {
    // 125-byte packets at 10 kbit/s take 100 ms each; sent every 20 ms, the queue fills.
    const direction = new DirectionImpairment({ rateKbps: 10, queueMs: 400 }, seededRandom(1));
    const fates = run(direction, 100, 20, 125);
    const delivered = fates.filter((fate): fate is { deliverAtMs: number } => 'deliverAtMs' in fate);
    expect(delivered.slice(0, 3).map((fate) => fate.deliverAtMs)).toEqual([100, 200, 300]);
    for (let index = 1; index < delivered.length; index++) expect(delivered[index]!.deliverAtMs - delivered[index - 1]!.deliverAtMs).toBeCloseTo(100, 6);
    expect(fates.some((fate) => 'drop' in fate && fate.drop === 'queue')).toBe(true);
    // What gets through is the link's rate: 2 s of input, ~0.4 s of backlog allowed.
    expect(delivered.length).toBeLessThanOrEqual(Math.ceil((100 * 20 + 400) / 100) + 1);
  });

  it('refuses bad profiles', () => {
    expect(() => new DirectionImpairment({ lossRate: 1.5 }, seededRandom(1))).toThrow();
    expect(() => new DirectionImpairment({ delayMs: -1 }, seededRandom(1))).toThrow();
    expect(() => new DirectionImpairment({ rateKbps: 0 }, seededRandom(1))).toThrow();
    expect(() => linkProfileSchema.parse({ name: 'x', extra: true })).toThrow();
    expect(() => linkProfileSchema.parse({ name: '' })).toThrow();
  });
});

describe('BlackoutSchedule and Link', () => {
  it('drops everything during a window and nothing outside it', () => {
    let now = 0;
    const link = new Link({ name: 'b', blackouts: [{ startMs: 1_000, durationMs: 500 }] }, () => now);
    const at = (ms: number) => ((now = ms), link.fate('uplink', 100, 'udp'));
    expect(at(999)).toEqual({ deliverAtMs: 999 });
    expect(at(1_000)).toEqual({ drop: 'blackout' });
    expect(at(1_499)).toEqual({ drop: 'blackout' });
    expect(at(1_500)).toEqual({ deliverAtMs: 1_500 });
    link.blackouts.set(true);
    expect(at(5_000)).toEqual({ drop: 'blackout' });
  });

  it('flaps: up for upMs, down for downMs, until the end', () => {
    const schedule = new BlackoutSchedule();
    schedule.flap(0, 20_000, 20_000, 100_000);
    const states = [0, 19_999, 20_000, 39_999, 40_000, 60_000, 80_000, 99_999].map((ms) => schedule.isDown(ms));
    expect(states).toEqual([false, false, true, true, false, true, false, false]);
  });

  it('blocks UDP but not TCP when asked, and the same seed gives the same fates', () => {
    const link = new Link({ name: 'fw', blockUdp: true }, () => 0);
    expect(link.fate('downlink', 100, 'udp')).toEqual({ drop: 'blocked' });
    expect(link.fate('downlink', 100, 'tcp')).toEqual({ deliverAtMs: 0 });
    const fates = (seed: number) => {
      const lossy = new Link({ name: 'l', uplink: { lossRate: 0.3 }, downlink: { lossRate: 0.3 }, seed }, () => 0);
      return Array.from({ length: 200 }, (_, index) => 'drop' in lossy.fate(index % 2 ? 'uplink' : 'downlink', 100, 'udp'));
    };
    expect(fates(9)).toEqual(fates(9));
    expect(fates(9)).not.toEqual(fates(10));
  });
});
