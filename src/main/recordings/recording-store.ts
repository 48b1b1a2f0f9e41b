// Recording files: chunks are appended to the session's file as they arrive (never held in memory),
// fsynced every second or few MiB, so a crash leaves a playable file up to the last flush. At the end
// the file is made seekable and an upload joins the outbox's recording lane.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KioskError } from '../../shared/kiosk-error';
import type { KioskDatabase } from '../platform/kiosk-database';
import type { Logger } from '../platform/logger';
import type { Outbox } from '../sync/outbox';
import { makeSeekable, readWebm } from './webm-seekable';

export const RECORDING_ERROR = {
  unknown: 'recording.unknown',
  notOpen: 'recording.not_open',
  outOfOrder: 'recording.out_of_order',
  ioFailed: 'recording.io_failed',
} as const;

export interface RecordingRow {
  id: string;
  interviewId: string;
  path: string;
  mimeType: string;
  bytes: number;
  durationMs: number | null;
  state: 'recording' | 'finished';
  videoId: string | null;
  ackedBytes: number;
}

export interface RecordingStore {
  start(interviewId: string, mimeType: string): string;
  append(recordingId: string, index: number, bytes: Uint8Array): number;
  finish(recordingId: string, durationMs: number): Promise<number>;
  /**
   * Finishes recordings whose interview is no longer active: those a crash left in the database and
   * those a reloaded window left open here.
   */
  recoverAbandoned(activeInterviewId: string | null): Promise<number>;
  get(recordingId: string): RecordingRow | null;
  saveUploadProgress(recordingId: string, videoId: string, ackedBytes: number): void;
  dispose(): void;
}

export interface RecordingStoreOptions {
  db: KioskDatabase;
  dir: string;
  outbox: Outbox;
  clock: { now(): number };
  logger: Logger;
  flushIntervalMs?: number;
  flushBytes?: number;
  onQueued(): void;
  /** Writes a chunk's bytes to the file (a seam for tests of a failing disk); defaults to writeSync. */
  write?: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
}

interface OpenRecording {
  id: string;
  fd: number;
  bytes: number;
  nextIndex: number;
  unflushed: number;
  lastFlushAt: number;
}

interface DbRow {
  id: string;
  interview_id: string;
  path: string;
  mime_type: string;
  bytes: number;
  duration_ms: number | null;
  state: 'recording' | 'finished';
  video_id: string | null;
  acked_bytes: number;
}

