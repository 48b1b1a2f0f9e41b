// The interview the emulator plays: which turns happen, in what order, and which of them misbehave the
// way the real provider does (a transcript that arrives after the next answer started, a transcription
// that fails, an answer the candidate talks over).

/**
 * `late`: completes while the interviewer's next answer is already streaming. `after_stale`: completes
 * `lateByMs` after the turn, long after the kiosk gave up on it (the provider does this under load).
 */
export type CandidateTranscription = 'on_time' | 'late' | 'after_stale' | 'failed';

/**
 * How the candidate cuts an answer short. `while_generating`: halfway through the stream, so the
 * response is cancelled. `while_playing`: after the whole reply was generated (`response.done`
 * completed) but while its audio still plays — over WebRTC the usual case, since generation runs
 * ahead of playback.
 */
export type Interruption = 'while_generating' | 'while_playing';

export type ScriptTurn =
  | { speaker: 'interviewer'; text: string; interrupted?: Interruption }
  | { speaker: 'candidate'; text: string; transcription?: CandidateTranscription; /** for `after_stale` */ lateByMs?: number };

export interface InterviewScript {
  turns: ScriptTurn[];
  /** Milliseconds between consecutive events of one turn; the whole default script takes ~60 events. */
  paceMs: number;
  /** Candidate turns start only after RTP audio from the kiosk arrived since the previous turn. */
  requireAudio: boolean;
  /** Start the first turn as soon as the data channel opens (otherwise on the client's `response.create`). */
  autoStart: boolean;
  /**
   * How long a reply's audio plays per character of its transcript. Generation streams at `paceMs` per
   * word, playback at this rate, so replies finish generating before they finish playing, as over WebRTC.
   */
  speechMsPerChar: number;
  /** How much of the kiosk's audio a candidate answer lasts before turn detection ends it; default 3 × `paceMs`. */
  answerMs?: number;
}

export const defaultInterviewTurns: ScriptTurn[] = [
  { speaker: 'interviewer', text: 'Hello and welcome. I will be your interviewer today. Could you start by telling me a little about yourself?' },
  { speaker: 'candidate', text: 'Hi, I am a software engineer with five years of experience in distributed systems.', transcription: 'late' },
  { speaker: 'interviewer', text: 'Thank you. Which project are you most proud of, and why?' },
  { speaker: 'candidate', text: '(inaudible)', transcription: 'failed' },
  { speaker: 'interviewer', text: 'Sorry, I did not quite catch that. Could you say again which project you are most proud of and what your part in it was?', interrupted: 'while_playing' },
  { speaker: 'candidate', text: 'I am proudest of the offline sync engine I built for field technicians.', transcription: 'on_time' },
  { speaker: 'interviewer', text: 'That sounds great. That is all the questions I have. Thank you for your time.' },
];

export const defaultInterviewScript: InterviewScript = {
  turns: defaultInterviewTurns,
  paceMs: 40,
  requireAudio: true,
  autoStart: true,
  speechMsPerChar: 12,
};

/** Splits a line into the word-sized deltas the provider streams. */
export function transcriptDeltas(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}
