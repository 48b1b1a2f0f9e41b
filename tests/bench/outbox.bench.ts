// Outbox benchmarks (DESIGN.md targets): the durable append's p99, against a bare write+fsync of the
// same disk as the baseline; and 10,000 queued entries drained into Postgres through the edge
// functions, against a bare client posting the same entries in 500-entry batches.
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptEntry } from '../../src/shared/domain/transcript';
import { openKioskDatabase } from '../../src/main/platform/kiosk-database';
import { createOutbox } from '../../src/main/sync/outbox';
import { toTranscriptWire } from '../../src/shared/contract/transcript';
import { startBackendStack } from '../support/backend-stack';
import { createTodaySession, startTestKiosk, until, writeTenantConfig } from '../support/kiosk-core-fixture';
import { percentile, type Benchmark, type BenchResult } from './bench-kit';

const APPENDS = 2_000;
const DRAIN = 10_000;

const entry = (seq: number): TranscriptEntry => ({
  id: randomUUID(),
  seq,
  speaker: seq % 2 ? 'candidate' : 'interviewer',
  text: `A typical spoken turn of a dozen words or so, number ${seq}.`,
  timestamp: new Date().toISOString(),
  confidence: 0.92,
  status: 'final',
});

function appendLatencies(): { append: number[]; fsync: number[] } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  try {
    const db = openKioskDatabase(join(dir, 'outbox.sqlite'));
    const outbox = createOutbox(db);
    const interview = randomUUID();
    const append: number[] = [];
    for (let seq = 0; seq < APPENDS; seq++) {
      const started = performance.now();
      outbox.appendTranscript(interview, [entry(seq)]);
      append.push(performance.now() - started);
    }
    db.close();
    const fd = openSync(join(dir, 'raw.bin'), 'a');
    const block = Buffer.alloc(512, 1);
    const fsync: number[] = [];
    for (let i = 0; i < APPENDS; i++) {
      const started = performance.now();
      writeSync(fd, block);
      fsyncSync(fd);
      fsync.push(performance.now() - started);
    }
    closeSync(fd);
    return { append: append.sort((a, b) => a - b), fsync: fsync.sort((a, b) => a - b) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function drain(): Promise<{ kioskMs: number; bareMs: number }> {
  const stack = await startBackendStack();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-drain-'));
  try {
    // Queue 10,000 entries while the kiosk is "offline" (no core running), then start it and time the drain.
    const kioskSession = await createTodaySession(stack, 'in_progress');
    const db = openKioskDatabase(join(dataDir, 'outbox.sqlite'));
    const outbox = createOutbox(db);
    for (let seq = 0; seq < DRAIN; seq += 100) outbox.appendTranscript(kioskSession, Array.from({ length: 100 }, (_, i) => entry(seq + i)));
    db.close();
    await writeTenantConfig(dataDir, stack);
    const started = performance.now();
    const kiosk = startTestKiosk({ dataDir });
    await until(() => kiosk.core.services().outbox.stats().pending === 0, 120_000, 'the 10,000-entry drain');
    const kioskMs = performance.now() - started;
    const [{ n }] = (await stack.sql<{ n: string }>('select count(*) as n from public.transcript_entries where interview_session_id = $1', [kioskSession])) as [{ n: string }];
    if (Number(n) !== DRAIN) throw new Error(`expected ${DRAIN} entries in Postgres, found ${n}`);
    const token = await kiosk.core.services().device.accessToken();
    await kiosk.core.dispose();

    // Baseline: a bare client posting the same volume in 500-entry batches, sequentially.
    const bareSession = await createTodaySession(stack, 'in_progress');
    const bareStarted = performance.now();
    for (let seq = 0; seq < DRAIN; seq += 500) {
      const response = await fetch(`${stack.supabaseUrl}/functions/v1/interview-transcript`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, apikey: stack.publishableKey, 'content-type': 'application/json' },
        body: JSON.stringify({ interview_session_id: bareSession, entries: Array.from({ length: 500 }, (_, i) => toTranscriptWire(entry(seq + i))) }),
      });
      if (!response.ok) throw new Error(`baseline upload failed: ${response.status} ${await response.text()}`);
    }
    return { kioskMs, bareMs: performance.now() - bareStarted };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = {
  title: 'outbox',
  async run(): Promise<BenchResult[]> {
    const { append, fsync } = appendLatencies();
    const p99 = percentile(append, 99);
    const results: BenchResult[] = [
      { name: 'outbox durable append p50', value: percentile(append, 50), unit: 'ms', baseline: percentile(fsync, 50), target: 'report', met: true },
      { name: 'outbox durable append p99', value: p99, unit: 'ms', baseline: percentile(fsync, 99), target: '≤ 5 ms', met: p99 <= 5 },
    ];
    const { kioskMs, bareMs } = await drain();
    results.push({ name: `drain ${DRAIN.toLocaleString('en')} entries into Postgres`, value: kioskMs, unit: 'ms', baseline: bareMs, target: '≤ 5000 ms', met: kioskMs <= 5_000 });
    return results;
  },
};

export default benchmark;
