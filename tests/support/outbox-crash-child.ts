// Child process for the crash test. Mode `core`: the real kiosk core (outbox, and a sync engine
// uploading to the backend as the device identity) receives `transcript.append` calls in a loop, exactly
// as from the renderer. Mode `outbox`: the same appends straight into the outbox, without the core's
// start-up cost, so fifty kills stay quick. Either way "ack <id> <seq>" is printed only after the append
// returned — when the renderer would be told "saved" — and the parent kills it with SIGKILL at random.
// Usage: node --import tsx outbox-crash-child.ts <dataDir> <interviewId> <core|outbox>
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TranscriptEntry } from '../../src/shared/domain/transcript';
import { openKioskDatabase } from '../../src/main/platform/kiosk-database';
import { silentLogger } from '../../src/main/platform/logger';

const [dataDir, interviewId, mode = 'core'] = process.argv.slice(2);
if (!dataDir || !interviewId) throw new Error('usage: outbox-crash-child <dataDir> <interviewId> <core|outbox>');
const appUrl = 'http://127.0.0.1:5999/';

// Where the last run stopped: the highest seq the kiosk holds (its registry keeps it after uploads).
const peek = openKioskDatabase(join(dataDir, 'outbox.sqlite'));
let seq = (peek.prepare<[string], { max_seq: number }>('select max_seq from interviews where id = ?').get(interviewId)?.max_seq ?? -1) + 1;

async function appender(): Promise<(entries: TranscriptEntry[]) => Promise<void>> {
  if (mode === 'outbox') {
    const { createOutbox } = await import('../../src/main/sync/outbox');
    const outbox = createOutbox(peek);
    return async (entries) => {
      outbox.appendTranscript(interviewId!, entries);
    };
  }
  peek.close();
  const { createKioskCore } = await import('../../src/main/kiosk-core');
  const { createNodePlatform } = await import('../../src/host/node-platform');
  const core = createKioskCore({
    appInfo: { name: 'interview-kiosk', version: '0.0.0-crash', platform: 'linux', shell: 'browser-host' },
    appUrl,
    isTrustedSender: (url) => url === appUrl,
    platform: createNodePlatform({ dataDir: dataDir!, logger: silentLogger, tuning: { backoff: { baseMs: 20, maxMs: 100 }, syncPollIntervalMs: 50 } }),
  });
  return async (entries) => {
    const envelope = await core.dispatch('transcript.append', { interviewSessionId: interviewId, entries }, appUrl);
    if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  };
}
const append = await appender();

// Pipes are written synchronously on Linux, so an "ack" line the parent reads was sent after the call resolved.
process.stdout.write('ready\n');
for (;;) {
  const size = 1 + Math.floor(Math.random() * 5);
  const entries: TranscriptEntry[] = Array.from({ length: size }, () => ({
    id: randomUUID(),
    seq: seq++,
    speaker: 'candidate' as const,
    text: `crash test turn ${seq} `.repeat(1 + Math.floor(Math.random() * 20)),
    timestamp: new Date().toISOString(),
    confidence: null,
    status: 'final' as const,
  }));
  await append(entries);
  process.stdout.write(entries.map((entry) => `ack ${entry.id} ${entry.seq}\n`).join(''));
  // Let the sync engine's uploads interleave with the appends, as in a real interview.
  await new Promise((resolve) => setImmediate(resolve));
}
