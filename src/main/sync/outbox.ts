// The durable, ordered queue of everything that must reach the backend. An append returns only after
// its transaction is committed (WAL + synchronous=FULL), so "saved" in the renderer means on disk.
// Ordering: per interview, `interview-end` is a barrier — it leaves only after every earlier operation
// of that interview is acknowledged or dead-lettered. Transcript entries keep their order among
// themselves (and carry `seq`), as do events; the two kinds may be batched independently before the barrier.
import { MAX_UPLOAD_BATCH } from '../../shared/contract/limits';
import type { EndReason, SessionEvent } from '../../shared/domain/interview';
import type { TranscriptEntry } from '../../shared/domain/transcript';
import { randomUUID } from 'node:crypto';
import type { KioskDatabase } from '../platform/kiosk-database';

export type OpKind = 'transcript' | 'event' | 'end' | 'recording';
export type Lane = 'data' | 'recording';

export interface EndPayload {
  lastSeq: number;
  reason: EndReason;
}
export interface RecordingPayload {
  recordingId: string;
}

export interface OutboxOp {
  id: number;
  interviewId: string;
  kind: OpKind;
  opKey: string;
  payload: unknown;
  createdAt: number;
  attempts: number;
}

export interface OutboxBatch {
  interviewId: string;
  kind: OpKind;
  ops: OutboxOp[];
}

export interface OutboxStats {
  pending: number;
  oldestCreatedAt: number | null;
  deadLetters: number;
}

export interface DeadLetter {
  interviewId: string;
  kind: OpKind;
  opKey: string;
  payload: unknown;
  reasonCode: string;
  reasonMessage: string;
  failedAt: number;
}

/** One outbox batch is one upload request. */
export const MAX_BATCH = MAX_UPLOAD_BATCH;

interface OpRow {
  id: number;
  interview_id: string;
  kind: OpKind;
  op_key: string;
  payload: string;
  created_at: number;
  attempts: number;
}

export interface Outbox {
  appendTranscript(interviewId: string, entries: readonly TranscriptEntry[]): string[];
  appendEvents(interviewId: string, events: readonly SessionEvent[]): number;
  queueEnd(interviewId: string, end: EndPayload): void;
  queueRecording(interviewId: string, recordingId: string): void;
  nextBatch(lane: Lane, limit?: number): OutboxBatch | null;
  ack(opIds: readonly number[]): void;
  noteAttempt(opIds: readonly number[]): void;
  deadLetter(opIds: readonly number[], reasonCode: string, reasonMessage: string): void;
  stats(): OutboxStats;
  deadLetters(limit?: number): DeadLetter[];
  /** Transcript entries of an interview still waiting (tests and diagnosis). */
  pendingKeys(interviewId: string, kind: OpKind): string[];
}

/**
 * What takes a refused transcript entry's place: the same turn, marked failed and empty, so the server's
 * gap check lets the interview close and the turn shows as lost rather than missing. Not for a refused
 * stand-in (it would loop), a refused correction, nor an entry_conflict (its seq is already taken on the server).
 */
function lostTurn(entry: TranscriptEntry, reasonCode: string): TranscriptEntry | null {
  if (reasonCode === 'entry_conflict') return null;
  // A refused correction leaves its failed stand-in standing: the seq is already accounted for.
  if (entry.corrects !== undefined) return null;
  if (entry.status === 'failed' && entry.text === '') return null;
  return { id: randomUUID(), seq: entry.seq, speaker: entry.speaker, text: '', timestamp: entry.timestamp, confidence: null, status: 'failed' };
}

