// The figures a processing report must hold, computed straight from the stored rows by the definitions
// in docs/backend.md: a second, independent reading of the same rows, not the worker's code. Free of any
// test runner, so the backend tests and the review console's e2e both use it.
import type { BackendStack } from './backend-stack';

interface StoredEntry {
  seq: number;
  speaker: 'interviewer' | 'candidate';
  status: string;
  text: string;
  timestamp: Date;
  heard_ms: number | null;
  corrected_by: string | null;
}

/** The report's figures by the documented definitions, from the stored rows alone. */
export async function expectedAnalytics(stack: Pick<BackendStack, 'sql'>, interviewId: string) {
  const [session] = await stack.sql<{ started_at: Date; ended_at: Date; plan: string[] }>(
    `select s.started_at, s.ended_at, p.interview_plan as plan
     from public.interview_sessions s join public.positions p on p.id = s.position_id where s.id = $1`,
    [interviewId],
  );
  const rows = await stack.sql<StoredEntry>(
    `select seq, speaker, status, text, "timestamp", heard_ms, corrected_by from public.transcript_entries
     where interview_session_id = $1 order by seq`,
    [interviewId],
  );
  const events = await stack.sql<{ kind: string; data: Record<string, unknown> }>(
    'select kind, data from public.session_events where interview_session_id = $1 order by at, id',
    [interviewId],
  );
  const start = session!.started_at.getTime();
  const end = session!.ended_at.getTime();
  const turns = rows.map((row, index) => {
    const begins = row.timestamp.getTime();
    const nextStart = index + 1 < rows.length ? rows[index + 1]!.timestamp.getTime() : end;
    const span = Math.max(0, nextStart - begins);
    const spoken = row.speaker === 'candidate' ? span : Math.min(row.heard_ms ?? [...row.text].length * 70, span);
    return { ...row, begins, duration: spoken, words: row.text.trim() === '' ? 0 : row.text.trim().split(/\s+/).length };
  });
  const sum = (speaker: string, field: 'duration' | 'words') =>
    turns.filter((turn) => turn.speaker === speaker).reduce((total, turn) => total + turn[field], 0);
  const samples = turns.flatMap((turn, index) => {
    const next = turns[index + 1];
    return turn.speaker === 'interviewer' && next?.speaker === 'candidate'
      ? [{ after_seq: turn.seq, answer_seq: next.seq, ms: Math.max(0, next.begins - (turn.begins + turn.duration)) }]
      : [];
  });
  const gaps = [turns[0]!.begins - start, ...turns.map((turn, index) => (turns[index + 1]?.begins ?? end) - (turn.begins + turn.duration))];
  const middle = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
  };
  const tenth = (value: number) => Math.round(value * 10) / 10;
  const stats = events.filter((e) => e.kind === 'telemetry' && e.data.metric === 'stats');
  const statNumbers = (key: string) => stats.map((e) => e.data[key]).filter((v): v is number => typeof v === 'number');
  const lockdown = (type: string) => events.filter((e) => e.kind === 'lockdown' && e.data.type === type).length;
  const stems = (text: string) => new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4).map((w) => w.slice(0, 5)));
  const interviewerStems = turns.filter((turn) => turn.speaker === 'interviewer').map((turn) => stems(turn.text));
  const candidateTalk = sum('candidate', 'duration');
  return {
    duration_ms: end - start,
    talk_time_ms: { interviewer: sum('interviewer', 'duration'), candidate: candidateTalk },
    word_count: { interviewer: sum('interviewer', 'words'), candidate: sum('candidate', 'words') },
    candidate_words_per_minute: Math.round((sum('candidate', 'words') / (candidateTalk / 60_000)) * 10) / 10,
    response_latency_ms: samples.length
      ? { median: Math.round(middle(samples.map((s) => s.ms))), max: Math.max(...samples.map((s) => s.ms)), samples }
      : { median: null, max: null, samples },
    longest_silence_ms: Math.max(0, ...gaps),
    interruptions: rows.filter((row) => row.speaker === 'interviewer' && row.status === 'interrupted').length,
    turns: {
      total: rows.length,
      failed: rows.filter((row) => row.status === 'failed' || row.corrected_by !== null).length,
      lost: rows.filter((row) => row.status === 'failed').length,
      corrected: rows.filter((row) => row.corrected_by !== null).length,
    },
    questions_covered: session!.plan.map((question) => {
      const keys = stems(question);
      const needed = Math.max(1, Math.ceil(keys.size / 2));
      return { question, covered: keys.size > 0 && interviewerStems.some((turn) => [...keys].filter((k) => turn.has(k)).length >= needed) };
    }),
    connection: {
      stats_samples: stats.length,
      // No stats sample (a short call) reads as unknown, not as zero.
      rtt_ms_median: statNumbers('round_trip_ms').length ? tenth(middle(statNumbers('round_trip_ms'))) : null,
      packet_loss_pct: statNumbers('loss_ratio').length ? Math.round(Math.max(...statNumbers('loss_ratio')) * 100 * 100) / 100 : null,
      jitter_ms: statNumbers('jitter_ms').length ? tenth(middle(statNumbers('jitter_ms'))) : null,
      recoveries: Math.max(0, events.filter((e) => e.kind === 'telemetry' && e.data.metric === 'connect').length - 1),
    },
    lockdown_incidents: { focus_lost: lockdown('focus_lost'), display_added: lockdown('display_added'), shortcut_blocked: lockdown('shortcut_blocked') },
  };
}

/** Polls `read` until `done` holds (the worker is another process); fails with the last value seen. */
