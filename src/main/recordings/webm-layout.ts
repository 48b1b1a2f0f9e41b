// Reads the layout of a live WebM file (MediaRecorder's: a Segment and Clusters of unknown size, no
// Cues, no Duration) by walking element headers through a small window, skipping block payloads, and
// builds the header that makes it seekable. Nothing here holds more than the window, the small
// Info/Tracks elements and one entry per cluster, however long the recording is.
import { readSync } from 'node:fs';

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  Void: 0xec,
  Tags: 0x1254c367,
  Chapters: 0x1043a770,
  Attachments: 0x1941a469,
} as const;

/** Elements that can only sit directly in the Segment: one of them ends an unknown-size Cluster. */
const SEGMENT_CHILDREN = new Set<number>([ID.SeekHead, ID.Info, ID.Tracks, ID.Cues, ID.Cluster, ID.Tags, ID.Chapters, ID.Attachments]);
/** Metadata we read whole; anything larger is not a header MediaRecorder writes. */
const MAX_METADATA = 1024 * 1024;
const WINDOW = 256 * 1024;

export class WebmLayoutError extends Error {
  override name = 'WebmLayoutError';
}

interface Header {
  id: number;
  /** Null for an unknown ("live") size. */
  size: number | null;
  headerLength: number;
}

/** Positional reads through one reused window: sequential header walks touch the disk in big reads. */
class Window {
  private readonly buffer = Buffer.allocUnsafe(WINDOW);
  private start = 0;
  private length = 0;

  constructor(
    private readonly fd: number,
    readonly fileSize: number,
  ) {}

  /** Up to `count` (≤ WINDOW) bytes at `position`; fewer only at the end of the file. */
  bytes(position: number, count: number): Buffer {
    if (position < this.start || position + count > this.start + this.length) {
      this.start = position;
      this.length = 0;
      while (this.length < WINDOW) {
        const read = readSync(this.fd, this.buffer, this.length, WINDOW - this.length, position + this.length);
        if (read === 0) break;
        this.length += read;
      }
    }
    const offset = position - this.start;
    return this.buffer.subarray(offset, Math.min(offset + count, this.length));
  }

  /** A copy of a whole element body, for the few small elements we parse or rewrite. */
  copy(position: number, count: number): Buffer {
    if (count > MAX_METADATA) throw new WebmLayoutError(`a ${count}-byte metadata element is larger than a recording's header can be`);
    const out = Buffer.allocUnsafe(count);
    let done = 0;
    while (done < count) {
      const read = readSync(this.fd, out, done, count - done, position + done);
      if (read === 0) throw new WebmLayoutError('the file ends inside its header');
      done += read;
    }
    return out;
  }
}

/** The element header at `position`, or null if the file ends before the header does. */
function readHeader(window: Window, position: number): Header | null {
  const bytes = window.bytes(position, 12);
  if (bytes.length === 0) return null;
  const idLength = vintLength(bytes[0]!);
  if (idLength === 0 || idLength > 4) throw new WebmLayoutError(`no EBML element at byte ${position}`);
  if (bytes.length < idLength + 1) return null;
  const sizeLength = vintLength(bytes[idLength]!);
  if (sizeLength === 0) throw new WebmLayoutError(`bad element size at byte ${position}`);
  if (bytes.length < idLength + sizeLength) return null;
  const id = bytes.readUIntBE(0, idLength);
  let size = bytes[idLength]! & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i++) {
    const byte = bytes[idLength + i]!;
    size = size * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { id, size: allOnes ? null : size, headerLength: idLength + sizeLength };
}

function vintLength(first: number): number {
  for (let length = 1; length <= 8; length++) if (first & (0x100 >> length)) return length;
  return 0;
}

