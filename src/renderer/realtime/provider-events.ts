// Reads the provider's data-channel events — Realtime GA and GPT-Live — into one small vocabulary of
// transcript signals, so the assembler never needs to know which provider is on the line.
import type { Speaker } from '../../shared/domain/transcript';

export type TranscriptSignal =
  /** A conversation item exists; `previousItemId` places it in the provider's order. */
  | { kind: 'item'; itemId: string; speaker: Speaker; previousItemId: string | null }
  | { kind: 'delta'; itemId: string; speaker: Speaker; text: string }
  /** The full transcript of a turn; for the interviewer this does not yet say how the turn ended. */
  | { kind: 'text-done'; itemId: string; speaker: Speaker; text: string; confidence: number | null }
  /** The turn is over: `final` as spoken, or `interrupted` when the candidate cut the interviewer off. */
  | { kind: 'turn-end'; itemId: string; speaker: Speaker; status: 'final' | 'interrupted' }
  | { kind: 'failed'; itemId: string; speaker: Speaker; reason: string }
  | { kind: 'speaking'; speaker: Speaker; active: boolean }
  | { kind: 'provider-error'; code: string; message: string };

type RawEvent = Record<string, unknown> & { type?: unknown };

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const obj = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

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
  now?: () => number;
}

interface LiveTurn {
  itemId: string;
  speaker: Speaker;
  startMs: number;
  endMs: number;
  /** Wall-clock arrival of the turn's latest fragment. */
  lastHeardAt: number;
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
  private readonly responseItems = new Map<string, Set<string>>();
  private readonly interruptedResponses = new Set<string>();

  constructor(options: ProviderEventReaderOptions = {}) {
    this.liveTurnGapMs = options.liveTurnGapMs ?? 1_500;
    this.liveInterruptToleranceMs = options.liveInterruptToleranceMs ?? 250;
    this.liveIdleCloseMs = options.liveIdleCloseMs ?? 3_000;
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
        const responseId = str(event.response_id);
        const cut = item?.status === 'incomplete' || (responseId !== null && this.interruptedResponses.has(responseId));
        return [{ kind: 'turn-end', itemId, speaker: 'interviewer', status: cut ? 'interrupted' : 'final' }];
      }
      case 'response.done': {
        const response = obj(event.response);
        const responseId = str(response?.id);
        const status = str(response?.status);
        const ids = new Set(responseId ? (this.responseItems.get(responseId) ?? []) : []);
        const output = Array.isArray(response?.output) ? response.output : [];
        for (const entry of output) {
          const id = str(obj(entry)?.id);
          if (id && speakerOfRole(obj(entry)?.role) === 'interviewer') ids.add(id);
        }
        if (responseId) this.responseItems.delete(responseId);
        const turnStatus = status === 'cancelled' ? 'interrupted' : 'final';
        return [...ids].map((itemId) => ({ kind: 'turn-end', itemId, speaker: 'interviewer', status: turnStatus }) as const);
      }
      case 'output_audio_buffer.cleared': {
        // WebRTC only: the provider dropped unplayed audio because the candidate spoke over it.
        const responseId = str(event.response_id);
        if (!responseId) return [{ kind: 'speaking', speaker: 'interviewer', active: false }];
        this.interruptedResponses.add(responseId);
        const ids = [...(this.responseItems.get(responseId) ?? [])];
        return [
          { kind: 'speaking', speaker: 'interviewer', active: false },
          ...ids.map((itemId) => ({ kind: 'turn-end', itemId, speaker: 'interviewer', status: 'interrupted' }) as const),
        ];
      }
      case 'conversation.item.truncated': {
        const itemId = str(event.item_id);
        return itemId ? [{ kind: 'turn-end', itemId, speaker: 'interviewer', status: 'interrupted' }] : [];
      }
      case 'output_audio_buffer.started':
        return [{ kind: 'speaking', speaker: 'interviewer', active: true }];
      case 'output_audio_buffer.stopped':
        return [{ kind: 'speaking', speaker: 'interviewer', active: false }];
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

  /** Closes GPT-Live turns that have gone quiet; GA turns end with their own events. */
  closeIdleLiveTurns(): TranscriptSignal[] {
    const now = this.now();
    const signals: TranscriptSignal[] = [];
    for (const turn of [...this.liveOpen.values()]) {
      if (now - turn.lastHeardAt >= this.liveIdleCloseMs) signals.push(...this.closeLive(turn, 'final'));
    }
    return signals;
  }

  /** Ends every open GPT-Live turn, e.g. when the call ends or is replaced. */
  closeAllLiveTurns(): TranscriptSignal[] {
    return [...this.liveOpen.values()].flatMap((turn) => this.closeLive(turn, 'final'));
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
      turn = { itemId: `live-${speaker === 'candidate' ? 'in' : 'out'}-${startMs}-${this.liveTimeline.length}`, speaker, startMs, endMs, lastHeardAt: 0 };
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
        signals.push(...this.closeLive(other, cut ? 'interrupted' : 'final'));
      }
    }
    turn.endMs = Math.max(turn.endMs, endMs);
    turn.lastHeardAt = this.now();
    if (text.length > 0) signals.push({ kind: 'delta', itemId: turn.itemId, speaker, text });
    return signals;
  }

  private closeLive(turn: LiveTurn, status: 'final' | 'interrupted'): TranscriptSignal[] {
    this.liveOpen.delete(turn.speaker);
    return [{ kind: 'turn-end', itemId: turn.itemId, speaker: turn.speaker, status }];
  }

  private itemsOf(responseId: string): Set<string> {
    let set = this.responseItems.get(responseId);
    if (!set) {
      set = new Set();
      this.responseItems.set(responseId, set);
    }
    return set;
  }

  private noteResponseItem(event: RawEvent, itemId: string | null): void {
    const responseId = str(event.response_id);
    if (responseId && itemId) this.itemsOf(responseId).add(itemId);
  }
}
