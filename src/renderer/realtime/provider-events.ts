// Reads the provider's data-channel events — Realtime GA and GPT-Live — into one small vocabulary of
// transcript signals, so the assembler never needs to know which provider is on the line.
import type { Speaker } from '../../shared/domain/transcript';
import { heardPrefix } from './heard-text';

export type TranscriptSignal =
  /** A conversation item exists; `previousItemId` places it in the provider's order. */
  | { kind: 'item'; itemId: string; speaker: Speaker; previousItemId: string | null }
  | { kind: 'delta'; itemId: string; speaker: Speaker; text: string }
  /** The full transcript of a turn; for the interviewer this does not yet say how the turn ended. */
  | { kind: 'text-done'; itemId: string; speaker: Speaker; text: string; confidence: number | null }
  /**
   * The interviewer's reply is fully generated (`response.done`): its text is complete, its audio may
   * still be playing. `transcript` is the item's own transcript when the event carries one.
   */
  | { kind: 'generation-done'; itemId: string; transcript: string | null }
  /**
   * The interviewer's audio for this item stopped: played to the end (`playedMs`, wall clock from
   * `output_audio_buffer.started`, when known) or cut by the candidate after `heardMs` of it played.
   */
  | { kind: 'audio-end'; itemId: string; cut: false; playedMs: number | null }
  | { kind: 'audio-end'; itemId: string; cut: true; heardMs: number }
  /**
   * The turn is over: `final` as spoken, or `interrupted` when the candidate cut the interviewer off.
   * GPT-Live's timeline says where a cut fell: `heard` is what had played by then.
   */
  | { kind: 'turn-end'; itemId: string; speaker: Speaker; status: 'final' | 'interrupted'; heard?: { ms: number; text: string; estimated: boolean } }
  | { kind: 'failed'; itemId: string; speaker: Speaker; reason: string }
  | { kind: 'speaking'; speaker: Speaker; active: boolean }
  | { kind: 'provider-error'; code: string; message: string };

type RawEvent = Record<string, unknown> & { type?: unknown };

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const obj = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** The audio transcript an item's content carries (`output_audio` / beta `audio` parts), if any. */
function transcriptOf(item: Record<string, unknown> | null): string | null {
  const content = Array.isArray(item?.content) ? item.content : [];
  for (const part of content) {
    const transcript = str(obj(part)?.transcript);
    if (transcript !== null) return transcript;
  }
  return null;
}

function isTextOnly(item: Record<string, unknown> | null): boolean {
  const content = Array.isArray(item?.content) ? item.content : [];
  return content.length > 0 && content.every((part) => obj(part)?.type === 'input_text');
}

function speakerOfRole(role: unknown): Speaker | null {
  if (role === 'user') return 'candidate';
  if (role === 'assistant') return 'interviewer';
  return null;
}

/** Mean token probability from the transcription's logprobs, when the model sent them. */
function confidenceOf(logprobs: unknown): number | null {
  if (!Array.isArray(logprobs) || logprobs.length === 0) return null;
  let sum = 0;
  for (const entry of logprobs) {
    const value = num(obj(entry)?.logprob);
    if (value === null) return null;
    sum += value;
  }
  return Math.min(1, Math.max(0, Math.exp(sum / logprobs.length)));
}

export interface ProviderEventReaderOptions {
  /** GPT-Live sends no turn boundaries: a silence longer than this inside one speaker's fragments starts a new turn. */
  liveTurnGapMs?: number;
  /** Overlap on the Live timeline that counts as the candidate cutting the interviewer off. */
  liveInterruptToleranceMs?: number;
  /** A Live turn with no new fragment for this long (wall clock) is over. */
  liveIdleCloseMs?: number;
  /** A cleared reply whose `conversation.item.truncated` never came is cut where the clock says it was. */
  truncationWaitMs?: number;
  now?: () => number;
}

interface LiveTurn {
  itemId: string;
  speaker: Speaker;
  startMs: number;
  endMs: number;
  /** Wall-clock arrival of the turn's latest fragment. */
  lastHeardAt: number;
  /** The turn's text as it lies on the timeline, to know what had played when the turn was cut. */
  fragments: Array<{ text: string; startMs: number; endMs: number }>;
}

/**
 * Stateful because GPT-Live only streams timeline fragments (`start_ms`/`end_ms`) without item ids or
 * a done event: turns are cut from the fragments here, ordered by where they start on the timeline.
 */
