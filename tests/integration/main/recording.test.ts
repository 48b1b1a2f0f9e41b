import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, ftruncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { BackendFailure, type BackendClient } from '../../../src/main/sync/backend-client';
import { openKioskDatabase } from '../../../src/main/platform/kiosk-database';
import { silentLogger } from '../../../src/main/platform/logger';
import { createOutbox } from '../../../src/main/sync/outbox';
import { createRecordingStore, type RecordingStore } from '../../../src/main/recordings/recording-store';
import { createRecordingUploader } from '../../../src/main/recordings/recording-uploader';
import { readWebm } from '../../../src/main/recordings/webm-seekable';
import { startApiVideoStandIn, type ApiVideoStandIn } from '../../support/api-video-stand-in';
import { webmChunks, webmCluster, webmHeader } from '../../support/webm-stream';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let standIn: ApiVideoStandIn;
beforeAll(async () => {
  standIn = await startApiVideoStandIn();
});
afterAll(async () => {
  await standIn.stop();
});

function setup(flushIntervalMs = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'recording-'));
  const db = openKioskDatabase(join(dir, 'kiosk.sqlite'));
  const outbox = createOutbox(db);
  const store = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox, clock: Date, logger: silentLogger, flushIntervalMs, onQueued: () => {} });
  return { dir, db, outbox, store };
}

function record(store: RecordingStore, interviewId: string, chunks: Iterable<Buffer>) {
  const recordingId = store.start(interviewId, 'video/webm;codecs=vp8');
  let index = 0;
  for (const chunk of chunks) store.append(recordingId, index++, chunk);
  return recordingId;
}

