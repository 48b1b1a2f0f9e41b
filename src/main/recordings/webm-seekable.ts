// MediaRecorder writes "live" WebM: no duration and no cues, so players cannot seek it. After the
// interview we walk the file's element headers once (webm-layout), write a header with Duration,
// SeekHead and Cues, and copy the clusters after it untouched. readWebm decodes a file with ts-ebml,
// for checking what a player finds in one.
import { closeSync, createReadStream, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Decoder, Reader, type EBMLElementDetail } from 'ts-ebml';
import { scanWebm, seekableHeader } from './webm-layout';

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
      // ts-ebml's Reader takes a known-size Segment's end for a second Segment and warns about it.
      if (element.name === 'Segment' && element.type === 'm' && element.isEnd) continue;
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

/**
 * Writes a seekable copy of `source` to `target` (atomically, fsynced): one pass over the element
 * headers builds the cues, then the new header is written and the clusters are copied unchanged.
 * Memory stays flat however long the recording is.
 */
export async function makeSeekable(source: string, target: string): Promise<WebmSummary> {
  const input = openSync(source, 'r');
  const temporary = `${target}.tmp`;
  let summary: WebmSummary;
  try {
    const layout = scanWebm(input, fstatSync(input).size);
    const cues = thinCues(layout.cues.map((cue) => ({ ...cue, CueTime: cue.time })), layout.duration, layout.timestampScale);
    const header = seekableHeader(layout, cues);
    const out = openSync(temporary, 'w');
    try {
      writeSync(out, header);
      const buffer = Buffer.allocUnsafe(COPY_CHUNK);
      for (const range of layout.body) {
        for (let position = range.start; position < range.end; ) {
          const read = readSync(input, buffer, 0, Math.min(COPY_CHUNK, range.end - position), position);
          if (read === 0) throw new Error('the recording shrank while it was being made seekable');
          writeSync(out, buffer, 0, read);
          position += read;
        }
      }
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    summary = { durationMs: Math.round((layout.duration * layout.timestampScale) / 1e6), metadataSize: layout.metadataSize, cues: cues.length };
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    closeSync(input);
  }
  renameSync(temporary, target);
  syncDirectory(dirname(target));
  return summary;
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

const MAX_CUES = 400;

/**
 * One cue per cluster (about one a second from MediaRecorder) is more than a player needs: a cue
 * every ≥ 10 s (fewer for very long files) keeps the header small and still lets a player seek
 * straight to the right neighbourhood.
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
