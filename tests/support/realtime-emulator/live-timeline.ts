// The interview script as GPT-Live plays it: no items, no turn boundaries and no transcript-done events,
// only transcript fragments placed on the session's timeline (`session.input_transcript.delta` for the
// candidate, `session.output_transcript.delta` for the interviewer, each with `start_ms`/`end_ms` in
// milliseconds from the session's start, as openai-python's live/input_transcript_delta_event.py and
// output_transcript_delta_event.py describe them). A new session starts its own timeline at 0.
import type { CallRecord, ConversationState, ServerEvent } from './emulated-call';
import { transcriptDeltas, type InterviewScript, type ScriptTurn } from './interview-script';

/** What the Live player uses of its call (emulated-call.ts hands it over). */
export interface LiveCallHost {
  readonly script: InterviewScript;
  readonly conversation: ConversationState;
  readonly record: CallRecord;
  isClosed(): boolean;
  send(type: string, body: Record<string, unknown>): ServerEvent | void;
  wait(ms: number): Promise<void>;
  startAudio(): void;
  stopAudio(): void;
}

/**
 * How the emulated speech sits on the timeline: a fragment lasts `speechMsPerChar` (the script's) per
 * character; the wall clock between events is the script's pace.
 */
export const liveTimeline = {
  /** Silence between one speaker's end and the other's start. */
  turnGapMs: 400,
  /** A reply cut while generating: how far the candidate starts before its generated audio ends. */
  bargeInOverlapMs: 700,
  /** A reply cut while playing: the share of its fragments played before the candidate starts. */
  playedShareAtBargeIn: 0.6,
  /** Timeline length of a candidate turn nobody could transcribe (no fragment is sent for it). */
  inaudibleMs: 1_500,
} as const;

const audioFrameMs = 20;

function liveError(code: string, message: string, param: string | null, clientEventId: unknown): Record<string, unknown> {
  const client = typeof clientEventId === 'string' ? clientEventId : null;
  return { client_event_id: client, error: { type: 'invalid_request_error', code, message, param, client_event_id: client } };
}

/**
 * Client events GPT-Live does not take in this setup are answered with its `error` event: a history
 * item (Live takes history only at creation, in `session.input`) and `response.create` (which needs
 * Responses delegation, never configured by the kiosk).
 */
export function answerLiveClientEvent(host: LiveCallHost, event: Record<string, unknown>): void {
  if (event.type === 'conversation.item.create') {
    host.send('error', liveError('unknown_event_type', "Unknown client event type 'conversation.item.create'; supply history in session.input when the session is created.", 'type', event.event_id));
  } else if (event.type === 'response.create') {
    host.send('error', liveError('delegation_required', "'response.create' requires Responses delegation.", 'type', event.event_id));
  }
}

/** Plays the script from the conversation's current turn; a turn cut short by a drop is played again on the next call. */
export async function playLiveTimeline(host: LiveCallHost): Promise<void> {
  const { turns } = host.script;
  let cursor = 0;
  let bargeInAt: number | null = null;
  while (!host.isClosed() && host.conversation.turnIndex < turns.length) {
    const turn = turns[host.conversation.turnIndex]!;
    if (turn.speaker === 'interviewer') {
      const spoken = await interviewerTurn(host, turn, cursor === 0 ? 0 : cursor + liveTimeline.turnGapMs);
      if (spoken === null) return;
      cursor = spoken.endMs;
      bargeInAt = spoken.bargeInAt;
    } else {
      const endMs = await candidateTurn(host, turn, bargeInAt ?? cursor + liveTimeline.turnGapMs);
      bargeInAt = null;
      if (endMs === null) return;
      cursor = endMs;
    }
    if (host.isClosed()) return;
    host.conversation.turnIndex++;
  }
}

/** Streams fragments back to back from `startMs`; returns each one's start, or null when the call closed. */
async function streamFragments(host: LiveCallHost, type: string, deltas: readonly string[], startMs: number): Promise<number[] | null> {
  const starts: number[] = [];
  let at = startMs;
  for (const delta of deltas) {
    if (host.isClosed()) return null;
    await host.wait(host.script.paceMs);
    const end = at + Math.max(1, Math.round(delta.length * host.script.speechMsPerChar));
    host.send(type, { delta, start_ms: at, end_ms: end });
    starts.push(at);
    at = end;
  }
  starts.push(at);
  return starts;
}

/** Where the reply ends on the timeline, and where a candidate who cut it short starts (else null). */
async function interviewerTurn(
  host: LiveCallHost,
  turn: Extract<ScriptTurn, { speaker: 'interviewer' }>,
  startMs: number,
): Promise<{ endMs: number; bargeInAt: number | null } | null> {
  const pace = host.script.paceMs;
  const deltas = transcriptDeltas(turn.text);
  // Cut while generating, the rest of the reply is never generated; cut while playing, all of it was.
  const spoken = turn.interrupted === 'while_generating' ? deltas.slice(0, Math.max(1, Math.floor(deltas.length / 2))) : deltas;
  host.startAudio();
  const starts = await streamFragments(host, 'session.output_transcript.delta', spoken, startMs);
  if (starts === null) return null;
  const endMs = starts.at(-1)!;
  if (turn.interrupted === 'while_generating') {
    host.stopAudio();
    return { endMs, bargeInAt: endMs - liveTimeline.bargeInOverlapMs };
  }
  // Playback on the kiosk ends a little after generation does.
  await host.wait(pace * 2);
  host.stopAudio();
  if (turn.interrupted === 'while_playing') {
    return { endMs, bargeInAt: starts[Math.max(1, Math.floor(spoken.length * liveTimeline.playedShareAtBargeIn))]! };
  }
  return { endMs, bargeInAt: null };
}

/** Returns where the turn ends on the timeline, or null when the call closed while waiting for the candidate. */
async function candidateTurn(host: LiveCallHost, turn: Extract<ScriptTurn, { speaker: 'candidate' }>, startMs: number): Promise<number | null> {
  const pace = host.script.paceMs;
  if (host.script.requireAudio) {
    const heardBefore = host.record.rtpPacketsReceived;
    while (!host.isClosed() && host.record.rtpPacketsReceived <= heardBefore) await host.wait(audioFrameMs);
    if (host.isClosed()) return null;
  }
  // GPT-Live has no failed-transcription event: speech it could not make out simply yields no fragment.
  // Its input transcript streams with the speech, so a GA-style late (or after_stale) transcript arrives
  // on time here.
  if (turn.transcription === 'failed') {
    await host.wait(pace * 3);
    return startMs + liveTimeline.inaudibleMs;
  }
  const starts = await streamFragments(host, 'session.input_transcript.delta', transcriptDeltas(turn.text), startMs);
  if (starts === null) return null;
  await host.wait(pace);
  return starts.at(-1)!;
}
