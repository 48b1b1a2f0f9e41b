// The relays on real loopback sockets: what the impairment decides is what the sockets do.
import { createSocket } from 'node:dgram';
import { createServer, connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Link } from '../../support/netlab/impairment';
import { classify, loopbackCandidatePort, startUdpRelay, withRelayCandidate } from '../../support/netlab/udp-relay';
import { startTcpRelay } from '../../support/netlab/tcp-relay';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function udpEcho() {
  const socket = createSocket('udp4');
  socket.on('message', (packet, from) => socket.send(packet, from.port, from.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

async function client() {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (packet) => received.push(packet));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { socket, received };
}

const rtp = (seq: number) => Buffer.from([0x80, 111, seq >> 8, seq & 0xff, 0, 0, 0, 0, 0, 0, 0, 1]);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('UDP relay', () => {
  it('relays both ways through an echo, losing packets in each direction independently', async () => {
    const relay = await startUdpRelay(new Link({ name: 'lossy', uplink: { lossRate: 0.2 }, downlink: { lossRate: 0.2 }, seed: 4 }), { host: '127.0.0.1', port: await udpEcho() });
    cleanups.push(() => relay.close());
    const { socket, received } = await client();
    for (let seq = 0; seq < 500; seq++) {
      socket.send(rtp(seq), relay.port, '127.0.0.1');
      if (seq % 50 === 0) await settle(5);
    }
    await settle(300);
    expect(relay.uplink.received.rtp).toBe(500);
    const upLost = relay.uplink.dropped.loss ?? 0;
    expect(upLost).toBeGreaterThan(50);
    expect(upLost).toBeLessThan(150);
    expect(relay.downlink.received.rtp).toBe(500 - upLost);
    expect(received.length).toBe(relay.downlink.delivered.rtp);
    expect(received.length).toBeLessThan(500 - upLost);
    // Without jitter, what arrives arrives in order.
    const seqs = received.map((packet) => packet.readUInt16BE(2));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('passes nothing when UDP is blocked', async () => {
    const relay = await startUdpRelay(new Link({ name: 'fw', blockUdp: true }), { host: '127.0.0.1', port: await udpEcho() });
    cleanups.push(() => relay.close());
    const { socket, received } = await client();
    for (let seq = 0; seq < 20; seq++) socket.send(rtp(seq), relay.port, '127.0.0.1');
    await settle(200);
    expect(relay.uplink.dropped.blocked).toBe(20);
    expect(received).toEqual([]);
  });

  it('classifies by first byte and rewrites the answer to the relay', () => {
    expect(classify(Buffer.from([0x00, 0x01]))).toBe('stun');
    expect(classify(Buffer.from([22, 0xfe]))).toBe('dtls');
    expect(classify(Buffer.from([0x80, 111]))).toBe('rtp');
    expect(classify(Buffer.from([0x80, 200]))).toBe('rtcp');
    const answer = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=candidate:1 1 udp 2130706431 10.0.0.5 40000 typ host', 'a=candidate:2 1 udp 2130706431 127.0.0.1 40001 typ host', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=candidate:3 1 udp 2130706431 127.0.0.1 40001 typ host', ''].join('\r\n');
    expect(loopbackCandidatePort(answer)).toBe(40001);
    const rewritten = withRelayCandidate(answer, 5555);
    expect(rewritten.match(/a=candidate:/g)).toHaveLength(2);
    expect(rewritten).not.toContain('40001');
    expect(rewritten).toContain('127.0.0.1 5555 typ host');
    expect(loopbackCandidatePort('v=0\r\n')).toBeNull();
  });
});

describe('TCP relay', () => {
  it('passes bytes in order, then resets open connections and refuses new ones in a blackout', async () => {
    const server = createServer((socket) => socket.on('error', () => undefined).pipe(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const link = new Link({ name: 'flap', uplink: { delayMs: 5, jitterMs: 5 } });
    const relay = await startTcpRelay(link, { host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    cleanups.push(() => relay.close());
    const socket = connect(relay.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    for (let index = 0; index < 50; index++) socket.write(`${index},`);
    await settle(300);
    expect(Buffer.concat(chunks).toString()).toBe(Array.from({ length: 50 }, (_, index) => `${index},`).join(''));
    link.blackouts.set(true);
    await closed;
    const refused = await new Promise<string>((resolve) => {
      const again = connect(relay.port, '127.0.0.1');
      again.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      again.on('close', () => resolve('closed'));
    });
    expect(['ECONNRESET', 'closed']).toContain(refused);
    expect(relay.connectionsRefused).toBe(1);
    expect(relay.connectionsReset).toBeGreaterThanOrEqual(1);
  });
});