/** The children of a small element held in memory. */
function* children(body: Buffer): Generator<{ id: number; data: Buffer; raw: Buffer }> {
  let position = 0;
  while (position < body.length) {
    const idLength = vintLength(body[position]!);
    const sizeLength = vintLength(body[position + idLength] ?? 0);
    if (idLength === 0 || idLength > 4 || sizeLength === 0 || position + idLength + sizeLength > body.length) throw new WebmLayoutError('malformed header element');
    const id = body.readUIntBE(position, idLength);
    let size = body[position + idLength]! & (0xff >> sizeLength);
    for (let i = 1; i < sizeLength; i++) size = size * 256 + body[position + idLength + i]!;
    const dataStart = position + idLength + sizeLength;
    if (dataStart + size > body.length) throw new WebmLayoutError('malformed header element');
    yield { id, data: body.subarray(dataStart, dataStart + size), raw: body.subarray(position, dataStart + size) };
    position = dataStart + size;
  }
}

function readUint(data: Buffer): number {
  let value = 0;
  for (const byte of data) value = value * 256 + byte;
  return value;
}

export interface ClusterCue {
  /** In TimestampScale units. */
  time: number;
  track: number;
  /** Offset of the Cluster element in the copied body. */
  bodyOffset: number;
}

export interface WebmLayout {
  ebmlHeader: Buffer;
  /** Info's children other than Duration. */
  infoChildren: Buffer[];
  timestampScale: number;
  tracks: Buffer;
  /** In TimestampScale units: the last block's time plus one frame interval. */
  duration: number;
  cues: ClusterCue[];
  /** Source byte ranges copied unchanged after the new header, in order. */
  body: Array<{ start: number; end: number }>;
  /** Bytes before the first cluster in the source. */
  metadataSize: number;
}

/**
 * Walks the file once. A file cut off mid-element (a crash, a full disk) keeps everything up to its
 * last whole block; a known-size cluster that is cut off is dropped, since its size would lie.
 */
export function scanWebm(fd: number, fileSize: number): WebmLayout {
  const window = new Window(fd, fileSize);
  const ebml = readHeader(window, 0);
  if (!ebml || ebml.id !== ID.EBML || ebml.size === null) throw new WebmLayoutError('not a WebM file: no EBML header');
  const ebmlBody = window.copy(ebml.headerLength, ebml.size);
  const docType = [...children(ebmlBody)].find((child) => child.id === ID.DocType)?.data.toString('latin1').replace(/\0+$/, '');
  if (docType !== 'webm' && docType !== 'matroska') throw new WebmLayoutError(`not a WebM file: DocType ${docType ?? 'missing'}`);
  const ebmlHeader = window.copy(0, ebml.headerLength + ebml.size);

  const segmentStart = ebml.headerLength + ebml.size;
  const segment = readHeader(window, segmentStart);
  if (!segment || segment.id !== ID.Segment) throw new WebmLayoutError('not a WebM file: no Segment after the EBML header');
  const segmentDataStart = segmentStart + segment.headerLength;
  const segmentEnd = segment.size === null ? fileSize : Math.min(fileSize, segmentDataStart + segment.size);

  let info: Buffer | undefined;
  let tracks: Buffer | undefined;
  let metadataSize = -1;
  const body: WebmLayout['body'] = [];
  let bodyLength = 0;
  const keep = (start: number, end: number) => {
    const last = body.at(-1);
    if (last && last.end === start) last.end = end;
    else body.push({ start, end });
    bodyLength += end - start;
  };
  const clusters: Array<{ timestamp: number; bodyOffset: number; firstBlock: Map<number, number> }> = [];
  const lastTwo = new Map<number, [number, number]>();

  let position = segmentDataStart;
  while (position < segmentEnd) {
    const header = readHeader(window, position);
    if (!header) break;
    const dataStart = position + header.headerLength;
    if (header.id === ID.Cluster) {
      if (metadataSize < 0) metadataSize = position;
      const cluster = { timestamp: 0, bodyOffset: bodyLength, firstBlock: new Map<number, number>() };
      const end = scanCluster(window, dataStart, header.size === null ? null : dataStart + header.size, segmentEnd, (track, relative) => {
        if (!cluster.firstBlock.has(track)) cluster.firstBlock.set(track, relative);
        const time = cluster.timestamp + relative;
        const previous = lastTwo.get(track);
        lastTwo.set(track, [previous ? previous[1] : time, time]);
      }, (timestamp) => (cluster.timestamp = timestamp));
      if (end === null) break;
      keep(position, end.end);
      clusters.push(cluster);
      if (end.truncated) break;
      position = end.end;
      continue;
    }
    if (header.size === null) throw new WebmLayoutError(`an element of unknown size (id 0x${header.id.toString(16)}) other than a Cluster`);
    const end = dataStart + header.size;
    if (end > fileSize) break;
    if (header.id === ID.Info) info = window.copy(dataStart, header.size);
    else if (header.id === ID.Tracks) tracks = window.copy(position, end - position);
    // Any SeekHead, Cues or padding is replaced by the header written in front.
    else if (header.id !== ID.SeekHead && header.id !== ID.Cues && header.id !== ID.Void) keep(position, end);
    position = end;
  }
  if (!info || !tracks) throw new WebmLayoutError('the file ends before its Info and Tracks');
  if (clusters.length === 0) throw new WebmLayoutError('not a WebM stream with clusters');

  const infoChildren: Buffer[] = [];
  let timestampScale = 1_000_000;
  for (const child of children(info)) {
    if (child.id === ID.TimestampScale) timestampScale = readUint(child.data);
    if (child.id !== ID.Duration) infoChildren.push(Buffer.from(child.raw));
  }
  const cueTrack = chooseCueTrack(tracks);
  const cues = clusters.flatMap((cluster) => {
    // A cluster without a block of the cue track cannot start playback of it.
    const relative = cluster.firstBlock.get(cueTrack);
    return relative === undefined ? [] : [{ time: cluster.timestamp + relative, track: cueTrack, bodyOffset: cluster.bodyOffset }];
  });
  let duration = 0;
  for (const [previous, last] of lastTwo.values()) duration = Math.max(duration, last + Math.max(0, last - previous));
  return { ebmlHeader, infoChildren, timestampScale, tracks, duration, cues, body, metadataSize };
}