export function createRecordingStore(options: RecordingStoreOptions): RecordingStore {
  const { db } = options;
  const flushIntervalMs = options.flushIntervalMs ?? 1_000;
  const flushBytes = options.flushBytes ?? 4 * 1024 * 1024;
  const open = new Map<string, OpenRecording>();
  // A recording being finished, so that a second finish (the window's, or the one an interview's end
  // triggers) waits for the first instead of finalizing the same file again.
  const finalizing = new Map<string, Promise<number>>();
  const write = options.write ?? writeSync;
  mkdirSync(options.dir, { recursive: true });

  const selectRow = db.prepare<[string], DbRow>('select * from recordings where id = ?');
  const saveProgress = db.prepare('update recordings set bytes = ?, next_index = ? where id = ?');
  const insertRow = db.prepare("insert into recordings (id, interview_id, path, mime_type, state, created_at) values (?, ?, ?, ?, 'recording', ?)");
  const markFinishedRow = db.prepare("update recordings set state = 'finished', path = ?, bytes = ?, duration_ms = ? where id = ?");
  const saveUpload = db.prepare('update recordings set video_id = ?, acked_bytes = ? where id = ?');

  const toRow = (row: DbRow | undefined): RecordingRow | null =>
    row
      ? {
          id: row.id,
          interviewId: row.interview_id,
          path: row.path,
          mimeType: row.mime_type,
          bytes: row.bytes,
          durationMs: row.duration_ms,
          state: row.state,
          videoId: row.video_id,
          ackedBytes: row.acked_bytes,
        }
      : null;

  function flush(recording: OpenRecording) {
    fsyncSync(recording.fd);
    saveProgress.run(recording.bytes, recording.nextIndex, recording.id);
    recording.unflushed = 0;
    recording.lastFlushAt = options.clock.now();
  }

  const timer = setInterval(() => {
    for (const recording of open.values()) {
      if (recording.unflushed > 0 && options.clock.now() - recording.lastFlushAt >= flushIntervalMs) flush(recording);
    }
  }, Math.max(50, Math.floor(flushIntervalMs / 2)));
  timer.unref?.();

  async function finalize(row: DbRow, durationMs: number | null): Promise<number> {
    const seekablePath = join(options.dir, `${row.id}.webm`);
    let finalPath = row.path;
    let duration = durationMs;
    try {
      const summary = await makeSeekable(row.path, seekablePath);
      finalPath = seekablePath;
      duration ??= summary.durationMs;
    } catch (error) {
      // A file too short to hold a cluster is still worth keeping and uploading as it is.
      options.logger.warn({ err: error, recordingId: row.id }, 'recording could not be made seekable; keeping it as recorded');
      if (duration === null) duration = await readWebm(row.path).then((summary) => summary.durationMs).catch(() => 0);
    }
    const bytes = statSync(finalPath).size;
    markFinished(row, finalPath, bytes, duration);
    // Only once the row points at the finished file: a crash before this line leaves both files, and
    // recovery finishes again from the live one.
    if (finalPath !== row.path) rmSync(row.path, { force: true });
    options.onQueued();
    return bytes;
  }

  function markFinished(row: DbRow, path: string, bytes: number, duration: number | null) {
    db.transaction(() => {
      markFinishedRow.run(path, bytes, duration, row.id);
      options.outbox.queueRecording(row.interview_id, row.id);
    })();
  }

  /** The live file is gone: a crash hit after it was deleted, so the finished file is complete. */
  async function adoptFinished(row: DbRow, finishedPath: string): Promise<number> {
    const duration = await readWebm(finishedPath).then((summary) => summary.durationMs).catch(() => 0);
    const bytes = statSync(finishedPath).size;
    markFinished(row, finishedPath, bytes, duration);
    options.onQueued();
    return bytes;
  }

  function guarded(recordingId: string, work: () => Promise<number>): Promise<number> {
    const running = finalizing.get(recordingId);
    if (running) return running;
    const promise = work().finally(() => finalizing.delete(recordingId));
    finalizing.set(recordingId, promise);
    return promise;
  }

  function close(recording: OpenRecording) {
    try {
      flush(recording);
    } finally {
      closeSync(recording.fd);
      open.delete(recording.id);
    }
  }

  return {
    start(interviewId, mimeType) {
      const id = randomUUID();
      const path = join(options.dir, `${id}.live.webm`);
      const fd = openSync(path, 'a', 0o600);
      insertRow.run(id, interviewId, path, mimeType, options.clock.now());
      open.set(id, { id, fd, bytes: 0, nextIndex: 0, unflushed: 0, lastFlushAt: options.clock.now() });
      return id;
    },
    append(recordingId, index, bytes) {
      const recording = open.get(recordingId);
      if (!recording) {
        const known = selectRow.get(recordingId);
        throw new KioskError(
          known ? RECORDING_ERROR.notOpen : RECORDING_ERROR.unknown,
          known ? 'That recording is no longer open; start a new one.' : 'No such recording on this kiosk.',
        );
      }
      if (index !== recording.nextIndex) {
        throw new KioskError(RECORDING_ERROR.outOfOrder, `Expected chunk ${recording.nextIndex}, got ${index}; chunks must arrive once and in order.`);
      }
      let offset = 0;
      try {
        while (offset < bytes.byteLength) offset += write(recording.fd, bytes, offset, bytes.byteLength - offset);
      } catch (error) {
        // Drop whatever part of the chunk did land, so the retried chunk is not written twice.
        try {
          ftruncateSync(recording.fd, recording.bytes);
        } catch (truncateError) {
          options.logger.error({ err: truncateError, recordingId }, 'a partly written chunk could not be cut off');
        }
        throw new KioskError(RECORDING_ERROR.ioFailed, 'The recording could not be written to disk.', { cause: error });
      }
      recording.bytes += bytes.byteLength;
      recording.nextIndex++;
      recording.unflushed += bytes.byteLength;
      if (recording.unflushed >= flushBytes || options.clock.now() - recording.lastFlushAt >= flushIntervalMs) flush(recording);
      return recording.bytes;
    },
    async finish(recordingId, durationMs) {
      const running = finalizing.get(recordingId);
      if (running) return running;
      const recording = open.get(recordingId);
      const row = selectRow.get(recordingId);
      if (!row) throw new KioskError(RECORDING_ERROR.unknown, 'No such recording on this kiosk.');
      if (!recording) {
        if (row.state === 'finished') return row.bytes;
        throw new KioskError(RECORDING_ERROR.notOpen, 'That recording is no longer open.');
      }
      close(recording);
      return guarded(recordingId, () => finalize({ ...row, bytes: recording.bytes }, durationMs));
    },
    async recoverAbandoned(activeInterviewId) {
      // A crash after a finish committed but before the recorded file was deleted leaves that file behind.
      for (const row of db.prepare<[], { id: string; path: string }>("select id, path from recordings where state = 'finished'").all()) {
        const livePath = join(options.dir, `${row.id}.live.webm`);
        if (row.path !== livePath && !finalizing.has(row.id)) rmSync(livePath, { force: true });
      }
      const rows = db.prepare<[], DbRow>("select * from recordings where state = 'recording'").all();
      let recovered = 0;
      for (const row of rows) {
        if (row.interview_id === activeInterviewId || finalizing.has(row.id)) continue;
        // Still open here: the window that recorded it was reloaded and will not finish it.
        const stillOpen = open.get(row.id);
        if (stillOpen) close(stillOpen);
        if (!existsSync(row.path)) {
          const finishedPath = join(options.dir, `${row.id}.webm`);
          if (existsSync(finishedPath)) {
            await guarded(row.id, () => adoptFinished(row, finishedPath));
            recovered++;
          } else {
            db.prepare('delete from recordings where id = ?').run(row.id);
          }
          continue;
        }
        await guarded(row.id, () => finalize(row, null));
        recovered++;
      }
      return recovered;
    },
    get(recordingId) {
      return toRow(selectRow.get(recordingId));
    },
    saveUploadProgress(recordingId, videoId, ackedBytes) {
      saveUpload.run(videoId, ackedBytes, recordingId);
    },
    dispose() {
      clearInterval(timer);
      for (const recording of [...open.values()]) close(recording);
    },
  };
}
