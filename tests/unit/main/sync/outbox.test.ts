import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../../src/shared/domain/transcript';
import { openKioskDatabase } from '../../../../src/main/platform/kiosk-database';
import { createOutbox } from '../../../../src/main/sync/outbox';

const A = randomUUID();
const B = randomUUID();

function entry(seq: number): TranscriptEntry {
  return { id: randomUUID(), seq, speaker: seq % 2 ? 'candidate' : 'interviewer', text: `turn ${seq}`, timestamp: new Date(1_700_000_000_000 + seq).toISOString(), status: 'final' };
}
const event = () => ({ id: randomUUID(), kind: 'lockdown' as const, at: new Date().toISOString(), data: { type: 'focus_lost' } });

function freshOutbox(path = ':memory:') {
  let now = 1_000;
  const db = openKioskDatabase(path);
  return { db, outbox: createOutbox(db, { now: () => now }), advance: (ms: number) => (now += ms) };
}

describe('outbox', () => {
  it('runs SQLite in WAL mode with synchronous=FULL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const { db } = freshOutbox(join(dir, 'o.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('keeps entries after the database is closed and reopened', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'o.sqlite');
    const first = freshOutbox(path);
    const entries = [entry(0), entry(1)];
    first.outbox.appendTranscript(A, entries);
    first.db.close();
    const second = freshOutbox(path);
    expect(second.outbox.pendingKeys(A, 'transcript')).toEqual(entries.map((e) => e.id));
    second.db.close();
  });

  it('ignores a replayed append of the same entry id', () => {
    const { outbox } = freshOutbox();
    const e = entry(0);
    outbox.appendTranscript(A, [e]);
    outbox.appendTranscript(A, [e]);
    expect(outbox.stats().pending).toBe(1);
  });

  it('batches one kind of one interview in order, at most 500 at a time', () => {
    const { outbox } = freshOutbox();
    const entries = Array.from({ length: 1_203 }, (_, seq) => entry(seq));
    outbox.appendTranscript(A, entries.slice(0, 600));
    outbox.appendTranscript(B, [entry(0)]);
    outbox.appendTranscript(A, entries.slice(600));
    const batch = outbox.nextBatch('data')!;
    expect(batch.interviewId).toBe(A);
    expect(batch.ops).toHaveLength(500);
    expect(batch.ops.map((op) => (op.payload as TranscriptEntry).seq)).toEqual(entries.slice(0, 500).map((e) => e.seq));
    expect(outbox.nextBatch('data', 7)!.ops).toHaveLength(7);
  });

  it('never offers interview-end while an earlier operation of that interview waits', () => {
    const { outbox } = freshOutbox();
    outbox.appendTranscript(A, [entry(0), entry(1)]);
    outbox.appendEvents(A, [event()]);
    outbox.queueEnd(A, { lastSeq: 1, reason: 'completed' });
    const seen: string[] = [];
    for (let batch = outbox.nextBatch('data'); batch; batch = outbox.nextBatch('data')) {
      seen.push(`${batch.kind}:${batch.ops.length}`);
      if (batch.kind === 'end') expect(outbox.stats().pending).toBe(1);
      outbox.ack(batch.ops.map((op) => op.id));
    }
    expect(seen).toEqual(['transcript:2', 'event:1', 'end:1']);
  });

  it('does not batch entries appended after the end behind the barrier', () => {
    const { outbox } = freshOutbox();
    outbox.appendTranscript(A, [entry(0)]);
    outbox.queueEnd(A, { lastSeq: 0, reason: 'completed' });
    outbox.appendTranscript(A, [entry(1)]);
    expect(outbox.nextBatch('data')!.ops).toHaveLength(1);
  });

  it('moves rejected operations to the dead-letter table with their reason', () => {
    const { outbox } = freshOutbox();
    outbox.appendTranscript(A, [entry(0), entry(1)]);
    const batch = outbox.nextBatch('data')!;
    outbox.deadLetter([batch.ops[0]!.id], 'invalid_entry', 'text too long');
    // The refused entry's stand-in and entry 1 wait.
    expect(outbox.stats()).toMatchObject({ pending: 2, deadLetters: 1 });
    expect(outbox.deadLetters()[0]).toMatchObject({ interviewId: A, kind: 'transcript', reasonCode: 'invalid_entry', reasonMessage: 'text too long' });
  });

  it('puts a failed, empty stand-in with the same seq in place of a refused entry, ahead of the end', () => {
    const { outbox } = freshOutbox();
    const entries = [entry(0), entry(1), entry(2)];
    outbox.appendTranscript(A, entries);
    outbox.queueEnd(A, { lastSeq: 2, reason: 'completed' });
    const refused = outbox.nextBatch('data')!.ops[1]!;
    outbox.deadLetter([refused.id], 'invalid_entry', 'refused');
    expect(outbox.deadLetters()[0]).toMatchObject({ opKey: entries[1]!.id, payload: entries[1] });
    const batch = outbox.nextBatch('data')!;
    expect(batch.kind).toBe('transcript');
    const sent = batch.ops.map((op) => op.payload as TranscriptEntry);
    expect(sent.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(sent[1]).toMatchObject({ seq: 1, speaker: entries[1]!.speaker, text: '', status: 'failed', timestamp: entries[1]!.timestamp });
    expect(sent[1]!.id).not.toBe(entries[1]!.id);
    // The end still waits behind the stand-in.
    outbox.ack([batch.ops[0]!.id, batch.ops[2]!.id]);
    expect(outbox.nextBatch('data')!.ops.map((op) => (op.payload as TranscriptEntry).seq)).toEqual([1]);
  });

  it('puts no stand-in for a refused stand-in, nor for an entry whose seq the server already holds', () => {
    const { outbox } = freshOutbox();
    outbox.appendTranscript(A, [entry(0), entry(1)]);
    const [first, second] = outbox.nextBatch('data')!.ops;
    outbox.deadLetter([first!.id], 'entry_conflict', 'seq taken');
    outbox.deadLetter([second!.id], 'invalid_entry', 'refused');
    const stand = outbox.nextBatch('data')!.ops[0]!;
    outbox.deadLetter([stand.id], 'invalid_entry', 'refused again');
    expect(outbox.stats()).toMatchObject({ pending: 0, deadLetters: 3 });
  });

  it('puts no stand-in for a refused correction: the failed stand-in it meant to replace still holds the seq', () => {
    const { outbox } = freshOutbox();
    const standIn: TranscriptEntry = { ...entry(1), text: '', status: 'failed' };
    const correction: TranscriptEntry = { ...entry(1), text: 'late words', corrects: standIn.id };
    outbox.appendTranscript(A, [standIn, correction]);
    expect(outbox.pendingKeys(A, 'transcript')).toEqual([standIn.id, correction.id]);
    const [first, second] = outbox.nextBatch('data')!.ops;
    outbox.ack([first!.id]);
    outbox.deadLetter([second!.id], 'correction_target_invalid', 'too late');
    expect(outbox.stats()).toMatchObject({ pending: 0, deadLetters: 1 });
  });

  it('reports the age of the oldest pending operation', () => {
    const { outbox, advance } = freshOutbox();
    expect(outbox.stats().oldestCreatedAt).toBeNull();
    outbox.appendTranscript(A, [entry(0)]);
    advance(5_000);
    outbox.appendTranscript(A, [entry(1)]);
    expect(outbox.stats()).toMatchObject({ pending: 2, oldestCreatedAt: 1_000 });
  });

  it('keeps recording uploads in their own lane', () => {
    const { outbox } = freshOutbox();
    outbox.queueRecording(A, randomUUID());
    outbox.appendTranscript(A, [entry(0)]);
    expect(outbox.nextBatch('data')!.kind).toBe('transcript');
    expect(outbox.nextBatch('recording')!.kind).toBe('recording');
  });
});
