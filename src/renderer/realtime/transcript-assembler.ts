// Builds the interview transcript from transcript signals: entries sit in the provider's item order
// (not arrival order), grow with live deltas, and are committed — uuid v7 + the next seq — strictly in
// that order once every earlier turn has ended, so seqs never skip and never repeat.
import { v7 as uuidv7 } from 'uuid';
import { MAX_ENTRY_TEXT, MAX_HEARD_MS, type EntryStatus, type Speaker, type TranscriptEntry } from '../../shared/domain/transcript';
import { heardPrefix } from './heard-text';
import type { TranscriptSignal } from './provider-events';


export type TurnState = 'live' | 'text-done' | EntryStatus;

export interface TranscriptTurn {
  /** The provider's item id: the React key and the de-duplication key. */
  itemId: string;
  speaker: Speaker;
  text: string;
  state: TurnState;
  /** Set when the turn was committed: its entry went (or is going) to main. */
  entry: TranscriptEntry | null;
  /** Main acknowledged the entry as durable. */
  saved: boolean;
}

export interface TranscriptAssemblerOptions {
  /** The first seq to hand out; the launch's `nextSeq`. */
  nextSeq: number;
  now?: () => number;
  newId?: () => string;
  /** A turn still open this long after a later turn ended is given up on (failed / interrupted). */
  staleTurnMs?: number;
  /**
   * An interviewer turn ends when its text is complete AND its audio ended. When one of the two never
   * comes, the turn is committed this long after the other, or, for text whose audio end is missing,
   * once the reply's estimated playing time has passed too.
   */
  turnEndGraceMs?: number;
  /** Speaking rate assumed before this session's fully played replies calibrate it. */
  defaultMsPerChar?: number;
  /** Entries already committed in an earlier run of this window (e.g. after a reload), in order. */
  committed?: TranscriptEntry[];
}

type AudioEnd = { cut: false; playedMs: number | null } | { cut: true; heardMs: number; heard: { text: string; estimated: boolean } | null };

/** Characters of transcript the session's fully played replies count before they outweigh the default rate. */
const RATE_PRIOR_CHARS = 200;
/** Speech faster or slower than this (ms per transcript character) is a measuring error, not a rate. */
const MIN_MS_PER_CHAR = 25;
const MAX_MS_PER_CHAR = 250;

interface Turn extends TranscriptTurn {
  createdAt: number;
  textDoneAt: number | null;
  confidence: number | null;
  /** How the interviewer's audio for this turn ended, once it did. */
  audio: AudioEnd | null;
  audioEndedAt: number | null;
  /** Placed without knowing its predecessor; may still move once the provider says where it goes. */
  provisional: boolean;
  /** The last view handed to the UI; kept while the turn is unchanged so memoised rows skip re-rendering. */
  view: TranscriptTurn | null;
  /** Index in `order` as of the last full snapshot. */
  position: number;
}

export class TranscriptAssembler {
  private readonly turns = new Map<string, Turn>();
  private readonly order: Turn[] = [];
  /** Provider ids of items that only restate earlier turns (the seed of a new call). */
  private readonly seedIds = new Set<string>();
  /** Index in `order` of the first turn not yet committed. */
  private head = 0;
  private nextSeq: number;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly staleTurnMs: number;
  private readonly turnEndGraceMs: number;
  private readonly defaultMsPerChar: number;
  /** Playback measured on this session's fully played replies, to estimate where a cut fell in the text. */
  private playedMs = 0;
  private playedChars = 0;
  private pending: TranscriptEntry[] = [];
  private version = 0;
  private snapshotCache: { version: number; turns: TranscriptTurn[] } | null = null;
  /** Turns whose view changed since the last snapshot; a change of order rebuilds it whole. */
  private readonly dirty = new Set<Turn>();
  private reordered = true;
  private unsaved = 0;
  /** Committed turns not yet acknowledged by main, by entry id. */
  private readonly byEntryId = new Map<string, Turn>();