export class ProviderEventReader {
  private readonly liveTurnGapMs: number;
  private readonly liveInterruptToleranceMs: number;
  private readonly liveIdleCloseMs: number;
  private readonly now: () => number;
  private readonly liveOpen = new Map<Speaker, LiveTurn>();
  /** Live turns by start time, newest last, to find each new turn's predecessor. */
  private readonly liveTimeline: LiveTurn[] = [];
  /** Every Live turn ever started, across calls: a new call's timeline restarts at 0, its ids must not. */
  private liveTurnsSeen = 0;
  private readonly responseItems = new Map<string, Set<string>>();
  /** Wall-clock start of each reply's playback (`output_audio_buffer.started`). */
  private readonly audioStartedAt = new Map<string, number>();
  /** Replies whose audio was cleared, with when: their items end at the truncation. */
  private readonly cutResponses = new Map<string, number>();
  /** Items whose audio end was already reported. */
  private readonly audioEnded = new Set<string>();
  private readonly truncationWaitMs: number;

  constructor(options: ProviderEventReaderOptions = {}) {
    this.liveTurnGapMs = options.liveTurnGapMs ?? 1_500;
    this.liveInterruptToleranceMs = options.liveInterruptToleranceMs ?? 250;
    this.liveIdleCloseMs = options.liveIdleCloseMs ?? 3_000;
    this.truncationWaitMs = options.truncationWaitMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  read(raw: unknown): TranscriptSignal[] {
    const event = obj(raw) as RawEvent | null;
    const type = str(event?.type);
    if (!event || !type) return [];
    switch (type) {
      // ── Realtime GA (and the beta aliases some deployments still send) ──
      case 'input_audio_buffer.committed': {
        const itemId = str(event.item_id);
        return itemId ? [{ kind: 'item', itemId, speaker: 'candidate', previousItemId: str(event.previous_item_id) }] : [];
      }
      case 'conversation.item.added':
      case 'conversation.item.created':
      case 'conversation.item.done': {
        const item = obj(event.item);
        const itemId = str(item?.id);
        const speaker = speakerOfRole(item?.role);
        if (!itemId || !speaker || (item?.type !== undefined && item.type !== 'message')) return [];
        // A typed user message (a client's own text item) is nobody's spoken turn; the kiosk's seed
        // items are known to the assembler already.
        if (speaker === 'candidate' && isTextOnly(item)) return [];
        return [{ kind: 'item', itemId, speaker, previousItemId: str(event.previous_item_id) }];
      }
      case 'response.output_item.added': {
        const item = obj(event.item);
        const itemId = str(item?.id);
        const responseId = str(event.response_id);
        if (!itemId || speakerOfRole(item?.role) !== 'interviewer') return [];
        if (responseId) this.itemsOf(responseId).add(itemId);
        // The item's place comes with conversation.item.added; this only makes sure it exists.
        return [{ kind: 'item', itemId, speaker: 'interviewer', previousItemId: null }];
      }
      case 'conversation.item.input_audio_transcription.delta': {
        const itemId = str(event.item_id);
        const text = str(event.delta);
        return itemId && text ? [{ kind: 'delta', itemId, speaker: 'candidate', text }] : [];
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const itemId = str(event.item_id);
        if (!itemId) return [];
        return [
          { kind: 'text-done', itemId, speaker: 'candidate', text: str(event.transcript) ?? '', confidence: confidenceOf(event.logprobs) },
          { kind: 'turn-end', itemId, speaker: 'candidate', status: 'final' },
        ];
      }
      case 'conversation.item.input_audio_transcription.failed': {
        const itemId = str(event.item_id);
        const error = obj(event.error);
        return itemId ? [{ kind: 'failed', itemId, speaker: 'candidate', reason: str(error?.message) ?? 'transcription failed' }] : [];
      }
      case 'response.output_audio_transcript.delta':
      case 'response.audio_transcript.delta': {
        const itemId = str(event.item_id);
        const text = str(event.delta);
        this.noteResponseItem(event, itemId);
        return itemId && text ? [{ kind: 'delta', itemId, speaker: 'interviewer', text }] : [];
      }
      case 'response.output_audio_transcript.done':
      case 'response.audio_transcript.done': {
        const itemId = str(event.item_id);
        this.noteResponseItem(event, itemId);
        return itemId ? [{ kind: 'text-done', itemId, speaker: 'interviewer', text: str(event.transcript) ?? '', confidence: null }] : [];
      }
      case 'response.output_item.done': {
        const item = obj(event.item);
        const itemId = str(item?.id);
        if (!itemId || speakerOfRole(item?.role) !== 'interviewer') return [];
        this.noteResponseItem(event, itemId);
        return [{ kind: 'generation-done', itemId, transcript: transcriptOf(item) }];
      }
      case 'response.done': {
        const response = obj(event.response);
        const responseId = str(response?.id);
        const items = new Map<string, string | null>();
        for (const itemId of responseId ? (this.responseItems.get(responseId) ?? []) : []) items.set(itemId, null);
        const output = Array.isArray(response?.output) ? response.output : [];
        for (const entry of output) {
          const item = obj(entry);
          const id = str(item?.id);
          if (id && speakerOfRole(item?.role) === 'interviewer') {
            items.set(id, transcriptOf(item));
            if (responseId) this.itemsOf(responseId).add(id);
          }
        }
        const signals: TranscriptSignal[] = [...items].map(([itemId, transcript]) => ({ kind: 'generation-done', itemId, transcript }));
        // The provider truncates a cleared reply once its response is done: the wait for it starts here.
        if (responseId && this.cutResponses.has(responseId)) this.cutResponses.set(responseId, this.now());
        // A reply cancelled before any of its audio played was never heard at all.
        if (responseId && str(response?.status) !== 'completed' && !this.audioStartedAt.has(responseId)) {
          signals.push(...this.endAudio(responseId, { cut: true, heardMs: 0 }));
        }
        return signals;
      }
      case 'output_audio_buffer.started': {
        const responseId = str(event.response_id);
        if (responseId && !this.audioStartedAt.has(responseId)) this.audioStartedAt.set(responseId, this.now());
        return [{ kind: 'speaking', speaker: 'interviewer', active: true }];
      }
      case 'output_audio_buffer.stopped': {
        // WebRTC: the reply's audio played to its end. This, not response.done, ends the turn.
        const responseId = str(event.response_id);
        const signals: TranscriptSignal[] = [{ kind: 'speaking', speaker: 'interviewer', active: false }];
        for (const id of responseId ? [responseId] : [...this.audioStartedAt.keys()]) {
          if (this.cutResponses.has(id)) continue;
          const startedAt = this.audioStartedAt.get(id);
          signals.push(...this.endAudio(id, { cut: false, playedMs: startedAt === undefined ? null : this.now() - startedAt }));
        }
        return signals;
      }
      case 'output_audio_buffer.cleared': {
        // WebRTC: the provider dropped unplayed audio because the candidate spoke over it. Where the cut
        // fell comes with conversation.item.truncated; until then the turn stays open.
        const responseId = str(event.response_id);
        for (const id of responseId ? [responseId] : [...this.audioStartedAt.keys()]) {
          if (!this.cutResponses.has(id)) this.cutResponses.set(id, this.now());
        }
        return [{ kind: 'speaking', speaker: 'interviewer', active: false }];
      }
      case 'conversation.item.truncated': {
        const itemId = str(event.item_id);
        if (!itemId || this.audioEnded.has(itemId)) return [];
        this.audioEnded.add(itemId);
        const responseId = this.responseOf(itemId);
        if (responseId && [...this.responseItems.get(responseId)!].every((id) => this.audioEnded.has(id))) this.forgetResponse(responseId);
        return [{ kind: 'audio-end', itemId, cut: true, heardMs: Math.max(0, Math.round(num(event.audio_end_ms) ?? 0)) }];
      }
      case 'input_audio_buffer.speech_started':
        return [{ kind: 'speaking', speaker: 'candidate', active: true }];
      case 'input_audio_buffer.speech_stopped':
        return [{ kind: 'speaking', speaker: 'candidate', active: false }];
      case 'error': {
        const error = obj(event.error);
        return [{ kind: 'provider-error', code: str(error?.code) ?? str(error?.type) ?? 'provider_error', message: str(error?.message) ?? 'The provider reported an error.' }];
      }
      // ── GPT-Live ──
      case 'session.input_transcript.delta':
        return this.liveFragment('candidate', event);
      case 'session.output_transcript.delta':
        return this.liveFragment('interviewer', event);
      default:
        return [];
    }
  }

  /**
   * Time-based endings: GPT-Live turns that have gone quiet, and cleared GA replies whose truncation
   * never arrived (cut after the audio that played by the clear, measured on the wall clock).
   */
  tick(): TranscriptSignal[] {
    const now = this.now();
    const signals: TranscriptSignal[] = [];
    for (const [responseId, clearedAt] of this.cutResponses) {
      if (now - clearedAt < this.truncationWaitMs || !this.responseItems.has(responseId)) continue;
      const startedAt = this.audioStartedAt.get(responseId);
      signals.push(...this.endAudio(responseId, { cut: true, heardMs: startedAt === undefined ? 0 : Math.max(0, clearedAt - startedAt) }));
    }
    for (const turn of [...this.liveOpen.values()]) {
      if (now - turn.lastHeardAt >= this.liveIdleCloseMs) signals.push(...this.closeLive(turn, 'final'));
    }
    return signals;
  }

  /**
   * Ends every open GPT-Live turn: `'call-lost'` when the call broke (the interviewer's reply in flight
   * was cut off, not finished), `'ended'` when the interview is over. Either way the next call starts
   * its own timeline at 0, so the old one no longer orders anything.
   */
  closeAllLiveTurns(why: 'ended' | 'call-lost' = 'ended'): TranscriptSignal[] {
    const signals = [...this.liveOpen.values()].flatMap((turn) =>
      this.closeLive(turn, why === 'call-lost' && turn.speaker === 'interviewer' ? 'interrupted' : 'final'),
    );
    this.liveTimeline.length = 0;
    return signals;
  }

  private liveFragment(speaker: Speaker, event: RawEvent): TranscriptSignal[] {
    const text = str(event.delta);
    const startMs = num(event.start_ms);
    const endMs = num(event.end_ms) ?? startMs;
    if (text === null || startMs === null || endMs === null) return [];
    const signals: TranscriptSignal[] = [];
    const other = this.liveOpen.get(speaker === 'candidate' ? 'interviewer' : 'candidate');
    let turn = this.liveOpen.get(speaker);
    if (turn && startMs - turn.endMs > this.liveTurnGapMs) {
      signals.push(...this.closeLive(turn, 'final'));
      turn = undefined;
    }
    if (!turn) {
      turn = { itemId: `live-${speaker === 'candidate' ? 'in' : 'out'}-${startMs}-${this.liveTurnsSeen++}`, speaker, startMs, endMs, lastHeardAt: 0, fragments: [] };
      let index = this.liveTimeline.length;
      while (index > 0 && this.liveTimeline[index - 1]!.startMs > startMs) index--;
      const previous = index > 0 ? this.liveTimeline[index - 1]!.itemId : null;
      this.liveTimeline.splice(index, 0, turn);
      this.liveOpen.set(speaker, turn);
      signals.push({ kind: 'item', itemId: turn.itemId, speaker, previousItemId: previous });
      // The other speaker's turn ends where this one begins; the candidate starting before the
      // interviewer's audio ran out is an interruption.
      if (other && other.startMs <= startMs) {
        const cut = speaker === 'candidate' && startMs + this.liveInterruptToleranceMs < other.endMs;
        signals.push(...this.closeLive(other, cut ? 'interrupted' : 'final', startMs));
      }
    }
    turn.endMs = Math.max(turn.endMs, endMs);
    turn.lastHeardAt = this.now();
    if (text.length > 0) turn.fragments.push({ text, startMs, endMs });
    if (text.length > 0) signals.push({ kind: 'delta', itemId: turn.itemId, speaker, text });
    return signals;
  }

  /**
   * `cutAtMs`: where on the timeline the candidate cut in. Fragments that had played by then were heard;
   * of the one playing at the cut, the words that fit in its played part (an estimate, so marked).
   */
  private closeLive(turn: LiveTurn, status: 'final' | 'interrupted', cutAtMs?: number): TranscriptSignal[] {
    this.liveOpen.delete(turn.speaker);
    if (status !== 'interrupted' || cutAtMs === undefined) return [{ kind: 'turn-end', itemId: turn.itemId, speaker: turn.speaker, status }];
    let text = '';
    let estimated = false;
    for (const fragment of turn.fragments) {
      if (fragment.endMs <= cutAtMs) text += fragment.text;
      else if (fragment.startMs < cutAtMs) {
        const msPerChar = (fragment.endMs - fragment.startMs) / fragment.text.length;
        const part = heardPrefix(fragment.text, cutAtMs - fragment.startMs, msPerChar);
        if (part) text += (text && !/\s$/.test(text) ? ' ' : '') + part;
        estimated = true;
      }
    }
    return [{ kind: 'turn-end', itemId: turn.itemId, speaker: turn.speaker, status, heard: { ms: Math.max(0, cutAtMs - turn.startMs), text: text.trim(), estimated } }];
  }

  private itemsOf(responseId: string): Set<string> {
    let set = this.responseItems.get(responseId);
    if (!set) {
      set = new Set();
      this.responseItems.set(responseId, set);
    }
    return set;
  }

  private responseOf(itemId: string): string | null {
    for (const [responseId, items] of this.responseItems) if (items.has(itemId)) return responseId;
    return null;
  }

  /** Reports the audio end of every item of a reply not yet reported, and forgets the reply. */
  private endAudio(responseId: string, end: { cut: false; playedMs: number | null } | { cut: true; heardMs: number }): TranscriptSignal[] {
    const signals: TranscriptSignal[] = [];
    for (const itemId of this.responseItems.get(responseId) ?? []) {
      if (this.audioEnded.has(itemId)) continue;
      this.audioEnded.add(itemId);
      signals.push({ kind: 'audio-end', itemId, ...end });
    }
    this.forgetResponse(responseId);
    return signals;
  }

  private forgetResponse(responseId: string): void {
    this.responseItems.delete(responseId);
    this.audioStartedAt.delete(responseId);
    this.cutResponses.delete(responseId);
  }

  private noteResponseItem(event: RawEvent, itemId: string | null): void {
    const responseId = str(event.response_id);
    if (responseId && itemId) this.itemsOf(responseId).add(itemId);
  }
}
