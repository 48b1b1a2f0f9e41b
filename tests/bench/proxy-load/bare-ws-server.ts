// The proxy benchmark's baseline: a bare `ws` server in its own process, with the proxy's socket
// options and none of its work (no auth, no validation, no limits, no logs). With --relay it answers
// an offer frame by making the same provider call the proxy makes (the proxy's own adapter) and
// sending the answer back, so the difference to the proxy is what the proxy itself adds.
// Prints one JSON line {port} when listening. Usage: tsx bare-ws-server.ts [--relay BASE_URL API_KEY]
import { WebSocketServer } from 'ws';
import { createRealtimeAdapter } from '../../../proxy/src/providers/realtime-adapter';
import type { SessionSettings } from '../../../proxy/src/providers/provider-adapter';

const relayAt = process.argv.indexOf('--relay');
const adapter = relayAt > 0 ? createRealtimeAdapter(process.argv[relayAt + 1]!, process.argv[relayAt + 2]!) : undefined;
const settings: SessionSettings = { model: 'gpt-realtime', instructions: 'Benchmark interviewer.', voice: 'marin', transcriptionModel: 'gpt-4o-transcribe', noiseReduction: 'near_field' };

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, clientTracking: false, perMessageDeflate: false, handleProtocols: () => 'kiosk-signal.v1' });
server.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'ready' }));
  ws.on('message', (data) => {
    if (!adapter) return void ws.send(data.toString());
    const frame = JSON.parse(data.toString()) as { id: string; sdp: string };
    void adapter.exchange(frame.sdp, settings, AbortSignal.timeout(10_000)).then(
      (answer) => ws.send(JSON.stringify({ type: 'answer', id: frame.id, sdp: answer.sdp, callId: answer.callId })),
      (error: unknown) => ws.send(JSON.stringify({ type: 'error', id: frame.id, message: String(error) })),
    );
  });
});
server.on('listening', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