  constructor(options: TranscriptAssemblerOptions) {
    this.nextSeq = options.nextSeq;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? uuidv7;
    this.staleTurnMs = options.staleTurnMs ?? 15_000;
    this.turnEndGraceMs = options.turnEndGraceMs ?? 3_000;
    this.defaultMsPerChar = options.defaultMsPerChar ?? 70;
    for (const entry of options.committed ?? []) this.adoptCommitted(entry);
  }

  /** Applies signals from the provider; returns true when anything visible changed. */
  apply(signals: readonly TranscriptSignal[]): boolean {
    let changed = false;
    for (const signal of signals) changed = this.applyOne(signal) || changed;
    if (changed) this.advance();
    return changed;
  }

  /** Time-based decisions: stale turns and interviewer turns whose end never came. */
  tick(): boolean {
    const now = this.now();
    let changed = false;
    for (let index = this.head; index < this.order.length; index++) {
      const turn = this.order[index]!;
      if (turn.speaker !== 'interviewer' || isEnded(turn.state)) continue;
      if (turn.audio && turn.audioEndedAt !== null && now - turn.audioEndedAt >= this.turnEndGraceMs) {
        // The audio ended but the text never completed: keep what streamed.
        changed = this.finishInterviewer(turn) || changed;
      } else if (!turn.audio && turn.state === 'text-done' && turn.textDoneAt !== null && now >= this.playbackDeadline(turn)) {
        // No audio end ever came (a transport without playback events): assume it played to the end.
        changed = this.end(turn, 'final') || changed;
      }
    }
    const head = this.order[this.head];
    if (head && !isEnded(head.state) && now - head.createdAt >= this.staleTurnMs && this.order.slice(this.head + 1).some((turn) => isEnded(turn.state))) {
      if (head.speaker === 'candidate') changed = this.end(head, 'failed') || changed;
      else if (head.audio) changed = this.finishInterviewer(head) || changed;
      else changed = this.end(head, head.state === 'text-done' ? 'final' : 'interrupted') || changed;
    }
    if (changed) this.advance();
    return changed;
  }

  /** The interview is over: every open turn ends as it stands, so nothing spoken is lost. */
  closeAll(): void {
    for (let index = this.head; index < this.order.length; index++) {
      const turn = this.order[index]!;
      if (isEnded(turn.state)) continue;
      if (turn.audio) this.finishInterviewer(turn);
      else if (turn.state === 'text-done') this.end(turn, 'final');
      else if (turn.speaker === 'candidate') this.end(turn, turn.text ? 'final' : 'failed');
      else this.end(turn, 'interrupted');
    }
    this.advance();
  }