export function createOutbox(db: KioskDatabase, clock: { now(): number } = Date): Outbox {
  const insert = db.prepare(
    'insert or ignore into ops (interview_id, lane, kind, op_key, seq, payload, created_at) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const bumpSeq = db.prepare('update interviews set max_seq = max(max_seq, ?) where id = ?');
  const head = db.prepare<[Lane], OpRow>('select * from ops where lane = ? order by id limit 1');
  const barrier = db.prepare<[string], { id: number | null }>("select min(id) as id from ops where interview_id = ? and kind = 'end'");
  const sameKindBefore = db.prepare<[string, OpKind, number, number], OpRow>(
    'select * from ops where interview_id = ? and kind = ? and id < ? order by id limit ?',
  );
  const remove = db.prepare('delete from ops where id = ?');
  const attempt = db.prepare('update ops set attempts = attempts + 1 where id = ?');
  const selectOne = db.prepare<[number], OpRow>('select * from ops where id = ?');
  const insertDead = db.prepare(
    'insert into dead_letters (interview_id, kind, op_key, payload, created_at, failed_at, reason_code, reason_message) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertAt = db.prepare('insert into ops (id, interview_id, lane, kind, op_key, seq, payload, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)');
  const countPending = db.prepare<[], { n: number; oldest: number | null }>('select count(*) as n, min(created_at) as oldest from ops');
  const countDead = db.prepare<[], { n: number }>('select count(*) as n from dead_letters');
  const recentDead = db.prepare<
    [number],
    { interview_id: string; kind: OpKind; op_key: string; payload: string; reason_code: string; reason_message: string; failed_at: number }
  >('select * from dead_letters order by id desc limit ?');
  const keysOf = db.prepare<[string, OpKind], { op_key: string }>('select op_key from ops where interview_id = ? and kind = ? order by id');

  const appendMany = db.transaction((interviewId: string, kind: OpKind, items: Array<{ key: string; seq: number | null; payload: unknown }>) => {
    const now = clock.now();
    let maxSeq = -1;
    for (const item of items) {
      insert.run(interviewId, 'data', kind, item.key, item.seq, JSON.stringify(item.payload), now);
      if (item.seq !== null && item.seq > maxSeq) maxSeq = item.seq;
    }
    if (maxSeq >= 0) bumpSeq.run(maxSeq, interviewId);
  });

  const toOp = (row: OpRow): OutboxOp => ({
    id: row.id,
    interviewId: row.interview_id,
    kind: row.kind,
    opKey: row.op_key,
    payload: JSON.parse(row.payload),
    createdAt: row.created_at,
    attempts: row.attempts,
  });

  return {
    appendTranscript(interviewId, entries) {
      appendMany(interviewId, 'transcript', entries.map((entry) => ({ key: entry.id, seq: entry.seq, payload: entry })));
      return entries.map((entry) => entry.id);
    },
    appendEvents(interviewId, events) {
      appendMany(interviewId, 'event', events.map((event) => ({ key: event.id, seq: null, payload: event })));
      return events.length;
    },
    queueEnd(interviewId, end) {
      insert.run(interviewId, 'data', 'end', `end:${interviewId}`, null, JSON.stringify(end), clock.now());
    },
    queueRecording(interviewId, recordingId) {
      insert.run(interviewId, 'recording', 'recording', `recording:${recordingId}`, null, JSON.stringify({ recordingId }), clock.now());
    },
    nextBatch(lane, limit = MAX_BATCH) {
      const first = head.get(lane);
      if (!first) return null;
      if (first.kind === 'end' || first.kind === 'recording') return { interviewId: first.interview_id, kind: first.kind, ops: [toOp(first)] };
      const end = barrier.get(first.interview_id)?.id ?? Number.MAX_SAFE_INTEGER;
      const rows = sameKindBefore.all(first.interview_id, first.kind, end, Math.max(1, Math.min(limit, MAX_BATCH)));
      return { interviewId: first.interview_id, kind: first.kind, ops: rows.map(toOp) };
    },
    ack: db.transaction((opIds: readonly number[]) => {
      for (const id of opIds) remove.run(id);
    }),
    noteAttempt: db.transaction((opIds: readonly number[]) => {
      for (const id of opIds) attempt.run(id);
    }),
    deadLetter: db.transaction((opIds: readonly number[], reasonCode: string, reasonMessage: string) => {
      const now = clock.now();
      for (const id of opIds) {
        const row = selectOne.get(id);
        if (!row) continue;
        insertDead.run(row.interview_id, row.kind, row.op_key, row.payload, row.created_at, now, reasonCode, reasonMessage.slice(0, 2000));
        remove.run(id);
        const stand = row.kind === 'transcript' ? lostTurn(JSON.parse(row.payload) as TranscriptEntry, reasonCode) : null;
        // Same id as the refused op, so it keeps its place ahead of the interview's end barrier.
        if (stand) insertAt.run(id, row.interview_id, 'data', 'transcript', stand.id, stand.seq, JSON.stringify(stand), row.created_at);
      }
    }),
    stats() {
      const pending = countPending.get()!;
      return { pending: pending.n, oldestCreatedAt: pending.oldest, deadLetters: countDead.get()!.n };
    },
    deadLetters(limit = 100) {
      return recentDead.all(limit).map((row) => ({
        interviewId: row.interview_id,
        kind: row.kind,
        opKey: row.op_key,
        payload: JSON.parse(row.payload),
        reasonCode: row.reason_code,
        reasonMessage: row.reason_message,
        failedAt: row.failed_at,
      }));
    },
    pendingKeys(interviewId, kind) {
      return keysOf.all(interviewId, kind).map((row) => row.op_key);
    },
  };
}
