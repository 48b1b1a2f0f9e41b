// The network-conditions lab's impairment models, pure: every decision takes the packet's size and the
// time it arrived and answers "drop, and why" or "deliver at". Randomness comes from a seeded RNG and
// time from the caller, so the same seed and arrivals give the same fate (unit-tested that way).
import { z } from 'zod';

/** mulberry32: small, fast, and good enough to draw loss and jitter reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const directionProfileSchema = z
  .object({
    /** Independent loss, 0..1 per packet. */
    lossRate: z.number().min(0).max(1).default(0),
    /**
     * Gilbert-Elliott bursty loss: a good and a bad state, each packet first moves between them
     * (`goodToBad`, `badToGood`), then is lost with the state's loss rate. Mean burst length is
     * 1 / badToGood packets; the long-run share of time in bad is goodToBad / (goodToBad + badToGood).
     */
    bursty: z
      .object({
        goodToBad: z.number().min(0).max(1),
        badToGood: z.number().min(0).max(1),
        lossInGood: z.number().min(0).max(1).default(0),
        lossInBad: z.number().min(0).max(1).default(1),
      })
      .optional(),
    /** One-way delay and uniform jitter around it (so a packet may overtake another). */
    delayMs: z.number().min(0).max(10_000).default(0),
    jitterMs: z.number().min(0).max(5_000).default(0),
    /** A bottleneck: packets queue behind each other at this rate; past `queueMs` of backlog they are tail-dropped. */
    rateKbps: z.number().positive().optional(),
    queueMs: z.number().positive().default(400),
  })
  .strict();
export type DirectionProfile = z.input<typeof directionProfileSchema>;

export const blackoutSchema = z.object({ startMs: z.number().min(0), durationMs: z.number().positive() }).strict();
export type Blackout = z.infer<typeof blackoutSchema>;

export type Fate = { drop: 'loss' | 'burst' | 'queue' | 'blackout' | 'blocked' } | { deliverAtMs: number };

/** Windows in time (relative to the link's start) during which nothing passes either way. */
export class BlackoutSchedule {
  private readonly windows: Blackout[] = [];
  private manual = false;

  add(window: Blackout): void {
    this.windows.push(blackoutSchema.parse(window));
  }

  /** Down from `startMs` for `downMs`, then up for `upMs`, repeated until `untilMs` (backend flapping). */
  flap(startMs: number, upMs: number, downMs: number, untilMs: number): void {
    for (let at = startMs + upMs; at < untilMs; at += upMs + downMs) this.add({ startMs: at, durationMs: downMs });
  }

  /** A blackout started and ended by hand (the lab starts one mid-answer, wherever that falls). */
  set(down: boolean): void {
    this.manual = down;
  }

  isDown(elapsedMs: number): boolean {
    return this.manual || this.windows.some((window) => elapsedMs >= window.startMs && elapsedMs < window.startMs + window.durationMs);
  }
}

/** One direction of a link: loss, then the bottleneck queue, then delay and jitter. */
export class DirectionImpairment {
  private readonly profile: z.output<typeof directionProfileSchema>;
  private bad = false;
  private linkFreeAtMs = 0;

  constructor(profile: DirectionProfile, private readonly random: () => number) {
    this.profile = directionProfileSchema.parse(profile);
  }

  fate(bytes: number, nowMs: number): Fate {
    const { lossRate, bursty, delayMs, jitterMs, rateKbps, queueMs } = this.profile;
    if (bursty) {
      this.bad = this.bad ? this.random() >= bursty.badToGood : this.random() < bursty.goodToBad;
      if (this.random() < (this.bad ? bursty.lossInBad : bursty.lossInGood)) return { drop: 'burst' };
    }
    if (lossRate > 0 && this.random() < lossRate) return { drop: 'loss' };
    let sentAtMs = nowMs;
    if (rateKbps !== undefined) {
      const startMs = Math.max(nowMs, this.linkFreeAtMs);
      if (startMs - nowMs > queueMs) return { drop: 'queue' };
      this.linkFreeAtMs = startMs + (bytes * 8) / rateKbps;
      sentAtMs = this.linkFreeAtMs;
    }
    const jitter = jitterMs > 0 ? (this.random() * 2 - 1) * jitterMs : 0;
    return { deliverAtMs: sentAtMs + Math.max(0, delayMs + jitter) };
  }
}

export const linkProfileSchema = z
  .object({
    name: z.string().min(1),
    /** Kiosk → provider (the candidate's voice). */
    uplink: directionProfileSchema.prefault({}),
    /** Provider → kiosk (the interviewer's voice). */
    downlink: directionProfileSchema.prefault({}),
    blackouts: z.array(blackoutSchema).default([]),
    /** Nothing passes over UDP at all (a firewall that allows only TCP). */
    blockUdp: z.boolean().default(false),
    seed: z.number().int().default(1),
  })
  .strict();
export type LinkProfile = z.input<typeof linkProfileSchema>;

/** Both directions and the blackout schedule of one impaired link, on one clock shared by every relay that uses it. */
export class Link {
  readonly profile: z.output<typeof linkProfileSchema>;
  readonly uplink: DirectionImpairment;
  readonly downlink: DirectionImpairment;
  readonly blackouts = new BlackoutSchedule();
  private readonly startedAtMs: number;

  constructor(profile: LinkProfile, readonly now: () => number = () => performance.now()) {
    this.profile = linkProfileSchema.parse(profile);
    const random = seededRandom(this.profile.seed);
    this.uplink = new DirectionImpairment(this.profile.uplink, random);
    this.downlink = new DirectionImpairment(this.profile.downlink, random);
    for (const window of this.profile.blackouts) this.blackouts.add(window);
    this.startedAtMs = now();
  }

  elapsedMs(): number {
    return this.now() - this.startedAtMs;
  }

  fate(direction: 'uplink' | 'downlink', bytes: number, transport: 'udp' | 'tcp'): Fate {
    if (transport === 'udp' && this.profile.blockUdp) return { drop: 'blocked' };
    if (this.blackouts.isDown(this.elapsedMs())) return { drop: 'blackout' };
    return this[direction].fate(bytes, this.now());
  }
}
