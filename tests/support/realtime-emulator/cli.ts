// Runs the realtime emulator as its own process (for `npm start` without a provider key, and for load
// tests that must not share an event loop with it). Prints one JSON line {baseUrl, apiKey} when ready.
// Usage: tsx tests/support/realtime-emulator/cli.ts [--port N] [--no-peer] [--pace MS]
import { parseArgs } from 'node:util';
import { startRealtimeEmulator } from './index';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'no-peer': { type: 'boolean' }, pace: { type: 'string' }, 'api-key': { type: 'string' } },
});
const emulator = await startRealtimeEmulator({
  port: values.port ? Number(values.port) : undefined,
  peer: !values['no-peer'],
  apiKey: values['api-key'] ?? process.env.EMULATOR_API_KEY,
  script: values.pace ? { paceMs: Number(values.pace) } : undefined,
});
process.stdout.write(`${JSON.stringify({ baseUrl: emulator.baseUrl, apiKey: emulator.apiKey })}\n`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