async function memory() {
  // Array buffers are released on a later tick; settle twice so the reading is what is really held.
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe('recordings', () => {
  it('appends thousands of chunks with flat memory', async () => {
    const { store } = setup(1_000);
    const recordingId = store.start(randomUUID(), 'video/webm');
    store.append(recordingId, 0, webmHeader());
    const cluster = webmCluster(0, 30, 1_000);
    for (let index = 1; index <= 200; index++) store.append(recordingId, index, cluster);
    const before = await memory();
    // A fresh buffer per chunk, as IPC delivers them: the garbage must not pile up.
    for (let index = 201; index <= 3_200; index++) store.append(recordingId, index, Buffer.from(cluster));
    const grown = (await memory()) - before;
    await store.finish(recordingId, 3_200_000);
    const written = store.get(recordingId)!.bytes;
    expect(written).toBeGreaterThan(90 * 1024 * 1024);
    expect(grown).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses a gap or a replayed chunk', () => {
    const { store } = setup();
    const recordingId = store.start(randomUUID(), 'video/webm');
    store.append(recordingId, 0, webmHeader());
    expect(() => store.append(recordingId, 2, webmCluster(0, 1, 10))).toThrow(expect.objectContaining({ code: 'recording.out_of_order' }));
    expect(() => store.append(recordingId, 0, webmHeader())).toThrow(expect.objectContaining({ code: 'recording.out_of_order' }));
    expect(() => store.append(randomUUID(), 0, webmHeader())).toThrow(expect.objectContaining({ code: 'recording.unknown' }));
  });

  it('leaves a file that parses up to its last flush when cut at a random point', async () => {
    const { dir, store } = setup();
    const clusters = [webmHeader(), ...Array.from({ length: 40 }, (_, i) => webmCluster(i * 990, 30, 300))];
    const recordingId = record(store, randomUUID(), clusters);
    // flushIntervalMs 0 flushes every chunk: the database's byte count is what survived an fsync.
    const { path, bytes } = store.get(recordingId)!;
    expect(statSync(path).size).toBe(bytes);
    const boundaries = clusters.reduce<number[]>((ends, chunk) => [...ends, (ends.at(-1) ?? 0) + chunk.length], []);
    for (let trial = 0; trial < 12; trial++) {
      const cut = boundaries[0]! + Math.floor(Math.random() * (bytes - boundaries[0]!));
      const copy = join(dir, `cut-${trial}.webm`);
      copyFileSync(path, copy);
      const fd = openSync(copy, 'r+');
      ftruncateSync(fd, cut);
      closeSync(fd);
      let blocks = 0;
      await readWebm(copy, (element) => {
        if (element.name === 'SimpleBlock') blocks++;
      });
      const wholeClusters = boundaries.filter((end) => end <= cut).length - 1;
      expect(blocks).toBeGreaterThanOrEqual(wholeClusters * 30);
      expect(blocks).toBeLessThanOrEqual((wholeClusters + 1) * 30);
    }
  });

  it('makes the finished file seekable, with cues pointing at its clusters', async () => {
    const { store, outbox } = setup();
    const interviewId = randomUUID();
    const recordingId = record(store, interviewId, webmChunks({ clusters: 25 }));
    await store.finish(recordingId, 24_800);
    const row = store.get(recordingId)!;
    expect(row.state).toBe('finished');
    const names: string[] = [];
    const cuePositions: number[] = [];
    let segmentDataStart = -1;
    const summary = await readWebm(row.path, (element) => {
      names.push(element.name);
      if (element.name === 'Segment') segmentDataStart = element.dataStart;
      if (element.name === 'CueClusterPosition') cuePositions.push(Number((element as { value: number }).value));
    });
    expect(names).toContain('Cues');
    expect(names).toContain('Duration');
    expect(names).toContain('SeekHead');
    expect(names.filter((name) => name === 'SimpleBlock')).toHaveLength(25 * 30);
    expect(summary.durationMs).toBeGreaterThan(24_000);
    // Every written cue position, relative to the segment's data, lands on a Cluster element id.
    const file = readFileSync(row.path);
    // One cue per ≥ 10 s of media: 0 s, ~10 s, ~20 s.
    expect(cuePositions).toHaveLength(3);
    for (const position of cuePositions) {
      expect(file.subarray(segmentDataStart + position, segmentDataStart + position + 4).toString('hex')).toBe('1f43b675');
    }
    expect(outbox.nextBatch('recording')).toMatchObject({ interviewId, kind: 'recording' });
  });

  it('finishes and queues a recording a crash left open, as far as it was flushed', async () => {
    const { dir, db, outbox, store } = setup();
    const interviewId = randomUUID();
    const recordingId = record(store, interviewId, webmChunks({ clusters: 15 }));
    // The process dies: no finish. The next start builds a new store on the same database.
    const restarted = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox, clock: Date, logger: silentLogger, onQueued: () => {} });
    expect(await restarted.recoverAbandoned(interviewId)).toBe(0);
    expect(await restarted.recoverAbandoned(null)).toBe(1);
    const row = restarted.get(recordingId)!;
    expect(row.state).toBe('finished');
    expect(row.durationMs).toBeGreaterThan(14_000);
    expect(outbox.nextBatch('recording')).toMatchObject({ interviewId, kind: 'recording' });
    store.dispose();
    restarted.dispose();
  });

  it('cuts off a partly written chunk when the disk fails, so the retried chunk is stored once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recording-'));
    const db = openKioskDatabase(join(dir, 'kiosk.sqlite'));
    const outbox = createOutbox(db);
    let failNext = false;
    // A disk that fills up half-way through one write.
    const write = (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (!failNext) return writeSync(fd, buffer, offset, length);
      failNext = false;
      writeSync(fd, buffer, offset, Math.floor(length / 2));
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    };
    const store = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox, clock: Date, logger: silentLogger, flushIntervalMs: 0, onQueued: () => {}, write });
    const chunks = [...webmChunks({ clusters: 6 })];
    const recordingId = store.start(randomUUID(), 'video/webm');
    store.append(recordingId, 0, chunks[0]!);
    store.append(recordingId, 1, chunks[1]!);
    failNext = true;
    expect(() => store.append(recordingId, 2, chunks[2]!)).toThrow(expect.objectContaining({ code: 'recording.io_failed' }));
    // The renderer retries the same chunk, then carries on.
    for (let index = 2; index < chunks.length; index++) store.append(recordingId, index, chunks[index]!);
    const livePath = join(dir, 'recordings', `${recordingId}.live.webm`);
    expect(readFileSync(livePath).equals(Buffer.concat(chunks))).toBe(true);
    store.dispose();
  });

  it('keeps the recorded file until the finished one is committed, so a failure in between loses nothing', async () => {
    const { dir, db, outbox } = setup();
    let refuse = true;
    const flaky = {
      ...outbox,
      queueRecording(interviewId: string, id: string) {
        // Stands for a crash between writing the finished file and committing it.
        if (refuse) throw new Error('crashed before the commit');
        outbox.queueRecording(interviewId, id);
      },
    };
    const store = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox: flaky, clock: Date, logger: silentLogger, flushIntervalMs: 0, onQueued: () => {} });
    const interviewId = randomUUID();
    const recordingId = record(store, interviewId, webmChunks({ clusters: 8 }));
    await expect(store.finish(recordingId, 7_800)).rejects.toThrow('crashed before the commit');
    expect(store.get(recordingId)!.state).toBe('recording');
    refuse = false;
    const restarted = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox, clock: Date, logger: silentLogger, onQueued: () => {} });
    expect(await restarted.recoverAbandoned(null)).toBe(1);
    const row = restarted.get(recordingId)!;
    expect(row).toMatchObject({ state: 'finished', path: join(dir, 'recordings', `${recordingId}.webm`) });
    expect((await readWebm(row.path)).durationMs).toBeGreaterThan(7_000);
    expect(outbox.nextBatch('recording')).toMatchObject({ interviewId, kind: 'recording' });
    restarted.dispose();
  });

  it('finishes from the finished file when a crash left it but the recorded file is gone', async () => {
    const { dir, db, outbox, store } = setup();
    const interviewId = randomUUID();
    const recordingId = record(store, interviewId, webmChunks({ clusters: 8 }));
    store.dispose();
    const livePath = join(dir, 'recordings', `${recordingId}.live.webm`);
    const finishedPath = join(dir, 'recordings', `${recordingId}.webm`);
    copyFileSync(livePath, finishedPath);
    rmSync(livePath);
    const restarted = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox, clock: Date, logger: silentLogger, onQueued: () => {} });
    expect(await restarted.recoverAbandoned(null)).toBe(1);
    expect(restarted.get(recordingId)).toMatchObject({ state: 'finished', path: finishedPath, bytes: statSync(finishedPath).size });
    expect(outbox.nextBatch('recording')).toMatchObject({ interviewId, kind: 'recording' });
    restarted.dispose();
  });

  it('deletes a recorded file a crash left behind after its finish was committed', async () => {
    const { dir, db, outbox, store } = setup();
    const recordingId = record(store, randomUUID(), webmChunks({ clusters: 4 }));
    await store.finish(recordingId, 3_800);
    const livePath = join(dir, 'recordings', `${recordingId}.live.webm`);
    copyFileSync(store.get(recordingId)!.path, livePath);
    const restarted = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox, clock: Date, logger: silentLogger, onQueued: () => {} });
    expect(await restarted.recoverAbandoned(null)).toBe(0);
    expect(() => statSync(livePath)).toThrow();
    expect(statSync(store.get(recordingId)!.path).size).toBe(store.get(recordingId)!.bytes);
    store.dispose();
    restarted.dispose();
  });

  it('finalizes a recording once when the window and the interview end finish it together', async () => {
    const { dir, db, outbox } = setup();
    let queued = 0;
    const counting = { ...outbox, queueRecording: (interviewId: string, id: string) => (queued++, outbox.queueRecording(interviewId, id)) };
    const store = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox: counting, clock: Date, logger: silentLogger, flushIntervalMs: 0, onQueued: () => {} });
    const recordingId = record(store, randomUUID(), webmChunks({ clusters: 30 }));
    const [bytes] = await Promise.all([store.finish(recordingId, 29_800), store.recoverAbandoned(null), store.finish(recordingId, 29_800)]);
    expect(queued).toBe(1);
    const row = store.get(recordingId)!;
    expect(row).toMatchObject({ state: 'finished', bytes });
    expect((await readWebm(row.path)).durationMs).toBeGreaterThan(29_000);
    store.dispose();
  });

  it('finishes a recording a reloaded window left open once its interview has ended', async () => {
    const { outbox, store } = setup();
    const interviewId = randomUUID();
    const recordingId = record(store, interviewId, webmChunks({ clusters: 5 }));
    expect(await store.recoverAbandoned(interviewId)).toBe(0);
    expect(await store.recoverAbandoned(null)).toBe(1);
    expect(store.get(recordingId)!.state).toBe('finished');
    expect(() => store.append(recordingId, 99, webmHeader())).toThrow(expect.objectContaining({ code: 'recording.not_open' }));
    await expect(store.finish(recordingId, 4_800)).resolves.toBe(store.get(recordingId)!.bytes);
    expect(outbox.nextBatch('recording')).toMatchObject({ interviewId, kind: 'recording' });
    store.dispose();
  });

  it('resumes an interrupted upload from the last acknowledged chunk', async () => {
    const { store, outbox } = setup();
    const interviewId = randomUUID();
    const recordingId = record(store, interviewId, webmChunks({ clusters: 60, frameBytes: 400 }));
    await store.finish(recordingId, 59_000);
    const { bytes, path } = store.get(recordingId)!;
    const original = readFileSync(path);
    const chunkBytes = 64 * 1024;
    expect(bytes).toBeGreaterThan(4 * chunkBytes);

    const reported: unknown[] = [];
    const backend: BackendClient = {
      async invoke<T>(name: string, body: unknown, _token: string, reply: z.ZodType<T>) {
        reported.push({ name, body });
        return reply.parse({ recording_id: (body as { recording_id: string }).recording_id });
      },
    };
    const uploader = createRecordingUploader({
      store,
      target: { uploadUrl: standIn.uploadUrl, uploadToken: standIn.token, chunkBytes },
      backend,
      identity: { accessToken: async () => 'device-token', refresh: async () => 'device-token' },
      fetch: globalThis.fetch,
      logger: silentLogger,
    });
    const batch = outbox.nextBatch('recording')!;
    standIn.failChunk(3 * chunkBytes, 'drop');
    await expect(uploader.send(batch)).rejects.toSatisfy((error) => error instanceof BackendFailure && error.kind === 'network');
    expect(store.get(recordingId)!.ackedBytes).toBe(3 * chunkBytes);
    const requestsBefore = standIn.requests.length;

    await uploader.send(batch);
    const resumedRanges = standIn.requests.slice(requestsBefore).map((request) => request.contentRange);
    expect(resumedRanges[0]).toBe(`bytes ${3 * chunkBytes}-${4 * chunkBytes - 1}/${bytes}`);
    const videoId = store.get(recordingId)!.videoId!;
    expect(standIn.videos.get(videoId)!.complete).toBe(true);
    expect(standIn.bytesOf(videoId).equals(original)).toBe(true);
    expect(standIn.requests.every((request) => request.status !== 416 && request.status !== 400)).toBe(true);
    expect(reported).toEqual([
      {
        name: 'interview-recording',
        body: { interview_session_id: interviewId, recording_id: recordingId, provider: 'api.video', video_id: videoId, bytes, duration_ms: 59_000 },
      },
    ]);
  });

  it('the stand-in refuses a chunk whose Content-Range does not continue the upload', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(10)]), 'x.webm');
    const url = `${standIn.uploadUrl}?token=${standIn.token}`;
    const bad = await fetch(url, { method: 'POST', headers: { 'content-range': 'bytes 5-14/100' }, body: form });
    expect(bad.status).toBe(400);
    const wrongLength = await fetch(url, { method: 'POST', headers: { 'content-range': 'bytes 0-19/100' }, body: form });
    expect(wrongLength.status).toBe(400);
    const wrongToken = await fetch(`${standIn.uploadUrl}?token=nope`, { method: 'POST', headers: { 'content-range': 'bytes 0-9/100' }, body: form });
    expect(wrongToken.status).toBe(401);
  });
});