  /** Entries committed since the last call, in seq order, for hand-off to main. */
  takeCommitted(): TranscriptEntry[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  markSaved(ids: readonly string[]): void {
    for (const id of ids) {
      const turn = this.byEntryId.get(id);
      if (!turn || turn.saved) continue;
      turn.saved = true;
      this.unsaved--;
      this.byEntryId.delete(id);
      this.touch(turn);
    }
  }

  /** Committed entries in order: what a new provider session is seeded with after a reconnect. */
  committedEntries(): TranscriptEntry[] {
    const entries: TranscriptEntry[] = [];
    for (const turn of this.order) if (turn.entry) entries.push(turn.entry);
    return entries;
  }

  /**
   * Items the client itself created in the provider's conversation (the seed after a reconnect)
   * are echoed back by the provider; they are the transcript so far, not new turns.
   */
  adoptSeedItem(itemId: string, entry: TranscriptEntry): void {
    const existing = this.order.find((turn) => turn.entry?.id === entry.id);
    if (!existing) return;
    this.turns.set(itemId, existing);
    this.seedIds.add(itemId);
  }

  /** The last seq handed out, or -1 when none was. */
  lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** An immutable view for the UI, rebuilt only when something changed. */
  snapshot(): TranscriptTurn[] {
    if (this.snapshotCache?.version === this.version) return this.snapshotCache.turns;
    let turns: TranscriptTurn[];
    if (this.reordered || !this.snapshotCache) {
      turns = this.order.map((turn, index) => {
        turn.position = index;
        return this.viewOf(turn);
      });
      this.reordered = false;
    } else {
      // A live delta touches one turn: copy the array and patch it, rather than rebuild thousands.
      turns = this.snapshotCache.turns.slice();
      for (const turn of this.dirty) turns[turn.position] = this.viewOf(turn);
    }
    this.dirty.clear();
    this.snapshotCache = { version: this.version, turns };
    return turns;
  }

  /** Entries handed to main that it has not yet acknowledged. */
  unsavedCount(): number {
    return this.unsaved;
  }

  private viewOf(turn: Turn): TranscriptTurn {
    turn.view ??= { itemId: turn.itemId, speaker: turn.speaker, text: turn.text, state: turn.state, entry: turn.entry, saved: turn.saved };
    return turn.view;
  }

  private applyOne(signal: TranscriptSignal): boolean {
    switch (signal.kind) {
      case 'item':
        return this.place(signal.itemId, signal.speaker, signal.previousItemId);
      case 'delta': {
        const turn = this.ensure(signal.itemId, signal.speaker);
        if (turn.state !== 'live') return false;
        turn.text += signal.text;
        return this.touch(turn);
      }
      case 'text-done': {
        const turn = this.ensure(signal.itemId, signal.speaker);
        if (turn.state === 'failed' && signal.text.trim() !== '') return this.lateText(turn, signal.text, signal.confidence);
        if (isEnded(turn.state)) return false;
        turn.confidence = signal.confidence;
        return this.textComplete(turn, signal.text);
      }
      case 'generation-done': {
        const turn = this.turns.get(signal.itemId);
        if (!turn || turn.state !== 'live') return false;
        return this.textComplete(turn, signal.transcript);
      }
      case 'audio-end': {
        const turn = this.turns.get(signal.itemId);
        if (!turn || isEnded(turn.state) || turn.audio) return false;
        turn.audio = signal.cut ? { cut: true, heardMs: signal.heardMs, heard: null } : { cut: false, playedMs: signal.playedMs };
        turn.audioEndedAt = this.now();
        if (turn.state === 'text-done') return this.finishInterviewer(turn);
        return false;
      }
      case 'turn-end': {
        const turn = this.turns.get(signal.itemId);
        if (!turn) return false;
        if (signal.status === 'interrupted' && signal.heard && !isEnded(turn.state)) {
          turn.audio = { cut: true, heardMs: signal.heard.ms, heard: { text: signal.heard.text, estimated: signal.heard.estimated } };
        }
        return this.end(turn, signal.status);
      }
      case 'failed': {
        const turn = this.ensure(signal.itemId, signal.speaker);
        return this.end(turn, 'failed');
      }
      default:
        return false;
    }
  }

  private place(itemId: string, speaker: Speaker, previousItemId: string | null): boolean {
    const existing = this.turns.get(itemId);
    if (existing) {
      // A provisional turn learns its real place, unless it has already been committed.
      if (!existing.provisional || previousItemId === null || existing.entry) return false;
      if (this.seedIds.has(previousItemId)) {
        existing.provisional = false;
        return false;
      }
      const previous = this.turns.get(previousItemId);
      if (!previous || previous === existing) return false;
      const from = this.order.indexOf(existing);
      // Already passed by the commit head (an empty final): moving it would slide an uncommitted turn behind the head.
      if (from < this.head) {
        existing.provisional = false;
        return false;
      }
      this.order.splice(from, 1);
      const after = this.order.indexOf(previous);
      const to = Math.max(after + 1, this.head);
      this.order.splice(to, 0, existing);
      existing.provisional = false;
      return this.touch();
    }
    const turn = this.create(itemId, speaker);
    // After a seed, the provider's chain runs through copies of old turns: what follows a seed item
    // is new, so it goes after everything the new call has produced so far.
    const afterSeed = previousItemId !== null && this.seedIds.has(previousItemId);
    const previous = previousItemId === null || afterSeed ? undefined : this.turns.get(previousItemId);
    turn.provisional = previous === undefined && !afterSeed;
    // Never in front of what is already committed: seqs only grow.
    const at = previous ? Math.max(this.order.indexOf(previous) + 1, this.head) : this.order.length;
    this.order.splice(at, 0, turn);
    return this.touch();
  }

  private ensure(itemId: string, speaker: Speaker): Turn {
    const existing = this.turns.get(itemId);
    if (existing) return existing;
    const turn = this.create(itemId, speaker);
    turn.provisional = true;
    this.order.push(turn);
    this.touch();
    return turn;
  }

  private create(itemId: string, speaker: Speaker): Turn {
    const turn: Turn = {
      itemId,
      speaker,
      text: '',
      state: 'live',
      entry: null,
      saved: false,
      createdAt: this.now(),
      textDoneAt: null,
      confidence: null,
      audio: null,
      audioEndedAt: null,
      provisional: false,
      view: null,
      position: -1,
    };
    this.turns.set(itemId, turn);
    return turn;
  }

  /** The turn's text is complete (`text`, or what streamed when null); an interviewer turn whose audio already ended ends with it. */
  private textComplete(turn: Turn, text: string | null): true {
    if (text !== null) turn.text = text;
    turn.state = 'text-done';
    turn.textDoneAt = this.now();
    this.touch(turn);
    if (turn.audio) this.finishInterviewer(turn);
    return true;
  }

  /** Ends an interviewer turn as its audio ended: cut (what was heard is kept apart) or played through. */
  private finishInterviewer(turn: Turn): boolean {
    const audio = turn.audio;
    if (!audio) return false;
    const chars = turn.text.trim().length;
    // Only plausible speech calibrates: a stop reported right after the start says nothing about the rate.
    if (!audio.cut && audio.playedMs !== null && chars > 0 && audio.playedMs / chars >= MIN_MS_PER_CHAR && audio.playedMs / chars <= MAX_MS_PER_CHAR) {
      this.playedMs += audio.playedMs;
      this.playedChars += chars;
    }
    return this.end(turn, audio.cut ? 'interrupted' : 'final');
  }

  /** Wall-clock time by which a reply whose text is complete must have finished playing. */
  private playbackDeadline(turn: Turn): number {
    const playing = turn.createdAt + turn.text.length * this.msPerChar() * 1.25;
    return Math.max(turn.textDoneAt! , playing) + this.turnEndGraceMs;
  }

  /** Milliseconds of audio per transcript character: the default, pulled toward what this session measured. */
  private msPerChar(): number {
    return (this.playedMs + this.defaultMsPerChar * RATE_PRIOR_CHARS) / (this.playedChars + RATE_PRIOR_CHARS);
  }

  /**
   * A transcription that completed after its turn was given up on. Before the stand-in was committed it
   * simply becomes the turn's text; after, a correction entry replaces the stand-in at the same seq.
   */
  private lateText(turn: Turn, text: string, confidence: number | null): boolean {
    turn.text = text;
    turn.confidence = confidence;
    turn.state = 'final';
    const standIn = turn.entry;
    if (standIn && standIn.corrects === undefined) {
      const correction: TranscriptEntry = {
        id: this.newId(),
        seq: standIn.seq,
        speaker: standIn.speaker,
        text: capText(text.trim()),
        timestamp: standIn.timestamp,
        confidence,
        status: 'final',
        corrects: standIn.id,
      };
      if (standIn.itemId !== undefined) correction.itemId = standIn.itemId;
      if (!turn.saved) this.byEntryId.delete(standIn.id);
      else this.unsaved++;
      turn.entry = correction;
      turn.saved = false;
      this.byEntryId.set(correction.id, turn);
      this.pending.push(correction);
    }
    return this.touch(turn);
  }

  private end(turn: Turn, status: EntryStatus): boolean {
    if (isEnded(turn.state)) return false;
    turn.state = status;
    return this.touch(turn);
  }

  /** Commits ended turns from the head while the head has ended; a still-open turn holds back later ones. */
  private advance(): void {
    while (this.head < this.order.length) {
      const turn = this.order[this.head]!;
      if (!isEnded(turn.state)) break;
      this.head++;
      // Its place is settled for good once the head has passed it.
      turn.provisional = false;
      if (turn.entry) continue;
      const status = turn.state as EntryStatus;
      // A turn with no words that neither failed nor was cut off carries nothing worth keeping.
      if (status === 'final' && turn.text.trim() === '') continue;
      const entry: TranscriptEntry = {
        id: this.newId(),
        seq: this.nextSeq++,
        speaker: turn.speaker,
        text: capText(turn.text.trim()),
        timestamp: new Date(turn.createdAt).toISOString(),
        confidence: turn.confidence,
        status,
      };
      if (status === 'interrupted' && turn.speaker === 'interviewer' && turn.audio?.cut) {
        this.keepHeard(entry, turn.audio);
        // The room shows what the candidate heard; the generated text stays on the entry.
        turn.text = entry.text;
      }
      // Main and the server refuse an empty item id; without one the entry is still whole.
      if (turn.itemId !== '') entry.itemId = turn.itemId.slice(0, 200);
      turn.entry = entry;
      this.unsaved++;
      this.byEntryId.set(entry.id, turn);
      this.pending.push(entry);
      this.touch(turn);
    }
  }

  /** An interrupted reply stores what was heard as its text, and what was generated beside it. */
  private keepHeard(entry: TranscriptEntry, audio: Extract<AudioEnd, { cut: true }>): void {
    const generated = entry.text;
    const fromTimeline = audio.heard !== null && generated.startsWith(audio.heard.text) ? audio.heard : null;
    entry.generatedText = generated;
    // Never claim more than was generated, whatever the provider's timeline says.
    entry.text = fromTimeline ? fromTimeline.text : heardPrefix(generated, audio.heardMs, this.msPerChar());
    entry.heardMs = Math.min(audio.heardMs, MAX_HEARD_MS);
    entry.heardEstimated = fromTimeline ? fromTimeline.estimated : true;
  }

  private adoptCommitted(entry: TranscriptEntry): void {
    if (entry.corrects !== undefined) {
      const standIn = this.order.find((turn) => turn.entry?.id === entry.corrects);
      if (standIn) {
        standIn.entry = entry;
        standIn.text = entry.text;
        standIn.state = entry.status;
        return;
      }
    }
    const turn = this.create(entry.itemId ?? `restored-${entry.id}`, entry.speaker);
    turn.text = entry.text;
    turn.state = entry.status;
    turn.entry = entry;
    turn.saved = true;
    turn.createdAt = Date.parse(entry.timestamp);
    this.order.push(turn);
    this.head = this.order.length;
    this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
  }

  private touch(turn?: Turn): true {
    if (turn) {
      turn.view = null;
      this.dirty.add(turn);
    } else {
      this.reordered = true;
    }
    this.version++;
    return true;
  }
}

function capText(text: string): string {
  if (text.length <= MAX_ENTRY_TEXT) return text;
  const cut = text.slice(0, MAX_ENTRY_TEXT);
  // Never leave half of a surrogate pair at the cut.
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function isEnded(state: TurnState): state is EntryStatus {
  return state === 'final' || state === 'failed' || state === 'interrupted';
}
