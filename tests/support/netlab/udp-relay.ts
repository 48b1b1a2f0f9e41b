// An impairing UDP relay in front of one peer: the kiosk is told (through the rewritten answer SDP) that
// the peer lives at the relay's port; what arrives there goes on to the peer's real port and back, each
// packet through the link's impairment. The peer sees the relay's upstream socket as a peer-reflexive
// address, so ICE, DTLS, SCTP and RTP all take the impaired path.
import { createSocket, type RemoteInfo } from 'node:dgram';
import type { Link } from './impairment';

export type PacketClass = 'stun' | 'dtls' | 'rtp' | 'rtcp' | 'other';

/** RFC 7983's demultiplexing by first byte, plus RFC 5761 for RTCP on the RTP port. */
export function classify(packet: Buffer): PacketClass {
  const first = packet[0] ?? 0;
  if (first <= 3) return 'stun';
  if (first >= 20 && first <= 63) return 'dtls';
  if (first >= 128 && first <= 191) {
    const type = packet[1] ?? 0;
    return type >= 192 && type <= 223 ? 'rtcp' : 'rtp';
  }
  return 'other';
}

export interface DirectionCounters {
  received: Record<PacketClass, number>;
  delivered: Record<PacketClass, number>;
  dropped: Record<string, number>;
  bytesDelivered: number;
  /** When the first RTP packet was delivered, and the last (link clock, ms). */
  firstRtpAtMs: number | null;
  lastRtpAtMs: number | null;
  /** Delivered bytes per whole second of the link clock, for bandwidth figures. */
  bytesPerSecond: Map<number, number>;
}

function counters(): DirectionCounters {
  const zero = () => ({ stun: 0, dtls: 0, rtp: 0, rtcp: 0, other: 0 });
  return { received: zero(), delivered: zero(), dropped: {}, bytesDelivered: 0, firstRtpAtMs: null, lastRtpAtMs: null, bytesPerSecond: new Map() };
}

export interface UdpRelay {
  port: number;
  uplink: DirectionCounters;
  downlink: DirectionCounters;
  close(): Promise<void>;
}

/** Told of every packet the relay delivered (link clock, ms): the lab times recovery from it. */
export type DeliveryObserver = (direction: 'uplink' | 'downlink', kind: PacketClass, atMs: number) => void;

export async function startUdpRelay(link: Link, target: { host: string; port: number }, observe?: DeliveryObserver): Promise<UdpRelay> {
  const front = createSocket('udp4');
  const upstream = createSocket('udp4');
  const uplink = counters();
  const downlink = counters();
  const timers = new Set<NodeJS.Timeout>();
  let client: RemoteInfo | null = null;
  let closed = false;

  const pass = (direction: 'uplink' | 'downlink', packet: Buffer, send: () => void) => {
    const stats = direction === 'uplink' ? uplink : downlink;
    const kind = classify(packet);
    stats.received[kind]++;
    const fate = link.fate(direction, packet.length, 'udp');
    if ('drop' in fate) {
      stats.dropped[fate.drop] = (stats.dropped[fate.drop] ?? 0) + 1;
      return;
    }
    const deliver = () => {
      if (closed) return;
      send();
      const at = link.elapsedMs();
      stats.delivered[kind]++;
      stats.bytesDelivered += packet.length;
      const second = Math.floor(at / 1000);
      stats.bytesPerSecond.set(second, (stats.bytesPerSecond.get(second) ?? 0) + packet.length);
      if (kind === 'rtp') {
        stats.firstRtpAtMs ??= at;
        stats.lastRtpAtMs = at;
      }
      observe?.(direction, kind, link.now());
    };
    const waitMs = fate.deliverAtMs - link.now();
    if (waitMs < 0.5) return deliver();
    const timer = setTimeout(() => {
      timers.delete(timer);
      deliver();
    }, waitMs);
    timers.add(timer);
  };

  front.on('message', (packet, from) => {
    client = from;
    pass('uplink', packet, () => upstream.send(packet, target.port, target.host));
  });
  upstream.on('message', (packet) => {
    const to = client;
    if (to) pass('downlink', packet, () => front.send(packet, to.port, to.address));
  });
  // A send to a peer that is gone raises ICMP errors as socket errors; a relay keeps relaying.
  front.on('error', () => undefined);
  upstream.on('error', () => undefined);
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => upstream.bind(0, '127.0.0.1', resolve));

  return {
    port: front.address().port,
    uplink,
    downlink,
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([new Promise<void>((resolve) => front.close(() => resolve())), new Promise<void>((resolve) => upstream.close(() => resolve()))]);
    },
  };
}

/**
 * The answer SDP with its ICE candidates replaced by one host candidate at the relay: the peer's
 * loopback candidate names the port to relay to. Returns null when the answer has no such candidate.
 */
export function loopbackCandidatePort(sdp: string): number | null {
  for (const line of sdp.split(/\r?\n/)) {
    const match = /^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/i.exec(line);
    if (match) return Number(match[1]);
  }
  return null;
}

export function withRelayCandidate(sdp: string, relayPort: number): string {
  const lines = sdp.split(/\r?\n/);
  const out: string[] = [];
  let placed = false;
  for (const line of lines) {
    if (line.startsWith('m=')) placed = false;
    if (line.startsWith('a=candidate:')) {
      if (!placed) out.push(`a=candidate:netlab 1 udp 2130706431 127.0.0.1 ${relayPort} typ host`);
      placed = true;
      continue;
    }
    out.push(line);
  }
  return out.join('\r\n');
}

/** The offer without any candidate: the peer then knows the kiosk only as the relay's upstream address. */
export function withoutCandidates(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('a=candidate:'))
    .join('\r\n');
}
