import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../../src/shared/domain/transcript';
import type { SyncState } from '../../../../src/shared/domain/sync';
import { BackendFailure } from '../../../../src/main/sync/backend-client';
import { openKioskDatabase } from '../../../../src/main/platform/kiosk-database';
import { silentLogger } from '../../../../src/main/platform/logger';
import { createOutbox, type OutboxBatch } from '../../../../src/main/sync/outbox';
import { createSyncEngine, type SyncEngine } from '../../../../src/main/sync/sync-engine';

const interview = randomUUID();
const entry = (seq: number, text = `turn ${seq}`): TranscriptEntry => ({
  id: randomUUID(),
  seq,
  speaker: 'candidate',
  text,
  timestamp: new Date().toISOString(),
  status: 'final',
});

let engine: SyncEngine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

function setup(send: (batch: OutboxBatch) => Promise<void>, reauth: () => Promise<void> = async () => {}) {
  const outbox = createOutbox(openKioskDatabase(':memory:'));
  engine = createSyncEngine({
    outbox,
    senders: [{ lane: 'data', send }],
    reauth,
    clock: Date,
    logger: silentLogger,
    backoff: { baseMs: 20, maxMs: 40 },
    pollIntervalMs: 60_000,
  });
  return { outbox, engine };
}

async function until(predicate: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('sync engine', () => {
  it('retries with backoff after network failures and loses nothing', async () => {
    const delivered: number[] = [];
    let failures = 3;
    const { outbox, engine } = setup(async (batch) => {
      if (failures-- > 0) throw new BackendFailure('network', null, 'sync.network', 'down');
      delivered.push(...batch.ops.map((op) => (op.payload as TranscriptEntry).seq));
    });
    const states: SyncState[] = [];
    engine.subscribe((state) => states.push(state));
    outbox.appendTranscript(interview, [entry(0), entry(1), entry(2)]);
    engine.start();
    await until(() => outbox.stats().pending === 0);
    expect(delivered).toEqual([0, 1, 2]);
    expect(states.some((state) => !state.online && state.lastError?.code === 'sync.network')).toBe(true);
    expect(engine.state()).toMatchObject({ online: true, pending: 0 });
  });

  it('refreshes the identity once after a 401 and carries on', async () => {
    let token = 'old';
    let refreshes = 0;
    const { outbox, engine } = setup(
      async () => {
        if (token === 'old') throw new BackendFailure('http', 401, 'unauthorized', 'expired');
      },
      async () => {
        refreshes++;
        token = 'new';
      },
    );
    outbox.appendTranscript(interview, [entry(0)]);
    engine.start();
    await until(() => outbox.stats().pending === 0);
    expect(refreshes).toBe(1);
    expect(outbox.stats().deadLetters).toBe(0);
  });

  it('isolates a rejected entry in the dead-letter table and delivers the rest', async () => {
    const delivered: TranscriptEntry[] = [];
    let ended = false;
    const { outbox, engine } = setup(async (batch) => {
      if (batch.kind === 'end') {
        ended = true;
        return;
      }
      if (batch.ops.some((op) => (op.payload as TranscriptEntry).text === 'poison')) throw new BackendFailure('http', 422, 'invalid_entry', 'bad entry');
      delivered.push(...batch.ops.map((op) => op.payload as TranscriptEntry));
    });
    outbox.appendTranscript(interview, Array.from({ length: 40 }, (_, seq) => entry(seq, seq === 17 ? 'poison' : undefined)));
    outbox.queueEnd(interview, { lastSeq: 39, reason: 'completed' });
    engine.start();
    await until(() => outbox.stats().pending === 0);
    // Seq 17 arrives as a lost turn, so the server sees no gap and the end goes through.
    expect(delivered.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, seq) => seq));
    expect(delivered.find((e) => e.seq === 17)).toMatchObject({ text: '', status: 'failed' });
    expect(ended).toBe(true);
    expect(outbox.deadLetters().map((letter) => (letter.payload as TranscriptEntry).seq)).toEqual([17]);
  });

  it('retries an end refused for missing entries instead of dead-lettering it', async () => {
    let refusals = 2;
    const { outbox, engine } = setup(async (batch) => {
      if (batch.kind === 'end' && refusals-- > 0) throw new BackendFailure('http', 409, 'missing_entries', 'entries have not arrived');
    });
    outbox.queueEnd(interview, { lastSeq: 3, reason: 'completed' });
    engine.start();
    await until(() => outbox.stats().pending === 0);
    expect(refusals).toBe(-1);
    expect(outbox.stats().deadLetters).toBe(0);
  });

  it('keeps retrying on a timer, and "retry now" skips the wait', async () => {
    let online = false;
    const { outbox, engine } = setup(async () => {
      if (!online) throw new BackendFailure('http', 503, 'unavailable', 'maintenance');
    });
    outbox.appendTranscript(interview, [entry(0)]);
    engine.start();
    await until(() => engine.state().lastError !== null);
    online = true;
    const state = await engine.retryNow();
    expect(state.pending).toBe(0);
  });

  it('drains work appended later when kicked', async () => {
    const { outbox, engine } = setup(async () => {});
    engine.start();
    outbox.appendTranscript(interview, [entry(0)]);
    engine.kick();
    await until(() => outbox.stats().pending === 0);
    expect(engine.state().lastSyncAt).not.toBeNull();
  });
});
