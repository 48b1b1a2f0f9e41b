// Makes a live-style WebM stream like MediaRecorder's (segment and clusters of unknown size, no cues,
// no duration) in chunks, so recording tests exercise the real ts-ebml path without a camera.
import { Encoder, tools, type EBMLElementBuffer, type EBMLElementValue } from 'ts-ebml';

const master = (name: string, isEnd: boolean, unknownSize = false): EBMLElementValue => ({ name, type: 'm', isEnd, unknownSize }) as EBMLElementValue;
const uint = (name: string, value: number): EBMLElementValue => ({ name, type: 'u', value }) as EBMLElementValue;
const str = (name: string, value: string): EBMLElementValue => ({ name, type: 's', value }) as EBMLElementValue;
const utf8 = (name: string, value: string): EBMLElementValue => ({ name, type: '8', value }) as EBMLElementValue;
const bin = (name: string, value: Buffer): EBMLElementValue => ({ name, type: 'b', value }) as EBMLElementValue;

function encode(elements: EBMLElementValue[]): Buffer {
  // ts-ebml's Encoder returns `buffer.buffer`, which for small pooled Buffers is the whole 8 KiB pool.
  const poolSize = Buffer.poolSize;
  Buffer.poolSize = 0;
  try {
    return Buffer.from(new Encoder().encode(elements.map((element) => tools.encodeValueToBuffer(element as never) as EBMLElementBuffer)));
  } finally {
    Buffer.poolSize = poolSize;
  }
}

export function webmHeader(): Buffer {
  return encode([
    master('EBML', false),
    uint('EBMLVersion', 1),
    uint('EBMLReadVersion', 1),
    uint('EBMLMaxIDLength', 4),
    uint('EBMLMaxSizeLength', 8),
    str('DocType', 'webm'),
    uint('DocTypeVersion', 4),
    uint('DocTypeReadVersion', 2),
    master('EBML', true),
    master('Segment', false, true),
    master('Info', false),
    uint('TimestampScale', 1_000_000),
    utf8('MuxingApp', 'kiosk-test'),
    utf8('WritingApp', 'kiosk-test'),
    master('Info', true),
    master('Tracks', false),
    master('TrackEntry', false),
    uint('TrackNumber', 1),
    uint('TrackUID', 1),
    str('CodecID', 'V_VP8'),
    uint('TrackType', 1),
    master('Video', false),
    uint('PixelWidth', 320),
    uint('PixelHeight', 240),
    master('Video', true),
    master('TrackEntry', true),
    master('Tracks', true),
  ]);
}

/** One cluster of `frames` video frames, 33 ms apart, starting at `startMs`, each `frameBytes` long. */
export function webmCluster(startMs: number, frames: number, frameBytes: number): Buffer {
  const elements: EBMLElementValue[] = [master('Cluster', false, true), uint('Timestamp', startMs)];
  for (let frame = 0; frame < frames; frame++) {
    const relative = frame * 33;
    const block = Buffer.alloc(4 + frameBytes, frame & 0xff);
    block[0] = 0x81; // track number 1 as a vint
    block.writeInt16BE(relative, 1);
    block[3] = frame === 0 ? 0x80 : 0x00; // keyframe flag on the first frame
    elements.push(bin('SimpleBlock', block));
  }
  return encode(elements);
}

/** A whole live WebM stream of `clusters` one-second clusters, yielded as MediaRecorder-like chunks. */
export function* webmChunks(options: { clusters: number; framesPerCluster?: number; frameBytes?: number }): Generator<Buffer> {
  yield webmHeader();
  const frames = options.framesPerCluster ?? 30;
  for (let cluster = 0; cluster < options.clusters; cluster++) {
    yield webmCluster(cluster * frames * 33, frames, options.frameBytes ?? 200);
  }
}
