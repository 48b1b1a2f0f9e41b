// The report of a finished interview, computed from what is stored: the turn timeline
// (private.turn_timeline: each entry's start, length and words), the plan's coverage
// (private.question_coverage) and the session's event log. Pure and deterministic: the same rows give
// the same report, so a job run twice stores the same analytics. Field meanings: docs/backend.md
// "Interview reports".
import { z } from 'npm:zod@4.6.7';

/** Bumped whenever a figure's definition changes, so old and new reports are not compared blindly. */
export const reportVersion = 1;

export interface TimelineTurn {
  seq: number;
  speaker: 'interviewer' | 'candidate';
  status: 'final' | 'failed' | 'interrupted';
  started_at: string;
  duration_ms: number;
  words: number;
  corrected: boolean;
}

export interface CoveredQuestion {
  question: string;
  covered: boolean;
}

export interface LoggedEvent {
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

export interface AnalyticsInput {
  started_at: string | null;
  ended_at: string | null;
  turns: TimelineTurn[];
  coverage: CoveredQuestion[];
  events: LoggedEvent[];
}

const count = z.number().int().min(0);
const perSpeaker = z.object({ interviewer: count, candidate: count }).strict();
const nullableMs = z.number().min(0).nullable();

/** The stored shape; the worker validates its own output against it before writing. */
export const analyticsSchema = z
  .object({
    duration_ms: count.nullable(),
    talk_time_ms: perSpeaker,
    word_count: perSpeaker,
    candidate_words_per_minute: z.number().min(0).nullable(),
    response_latency_ms: z
      .object({
        median: nullableMs,
        max: nullableMs,
        samples: z.array(z.object({ after_seq: count, answer_seq: count, ms: count }).strict()),
      })
      .strict(),
    longest_silence_ms: count,
    interruptions: count,
    turns: z.object({ total: count, failed: count, lost: count, corrected: count }).strict(),
    questions_covered: z.array(z.object({ question: z.string(), covered: z.boolean() }).strict()),
    connection: z
      .object({
        stats_samples: count,
        rtt_ms_median: nullableMs,
        packet_loss_pct: z.number().min(0).max(100).nullable(),
        jitter_ms: nullableMs,
        recoveries: count,
      })
      .strict(),
    lockdown_incidents: z.object({ focus_lost: count, display_added: count, shortcut_blocked: count }).strict(),
  })
  .strict();

export type InterviewAnalytics = z.infer<typeof analyticsSchema>;

const lockdownKinds = ['focus_lost', 'display_added', 'shortcut_blocked'] as const;

export function computeAnalytics(input: AnalyticsInput): InterviewAnalytics {
  const turns = [...input.turns].sort((a, b) => a.seq - b.seq);
  const talk = { interviewer: 0, candidate: 0 };
  const words = { interviewer: 0, candidate: 0 };
  for (const turn of turns) {
    talk[turn.speaker] += turn.duration_ms;
    words[turn.speaker] += turn.words;
  }

  // Latency: the interviewer's turn ends at its start + length; the answer is the next entry when it is
  // the candidate's. Silence: every gap between one turn's end and the next start, the interview's
  // start before the first turn and its end after the last included.
  const samples: Array<{ after_seq: number; answer_seq: number; ms: number }> = [];
  const gaps: number[] = [];
  const startMs = input.started_at ? Date.parse(input.started_at) : null;
  const endMs = input.ended_at ? Date.parse(input.ended_at) : null;
  if (startMs !== null && turns.length > 0) gaps.push(Date.parse(turns[0]!.started_at) - startMs);
  for (const [index, turn] of turns.entries()) {
    const turnEnd = Date.parse(turn.started_at) + turn.duration_ms;
    const next = turns[index + 1];
    if (next) {
      const gap = Date.parse(next.started_at) - turnEnd;
      gaps.push(gap);
      if (turn.speaker === 'interviewer' && next.speaker === 'candidate') {
        samples.push({ after_seq: turn.seq, answer_seq: next.seq, ms: Math.max(0, gap) });
      }
    } else if (endMs !== null) {
      gaps.push(endMs - turnEnd);
    }
  }
  const latencies = samples.map((sample) => sample.ms);

  const stats = input.events.filter((event) => event.kind === 'telemetry' && event.data.metric === 'stats');
  const numbers = (key: string) =>
    stats.map((event) => event.data[key]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const lossRatios = numbers('loss_ratio').filter((ratio) => ratio >= 0 && ratio <= 1);
  const connects = input.events.filter((event) => event.kind === 'telemetry' && event.data.metric === 'connect').length;

  const lockdown = { focus_lost: 0, display_added: 0, shortcut_blocked: 0 };
  for (const event of input.events) {
    if (event.kind !== 'lockdown') continue;
    // The kiosk writes data.type; older examples in the docs used data.event.
    const type = event.data.type ?? event.data.event;
    if ((lockdownKinds as readonly unknown[]).includes(type)) lockdown[type as (typeof lockdownKinds)[number]] += 1;
  }

  const failedNow = turns.filter((turn) => turn.status === 'failed').length;
  const corrected = turns.filter((turn) => turn.corrected).length;
  const analytics: InterviewAnalytics = {
    duration_ms: startMs !== null && endMs !== null ? Math.max(0, endMs - startMs) : null,
    talk_time_ms: talk,
    word_count: words,
    candidate_words_per_minute: talk.candidate > 0 ? round(words.candidate / (talk.candidate / 60_000), 1) : null,
    response_latency_ms: {
      median: latencies.length ? Math.round(median(latencies)) : null,
      max: latencies.length ? largest(latencies) : null,
      samples,
    },
    longest_silence_ms: largest([0, ...gaps]),
    interruptions: turns.filter((turn) => turn.speaker === 'interviewer' && turn.status === 'interrupted').length,
    // Only a failed stand-in can be corrected, so a corrected turn was a failed one.
    turns: { total: turns.length, failed: failedNow + corrected, lost: failedNow, corrected },
    questions_covered: input.coverage.map(({ question, covered }) => ({ question, covered })),
    connection: {
      stats_samples: stats.length,
      rtt_ms_median: numbers('round_trip_ms').length ? round(median(numbers('round_trip_ms')), 1) : null,
      // getStats counters are cumulative per call: the largest ratio is the worst call's loss.
      packet_loss_pct: lossRatios.length ? round(largest(lossRatios) * 100, 2) : null,
      jitter_ms: numbers('jitter_ms').length ? round(median(numbers('jitter_ms')), 1) : null,
      // The first connect is the call itself; every later one re-established it.
      recoveries: Math.max(0, connects - 1),
    },
    lockdown_incidents: lockdown,
  };
  return analyticsSchema.parse(analytics);
}

/** Math.max without spreading: an interview may have more turns than a call takes arguments. */
function largest(values: number[]): number {
  return values.reduce((a, b) => (b > a ? b : a));
}

/** The middle value, or the mean of the two middle values of an even count. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
