// An impairing TCP relay for the WebSocket and HTTP paths (proxy signalling, backend calls, uploads):
// delay and a rate limit per chunk, in order, and blackouts in which the far side is simply gone —
// open connections are reset and new ones refused, as when a backend or the site's uplink drops.
// Loss has no meaning here (the kernel retransmits); a lossy TCP path shows as delay.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { DirectionImpairment, Link } from './impairment';

export interface TcpRelay {
  port: number;
  /** http://127.0.0.1:PORT with the target URL's path. */
  urlFor(target: string): string;
  connectionsAccepted: number;
  connectionsRefused: number;
  connectionsReset: number;
  close(): Promise<void>;
}

function pipe(from: Socket, to: Socket, direction: DirectionImpairment, link: Link): void {
  // Chunks leave in order: a later chunk never overtakes an earlier one, whatever the jitter says.
  let lastAtMs = 0;
  from.on('data', (chunk) => {
    const fate = direction.fate(chunk.length, link.now());
    const atMs = Math.max(lastAtMs, 'deliverAtMs' in fate ? fate.deliverAtMs : link.now());
    lastAtMs = atMs;
    const waitMs = atMs - link.now();
    if (waitMs < 0.5) to.write(chunk);
    else setTimeout(() => !to.destroyed && to.write(chunk), waitMs);
  });
}

export async function startTcpRelay(link: Link, target: { host: string; port: number }): Promise<TcpRelay> {
  const open = new Set<Socket>();
  const relay: TcpRelay = {
    port: 0,
    urlFor: (url) => {
      const parsed = new URL(url);
      return `http://127.0.0.1:${relay.port}${parsed.pathname === '/' ? '' : parsed.pathname}`;
    },
    connectionsAccepted: 0,
    connectionsRefused: 0,
    connectionsReset: 0,
    close: async () => {
      clearInterval(watch);
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((client) => {
    if (link.blackouts.isDown(link.elapsedMs())) {
      relay.connectionsRefused++;
      client.resetAndDestroy();
      return;
    }
    relay.connectionsAccepted++;
    const far = connect(target.port, target.host);
    open.add(client);
    open.add(far);
    const end = () => {
      open.delete(client);
      open.delete(far);
      client.destroy();
      far.destroy();
    };
    client.on('close', end).on('error', end);
    far.on('close', end).on('error', end);
    pipe(client, far, link.uplink, link);
    pipe(far, client, link.downlink, link);
  });
  // A blackout cuts what is open the moment it starts.
  const watch = setInterval(() => {
    if (!link.blackouts.isDown(link.elapsedMs())) return;
    for (const socket of open) {
      if (socket.remotePort !== target.port) relay.connectionsReset++;
      socket.resetAndDestroy();
    }
    open.clear();
  }, 100);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as AddressInfo).port;
  return relay;
}
