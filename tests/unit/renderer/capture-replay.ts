// Replays a recorded provider event log through a fresh reader and assembler, the way the interview
// controller wires them (every event read then applied, a periodic tick), under a clock the test owns.
// The same capture is replayed at several pacings because the assembler's time-based rules (stale
// turns, turn-end grace) must not change what ends up in the transcript.
import { readFileSync } from 'node:fs';
import { ProviderEventReader } from '../../../src/renderer/realtime/provider-events';
import { TranscriptAssembler } from '../../../src/renderer/realtime/transcript-assembler';
import type { TranscriptEntry } from '../../../src/shared/domain/transcript';

export type CaptureEvent = Record<string, unknown> & { type: string };

/** One line of a capture: the server event, and when it was received if the log recorded that. */
export interface CaptureLine {
  event: CaptureEvent;
  /** Milliseconds since the epoch, only when the source log had a timestamp for the event. */
  receivedAt: number | null;
}

export type Pacing =
  /** The same wall-clock gap before every event, with a tick after each. */
  | { kind: 'fixed'; gapMs: number }
  /**
   * Time rebuilt from the capture itself: recorded receive times where the log has them, otherwise the
   * input audio clock (`audio_start_ms` / `audio_end_ms` of speech_started / speech_stopped), which runs
   * from the start of the session; events between two anchors are `stepMs` apart.
   */
  | { kind: 'capture-clock'; stepMs: number };

export const pacingName = (pacing: Pacing): string =>
  pacing.kind === 'fixed' ? `${pacing.gapMs} ms between events` : `clock rebuilt from the capture (${pacing.stepMs} ms steps)`;

export interface ReplayResult {
  /** Every entry committed, in commit order, including what `closeAll()` committed at the end. */
  entries: TranscriptEntry[];
  /** How many of `entries` were committed before `closeAll()`: a finished capture should need none of it. */
  committedBeforeClose: number;
}

const fixtureUrl = (name: string) => new URL(`../../fixtures/realtime-captures/${name}.jsonl`, import.meta.url);

/**
 * Reads `tests/fixtures/realtime-captures/<name>.jsonl`. A line is a server event, or
 * `{"received_at": <ms or ISO>, "event": {...}}` when the source log timed its events.
 */
export function loadCapture(name: string): CaptureLine[] {
  const text = readFileSync(fixtureUrl(name), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const wrapped = typeof parsed.type !== 'string' && typeof parsed.event === 'object' && parsed.event !== null;
      const event = (wrapped ? parsed.event : parsed) as Record<string, unknown>;
      if (typeof event.type !== 'string') throw new Error(`${name}.jsonl line ${index + 1} has no event type`);
      const stamp = wrapped ? parsed.received_at : undefined;
      const receivedAt = typeof stamp === 'number' ? stamp : typeof stamp === 'string' ? Date.parse(stamp) : null;
      return { event: event as CaptureEvent, receivedAt: receivedAt !== null && Number.isFinite(receivedAt) ? receivedAt : null };
    });
}

/** Where the capture's own clock puts an event, when it says anything about time. */
function anchorOf(line: CaptureLine, firstReceivedAt: number | null): number | null {
  if (line.receivedAt !== null && firstReceivedAt !== null) return line.receivedAt - firstReceivedAt;
  const { type } = line.event;
  // Only the input buffer's ms run on one session-wide clock; a truncation's audio_end_ms counts from
  // the start of its own item's audio.
  if (type === 'input_audio_buffer.speech_started' && typeof line.event.audio_start_ms === 'number') return line.event.audio_start_ms;
  if (type === 'input_audio_buffer.speech_stopped' && typeof line.event.audio_end_ms === 'number') return line.event.audio_end_ms;
  return null;
}

const START = Date.parse('2026-12-01T09:00:00.000Z');

export function replay(lines: readonly CaptureLine[], pacing: Pacing): ReplayResult {
  let clock = START;
  const now = () => clock;
  const reader = new ProviderEventReader({ now });
  const assembler = new TranscriptAssembler({ nextSeq: 0, now });
  const entries: TranscriptEntry[] = [];
  const tick = () => {
    assembler.apply(reader.tick());
    assembler.tick();
    entries.push(...assembler.takeCommitted());
  };
  const firstReceivedAt = lines.find((line) => line.receivedAt !== null)?.receivedAt ?? null;
  for (const line of lines) {
    if (pacing.kind === 'fixed') {
      clock += pacing.gapMs;
    } else {
      const anchor = anchorOf(line, firstReceivedAt);
      // Events are delivered in order even when the audio they describe overlaps, so time never runs back.
      clock = anchor === null ? clock + pacing.stepMs : Math.max(clock + pacing.stepMs, START + anchor);
    }
    tick();
    assembler.apply(reader.read(line.event));
    entries.push(...assembler.takeCommitted());
  }
  // The call stays up a little after the last event, as a real one would, before the interview ends.
  for (let index = 0; index < 5; index++) {
    clock += 1_000;
    tick();
  }
  const committedBeforeClose = entries.length;
  assembler.apply(reader.closeAllLiveTurns());
  assembler.closeAll();
  entries.push(...assembler.takeCommitted());
  return { entries, committedBeforeClose };
}
