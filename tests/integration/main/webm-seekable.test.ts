// The seekable pass on its own: its output decoded back with ts-ebml (an independent parser) must be
// a well-formed WebM whose header says what a player needs and whose clusters are the input's bytes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decoder, type EBMLElementDetail } from 'ts-ebml';
import { makeSeekable } from '../../../src/main/recordings/webm-seekable';
import { webmCluster, webmHeader } from '../../support/webm-stream';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seekable-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const CLUSTER_MS = 30 * 33;
const liveClusters = (count: number) => Array.from({ length: count }, (_, i) => webmCluster(i * CLUSTER_MS, 30, 500 + i));

/** ts-ebml writes a live cluster's size as the 8-byte "unknown"; this states its real size instead. */
function knownSize(cluster: Buffer): Buffer {
  const out = Buffer.from(cluster);
  expect(out.subarray(4, 12).toString('hex')).toBe('01ffffffffffffff');
  out[4] = 0x01;
  out.writeUIntBE(cluster.length - 12, 6, 6);
  out[5] = 0;
  return out;
}

function decode(file: Buffer): EBMLElementDetail[] {
  return new Decoder().decode(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
}

async function seekable(input: Buffer) {
  const source = join(dir, 'live.webm');
  const target = join(dir, 'seekable.webm');
  writeFileSync(source, input);
  const summary = await makeSeekable(source, target);
  const file = readFileSync(target);
  const elements = decode(file);
  const segment = elements.find((element) => element.name === 'Segment' && !(element as { isEnd?: boolean }).isEnd)!;
  const clusterStarts = elements.filter((element) => element.name === 'Cluster' && !(element as { isEnd?: boolean }).isEnd).map((element) => element.tagStart);
  const value = (name: string) => elements.filter((element) => element.name === name).map((element) => Number((element as { value: number }).value));
  return { summary, file, elements, segment, clusterStarts, value, target };
}

function expectValid(result: Awaited<ReturnType<typeof seekable>>, expectedClusterBytes: Buffer) {
  const { file, elements, segment, clusterStarts, value } = result;
  // The Segment states its real size, ending exactly at the end of the file.
  expect(file[segment.tagStart + 4]).toBe(0x01);
  expect(segment.dataStart + Number(file.readBigUInt64BE(segment.tagStart + 4) & 0xff_ffff_ffff_ffffn)).toBe(file.length);
  expect(value('Duration')).toHaveLength(1);
  // SeekHead entries point at the element they name, relative to the Segment's data.
  const seekIds = elements.filter((element) => element.name === 'SeekID').map((element) => Buffer.from((element as unknown as { data: Uint8Array }).data).toString('hex'));
  const seekPositions = value('SeekPosition');
  expect(seekIds).toEqual(['1549a966', '1654ae6b', '1c53bb6b']);
  seekIds.forEach((id, i) => expect(file.subarray(segment.dataStart + seekPositions[i]!, segment.dataStart + seekPositions[i]! + 4).toString('hex')).toBe(id));
  // Every cue lands on the start of a Cluster element, and cue times rise with the clusters.
  const cues = value('CueClusterPosition');
  expect(cues.length).toBeGreaterThan(0);
  for (const position of cues) expect(clusterStarts).toContain(segment.dataStart + position);
  expect(value('CueTime')).toEqual([...value('CueTime')].sort((a, b) => a - b));
  // The clusters are the input's bytes, unchanged, and are the last thing in the file.
  expect(file.subarray(clusterStarts[0]!).equals(expectedClusterBytes)).toBe(true);
}

describe('makeSeekable', () => {
  it('writes a valid seekable file around the live clusters, copied unchanged', async () => {
    const clusters = liveClusters(45);
    const result = await seekable(Buffer.concat([webmHeader(), ...clusters]));
    expectValid(result, Buffer.concat(clusters));
    expect(result.clusterStarts).toHaveLength(45);
    // Last frame at 44 × 990 + 29 × 33 ms, plus one frame interval.
    expect(result.value('Duration')[0]).toBe(44 * CLUSTER_MS + 30 * 33);
    expect(result.summary).toMatchObject({ durationMs: 44 * CLUSTER_MS + 30 * 33, metadataSize: webmHeader().length, cues: 5 });
    // A cue every ≥ 10 s: the clusters at 0, 11, 22, 33 and 44 × 990 ms.
    expect(result.value('CueTime')).toEqual([0, 11, 22, 33, 44].map((cluster) => cluster * CLUSTER_MS));
  });

  it('gives the same file when run on its own output', async () => {
    const clusters = liveClusters(25);
    const first = await seekable(Buffer.concat([webmHeader(), ...clusters]));
    const again = await seekable(first.file);
    expect(again.file.equals(first.file)).toBe(true);
  });

  it('handles clusters of known size, dropping a known-size cluster the file cuts off', async () => {
    const clusters = liveClusters(12).map(knownSize);
    const whole = Buffer.concat([webmHeader(), ...clusters]);
    expectValid(await seekable(whole), Buffer.concat(clusters));
    const cut = await seekable(whole.subarray(0, whole.length - 700));
    expectValid(cut, Buffer.concat(clusters.slice(0, 11)));
    expect(cut.clusterStarts).toHaveLength(11);
  });

  it('keeps a cut-off live file up to its last whole block', async () => {
    const clusters = liveClusters(12);
    const whole = Buffer.concat([webmHeader(), ...clusters]);
    // 700 bytes into the last cluster's second block, which is 4 + 511 bytes after a 3-byte header.
    const lastStart = whole.length - clusters[11]!.length;
    const firstBlockEnd = lastStart + 12 + 2 + 2 + 3 + 4 + 511;
    const result = await seekable(whole.subarray(0, firstBlockEnd + 100));
    expectValid(result, whole.subarray(webmHeader().length, firstBlockEnd));
    expect(result.elements.filter((element) => element.name === 'SimpleBlock')).toHaveLength(11 * 30 + 1);
  });

  it('refuses what is not a live WebM recording, leaving no file behind', async () => {
    const header = webmHeader();
    const notWebm = Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt this is not a WebM file at all');
    const matroskaDocType = Buffer.from(header);
    matroskaDocType.write('mkv3', header.indexOf('webm'), 'latin1');
    const cases: Array<[Buffer, RegExp]> = [
      [notWebm, /not a WebM file/],
      [Buffer.alloc(0), /not a WebM file/],
      [matroskaDocType, /DocType mkv3/],
      [header.subarray(0, 60), /ends (before|inside) its (Info and Tracks|header)/],
      [header, /not a WebM stream with clusters/],
    ];
    for (const [input, message] of cases) {
      await expect(seekable(input)).rejects.toThrow(message);
      expect(existsSync(join(dir, 'seekable.webm'))).toBe(false);
      expect(existsSync(join(dir, 'seekable.webm.tmp'))).toBe(false);
    }
  });
});
