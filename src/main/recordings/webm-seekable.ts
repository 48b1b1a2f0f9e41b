// MediaRecorder writes "live" WebM: no duration and no cues, so players cannot seek it. After the
// interview we stream the file through ts-ebml once (never holding it whole), let it build the
// seekable metadata (Duration, SeekHead, Cues), and write that header followed by the untouched clusters.
import { closeSync, createReadStream, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Decoder, Reader, tools, type EBMLElementDetail } from 'ts-ebml';

const COPY_CHUNK = 1024 * 1024;
/** Small reads keep the decoder's working set (and the garbage it makes) small on long recordings. */
const READ_CHUNK = 256 * 1024;

export interface WebmSummary {
  durationMs: number;
  /** Bytes before the first cluster in the source file. */
  metadataSize: number;
  cues: number;
}

/** Reads a (possibly cut) WebM stream and reports what a player would find in it. */
export async function readWebm(path: string, onElement?: (element: EBMLElementDetail) => void): Promise<WebmSummary & { reader: Reader }> {
  const decoder = new Decoder();
  const reader = new Reader();
  reader.logging = false;
  reader.drop_default_duration = false;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) {
    const buffer = chunk as Buffer;
    for (const element of decoder.decode(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer)) {
      onElement?.(element);
      reader.read(element);
    }
  }
  reader.stop();
  return {
    reader,
    durationMs: Math.round((reader.duration * reader.timestampScale) / 1e6),
    metadataSize: reader.metadataSize,
    cues: reader.cues.length,
  };
}

/** Writes a seekable copy of `source` to `target` (atomically, fsynced). */
export async function makeSeekable(source: string, target: string): Promise<WebmSummary> {
  const summary = await readWebm(source);
  const { reader } = summary;
  if (!reader.metadatas.length || summary.metadataSize <= 0) throw new Error('not a WebM stream with clusters');
  const header = seekableHeader(reader);
  const temporary = `${target}.tmp`;
  const out = openSync(temporary, 'w');
  const input = openSync(source, 'r');
  try {
    writeSync(out, header);
    const buffer = Buffer.allocUnsafe(COPY_CHUNK);
    let position = summary.metadataSize;
    for (;;) {
      const read = readSync(input, buffer, 0, COPY_CHUNK, position);
      if (read === 0) break;
      writeSync(out, buffer, 0, read);
      position += read;
    }
    fsyncSync(out);
  } finally {
    closeSync(out);
    closeSync(input);
  }
  renameSync(temporary, target);
  syncDirectory(dirname(target));
  return { durationMs: summary.durationMs, metadataSize: summary.metadataSize, cues: summary.cues };
}

/** Makes the rename itself durable: the caller deletes the original once this returns. */
function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch (error) {
    // Windows cannot open or fsync a directory; NTFS journals the rename itself.
    if (process.platform !== 'win32') throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * ts-ebml's encoder hands back `buffer.buffer`; for Buffers small enough to come from Node's shared
 * pool that is the whole 8 KiB pool, which corrupts the sizes it computes. With pooling off for this
 * one synchronous call, every Buffer owns its ArrayBuffer.
 */
function seekableHeader(reader: Reader): Buffer {
  const poolSize = Buffer.poolSize;
  Buffer.poolSize = 0;
  try {
    return Buffer.from(tools.makeMetadataSeekable(reader.metadatas, reader.duration, thinCues(reader.cues, reader.duration, reader.timestampScale)));
  } finally {
    Buffer.poolSize = poolSize;
  }
}

const MAX_CUES = 400;

/**
 * One cue per cluster (about one a second from MediaRecorder) is more than a player needs, and
 * ts-ebml's header builder is quadratic in the number of cues. A cue every ≥ 10 s (fewer for very
 * long files) still lets a player seek straight to the right neighbourhood.
 */
export function thinCues<T extends { CueTime: number }>(cues: readonly T[], duration: number, timestampScale: number): T[] {
  const ticksPerSecond = 1e9 / timestampScale;
  const spacing = Math.max(10 * ticksPerSecond, duration / MAX_CUES);
  const kept: T[] = [];
  for (const cue of cues) {
    if (kept.length === 0 || cue.CueTime - kept.at(-1)!.CueTime >= spacing) kept.push(cue);
  }
  return kept;
}
