// Holds many idle WebSockets open in a process of its own, so the benchmark's client side neither
// shares the proxy's event loop nor its file-descriptor budget. Driven over IPC:
//   → { url, protocols: string[][] }   open one socket per entry (each its own subprotocol list)
//   ← { opened } | { failed: message }
//   → 'close'                          close them all and exit
import { WebSocket } from 'ws';

const sockets: WebSocket[] = [];

function open(url: string, protocols: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
    ws.once('message', () => {
      sockets.push(ws);
      resolve();
    });
    ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

process.on('message', (message: { url: string; protocols: string[][] } | 'close') => {
  if (message === 'close') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
  void (async () => {
    try {
      // Batches keep the upgrade storm within what one core accepts without SYN-queue drops.
      for (let start = 0; start < message.protocols.length; start += 200) {
        await Promise.all(message.protocols.slice(start, start + 200).map((protocols) => open(message.url, protocols)));
      }
      process.send!({ opened: sockets.length });
    } catch (error) {
      process.send!({ failed: (error as Error).message });
    }
  })();
});
