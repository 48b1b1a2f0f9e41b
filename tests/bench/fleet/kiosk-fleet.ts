// The fleet benchmark's kiosks, in a process of their own: each main's real core (outbox, sync engine,
// its own enrolled device identity) against the backend the parent runs, so the kiosks' SQLite work
// never shares an event loop with the local gateway the parent measures through. Driven over IPC:
//   → { type: 'start', backend, kiosks }   ← { type: 'started' }
//   → { type: 'load', speed, ms }          ← { type: 'loaded', started, ended }   (this process's clock)
//   → { type: 'drain', timeoutMs }         ← { type: 'drained', pending }
//   → { type: 'uploads' }                  ← { type: 'uploads', uploads }         (and forgets them)
//   → { type: 'stop' }                     disposes the kiosks and exits
import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '../../../src/shared/domain/interview';
import type { TranscriptEntry } from '../../../src/shared/domain/transcript';
import { startTestKiosk, writeTenantConfig, type TestKiosk } from '../../support/kiosk-core-fixture';
import { ENTRY_EVERY_MS, EVENT_EVERY_MS, type FleetKiosk, type Upload } from './fleet-protocol';

const TICK_MS = 100;
const uploads: Upload[] = [];

interface SimulatedKiosk {
  kiosk: TestKiosk;
  sessionId: string;
  seq: number;
  entryDebt: number;
  eventDebt: number;
}
let kiosks: SimulatedKiosk[] = [];

function recordingFetch(kiosk: number): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const fn = /\/functions\/v1\/(interview-transcript|interview-events)$/.exec(url)?.[1];
    if (!fn) return fetch(input, init);
    const body = JSON.parse(String(init?.body ?? '{}')) as { entries?: Array<Record<string, unknown>>; events?: Array<Record<string, unknown>> };
    const payload = body.entries ?? body.events ?? [];
    const started = performance.now();
    const response = await fetch(input, init);
    const timing = Object.fromEntries(
      (response.headers.get('server-timing') ?? '')
        .split(',')
        .map((part) => part.trim().split(';dur='))
        .filter((pair) => pair.length === 2)
        .map(([name, duration]) => [name!, Number(duration)]),
    );
    uploads.push({ kiosk, fn, rows: payload.length, payload, started, ms: performance.now() - started, ok: response.ok, timing });
    return response;
  };
}

const entry = (seq: number): TranscriptEntry => ({
  id: randomUUID(),
  seq,
  speaker: seq % 2 ? 'candidate' : 'interviewer',
  text: `A typical spoken turn of a dozen words or so, number ${seq}, as the candidate said it.`,
  timestamp: new Date().toISOString(),
  confidence: 0.92,
  status: 'final',
});

const event = (): SessionEvent => ({
  id: randomUUID(),
  kind: 'telemetry',
  at: new Date().toISOString(),
  data: { metric: 'stats', round_trip_ms: 42, packets_lost: 0, jitter_ms: 3 },
});

/** Queues `speed` interviews' worth of rows on every kiosk for `ms`, as main's handlers do. */
async function load(speed: number, ms: number): Promise<void> {
  const startedAt = performance.now();
  for (let tick = 0; tick < ms / TICK_MS; tick++) {
    for (const simulated of kiosks) {
      const services = simulated.kiosk.core.services();
      simulated.entryDebt += (speed * TICK_MS) / ENTRY_EVERY_MS;
      simulated.eventDebt += (speed * TICK_MS) / EVENT_EVERY_MS;
      const entries = Array.from({ length: Math.floor(simulated.entryDebt) }, () => entry(simulated.seq++));
      const events = Array.from({ length: Math.floor(simulated.eventDebt) }, event);
      simulated.entryDebt -= entries.length;
      simulated.eventDebt -= events.length;
      if (entries.length > 0) services.outbox.appendTranscript(simulated.sessionId, entries);
      if (events.length > 0) services.outbox.appendEvents(simulated.sessionId, events);
      if (entries.length + events.length > 0) services.sync.kick();
    }
    const wait = startedAt + (tick + 1) * TICK_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

const pending = () => kiosks.reduce((sum, simulated) => sum + simulated.kiosk.core.services().outbox.stats().pending, 0);

type Command =
  | { type: 'start'; backend: { supabaseUrl: string; publishableKey: string }; kiosks: FleetKiosk[] }
  | { type: 'load'; speed: number; ms: number }
  | { type: 'drain'; timeoutMs: number }
  | { type: 'uploads' }
  | { type: 'stop' };

async function handle(command: Command): Promise<unknown> {
  switch (command.type) {
    case 'start':
      for (const [index, fleetKiosk] of command.kiosks.entries()) {
        await writeTenantConfig(fleetKiosk.dataDir, command.backend, { kioskId: fleetKiosk.kioskId, device: { enrolmentCode: fleetKiosk.enrolmentCode } });
        const kiosk = startTestKiosk({ dataDir: fleetKiosk.dataDir, fetch: recordingFetch(index), tuning: { backoff: { baseMs: 100, maxMs: 1_000 }, syncPollIntervalMs: 250 } });
        // Enrols now: the load steps measure uploads, not a first sign-in.
        await kiosk.core.services().device.accessToken();
        kiosks.push({ kiosk, sessionId: fleetKiosk.sessionId, seq: 0, entryDebt: 0, eventDebt: 0 });
      }
      return { type: 'started' };
    case 'load': {
      const started = performance.now();
      await load(command.speed, command.ms);
      return { type: 'loaded', started, ended: performance.now() };
    }
    case 'drain': {
      const deadline = performance.now() + command.timeoutMs;
      while (pending() > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      return { type: 'drained', pending: pending() };
    }
    case 'uploads':
      return { type: 'uploads', uploads: uploads.splice(0) };
    case 'stop':
      for (const simulated of kiosks) await simulated.kiosk.core.dispose().catch(() => undefined);
      kiosks = [];
      process.exit(0);
  }
}

// One command at a time, in order.
let queue = Promise.resolve();
process.on('message', (command: Command) => {
  queue = queue.then(() => handle(command)).then(
    (reply) => void process.send!(reply),
    (error: unknown) => void process.send!({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});