/**
 * Walks one cluster's children, reading only block headers. Returns where the cluster ends (for an
 * unknown size: at the next Segment-level element) and whether the file was cut off inside it, or null
 * if a cut-off known-size cluster must be dropped.
 */
function scanCluster(
  window: Window,
  dataStart: number,
  knownEnd: number | null,
  segmentEnd: number,
  onBlock: (track: number, relative: number) => void,
  onTimestamp: (timestamp: number) => void,
): { end: number; truncated: boolean } | null {
  const limit = knownEnd ?? segmentEnd;
  if (knownEnd !== null && knownEnd > window.fileSize) return null;
  let position = dataStart;
  while (position < limit) {
    const header = readHeader(window, position);
    if (!header) return { end: position, truncated: true };
    if (knownEnd === null && (SEGMENT_CHILDREN.has(header.id) || header.id === ID.EBML)) return { end: position, truncated: false };
    if (header.size === null) throw new WebmLayoutError(`an element of unknown size (id 0x${header.id.toString(16)}) inside a Cluster`);
    const childData = position + header.headerLength;
    const childEnd = childData + header.size;
    if (childEnd > window.fileSize) {
      if (knownEnd !== null) return null;
      return { end: position, truncated: true };
    }
    if (header.id === ID.Timestamp) onTimestamp(readUint(window.bytes(childData, header.size)));
    else if (header.id === ID.SimpleBlock) readBlock(window, childData, header.size, onBlock);
    else if (header.id === ID.BlockGroup) {
      for (let inner = childData; inner < childEnd; ) {
        const child = readHeader(window, inner);
        if (!child || child.size === null) throw new WebmLayoutError('malformed BlockGroup');
        if (child.id === ID.Block) readBlock(window, inner + child.headerLength, child.size, onBlock);
        inner += child.headerLength + child.size;
      }
    }
    position = childEnd;
  }
  return { end: limit, truncated: false };
}

function readBlock(window: Window, position: number, size: number, onBlock: (track: number, relative: number) => void): void {
  const bytes = window.bytes(position, Math.min(size, 11));
  const trackLength = vintLength(bytes[0] ?? 0);
  if (trackLength === 0 || trackLength > 8 || bytes.length < trackLength + 3) throw new WebmLayoutError(`malformed block at byte ${position}`);
  let track = bytes[0]! & (0xff >> trackLength);
  for (let i = 1; i < trackLength; i++) track = track * 256 + bytes[i]!;
  onBlock(track, bytes.readInt16BE(trackLength));
}

/** Cues on the video track, as players seek video; an audio-only recording cues its audio. */
function chooseCueTrack(tracksElement: Buffer): number {
  const header = children(tracksElement).next().value;
  if (!header) throw new WebmLayoutError('empty Tracks');
  const entries = [...children(header.data)].filter((child) => child.id === ID.TrackEntry).map((entry) => {
    let number = 0;
    let type = 0;
    for (const field of children(entry.data)) {
      if (field.id === ID.TrackNumber) number = readUint(field.data);
      if (field.id === ID.TrackType) type = readUint(field.data);
    }
    return { number, type };
  });
  const chosen = entries.find((entry) => entry.type === 1) ?? entries.find((entry) => entry.type === 2) ?? entries[0];
  if (!chosen) throw new WebmLayoutError('no tracks');
  return chosen.number;
}

// ---- writing ----

function encodeId(id: number): Buffer {
  const length = id > 0xffffff ? 4 : id > 0xffff ? 3 : id > 0xff ? 2 : 1;
  const out = Buffer.alloc(length);
  out.writeUIntBE(id, 0, length);
  return out;
}

function encodeSize(size: number, width?: number): Buffer {
  let length = width ?? 1;
  while (width === undefined && size >= 2 ** (7 * length) - 1) length++;
  if (length > 8) throw new WebmLayoutError('element too large');
  const out = Buffer.alloc(length);
  let rest = size;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  out[0]! |= 0x80 >> (length - 1);
  return out;
}

const element = (id: number, ...parts: Buffer[]) => {
  const data = Buffer.concat(parts);
  return Buffer.concat([encodeId(id), encodeSize(data.length), data]);
};
/** Always eight bytes: positions must not change the header's length, which they depend on. */
const fixedUint = (id: number, value: number) => {
  const data = Buffer.alloc(8);
  data.writeBigUInt64BE(BigInt(value));
  return element(id, data);
};

/**
 * EBML header + Segment (known size) + SeekHead + Info (with Duration) + Tracks + Cues. Positions are
 * relative to the Segment's data, and the clusters follow the Cues directly.
 */
export function seekableHeader(layout: WebmLayout, cues: readonly ClusterCue[]): Buffer {
  const info = element(ID.Info, ...layout.infoChildren, Buffer.concat([encodeId(ID.Duration), encodeSize(8), doubleBytes(layout.duration)]));
  const seekEntry = (id: number, position: number) => element(ID.Seek, element(ID.SeekID, encodeId(id)), fixedUint(ID.SeekPosition, position));
  const seekHeadLength = element(ID.SeekHead, seekEntry(ID.Info, 0), seekEntry(ID.Tracks, 0), seekEntry(ID.Cues, 0)).length;
  const cuesFor = (bodyStart: number) =>
    element(ID.Cues, ...cues.map((cue) => element(ID.CuePoint, fixedUint(ID.CueTime, cue.time), element(ID.CueTrackPositions, fixedUint(ID.CueTrack, cue.track), fixedUint(ID.CueClusterPosition, bodyStart + cue.bodyOffset)))));
  const cuesLength = cuesFor(0).length;
  const infoAt = seekHeadLength;
  const tracksAt = infoAt + info.length;
  const cuesAt = tracksAt + layout.tracks.length;
  const bodyStart = cuesAt + cuesLength;
  const seekHead = element(ID.SeekHead, seekEntry(ID.Info, infoAt), seekEntry(ID.Tracks, tracksAt), seekEntry(ID.Cues, cuesAt));
  const bodyLength = layout.body.reduce((sum, range) => sum + range.end - range.start, 0);
  return Buffer.concat([layout.ebmlHeader, encodeId(ID.Segment), encodeSize(bodyStart + bodyLength, 8), seekHead, info, layout.tracks, cuesFor(bodyStart)]);
}

function doubleBytes(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeDoubleBE(value);
  return out;
}
