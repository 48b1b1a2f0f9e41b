// A finished demo interview for the processing tests: driven through the real edge functions as the
// kiosk (transcript batches, a correction, session events, the end), plus the figures a report must
// hold, computed here straight from the stored rows by the definitions in docs/backend.md — a second,
// independent reading of the same rows, not the worker's code.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { expect } from 'vitest';
import type { BackendStack } from '../../support/backend-stack';
import { entry, ids, invoke, scheduleInterview } from './backend-test-kit';

export interface FinishedInterview {
  id: string;
  lastSeq: number;
  /** Seqs of candidate turns with words, and of interviewer turns. */
  candidateSeqs: number[];
  interviewerSeqs: number[];
}

const second = 1000;

/** Runs an interview of tenant A's Backend Engineer position from start to end through the functions. */
export async function runDemoInterview(stack: BackendStack, kiosk: SupabaseClient): Promise<FinishedInterview> {
  const id = await scheduleInterview(stack, { status: 'in_progress' });
  const [{ started }] = await stack.sql<{ started: Date }>(
    `update public.interview_sessions set started_at = date_trunc('second', now()) - interval '15 minutes' where id = $1 returning started_at as started`,
    [id],
  );
  const t0 = started.getTime();
  const at = (offsetSeconds: number) => new Date(t0 + offsetSeconds * second).toISOString();
  const standInId = randomUUID();
  const entries = [
    entry(0, { speaker: 'interviewer', text: "Welcome! Let's warm up: tell me about your recent work.", timestamp: at(5) }),
    entry(1, { speaker: 'candidate', text: 'I have been building upload services for a logistics company for two years.', timestamp: at(12) }),
    entry(2, {
      speaker: 'interviewer',
      text: 'How would you design an idempotent',
      generated_text: 'How would you design an idempotent upload API that survives retries from flaky networks?',
      heard_ms: 2100,
      heard_estimated: false,
      status: 'interrupted',
      timestamp: at(30),
    }),
    entry(3, { speaker: 'candidate', text: 'Sorry to cut in: the client picks a uuid per item so a replay inserts nothing.', timestamp: at(33) }),
    entry(4, { speaker: 'interviewer', text: 'Good. Now, debugging a slow database query: where do you start?', timestamp: at(60) }),
    // A stand-in for words whose transcription came late; corrected below.
    { ...entry(5, { speaker: 'candidate', text: '', status: 'failed', confidence: null, timestamp: at(71) }), id: standInId },
    entry(6, { speaker: 'interviewer', text: 'And what did the plan show you?', timestamp: at(110) }),
    // A turn whose words were lost for good.
    entry(7, { speaker: 'candidate', text: '', status: 'failed', confidence: null, timestamp: at(118) }),
    entry(8, { speaker: 'interviewer', text: 'Thank you. That is all from me.', timestamp: at(150) }),
    entry(9, { speaker: 'candidate', text: 'Thanks, bye.', timestamp: at(158) }),
  ];
  // Two batches, as a kiosk's outbox sends them.
  for (const batch of [entries.slice(0, 4), entries.slice(4)]) {
    const stored = await invoke(kiosk, 'interview-transcript', { interview_session_id: id, entries: batch });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
  }
  const correction = await invoke(kiosk, 'interview-transcript', {
    interview_session_id: id,
    entries: [
      entry(5, {
        speaker: 'candidate',
        text: 'I would measure first, then read the query plan and add the missing index.',
        confidence: 0.88,
        corrects: standInId,
        timestamp: at(71),
      }),
    ],
  });
  expect(correction.status, JSON.stringify(correction.body)).toBe(200);

  const event = (offset: number, kind: string, data: Record<string, unknown>) => ({ id: randomUUID(), kind, at: at(offset), data });
  const events = [
    event(3, 'telemetry', { metric: 'connect', attempt: 0, call_id: 'call_1', connect_ms: 900 }),
    event(20, 'telemetry', { metric: 'stats', round_trip_ms: 40, loss_ratio: 0.01, jitter_ms: 3, packets_lost: 1, packets_received: 99 }),
    event(40, 'telemetry', { metric: 'stats', round_trip_ms: 60, loss_ratio: 0.02, jitter_ms: 5 }),
    event(41, 'lockdown', { type: 'focus_lost' }),
    event(42, 'webrtc_status', { status: 'disconnected' }),
    event(45, 'telemetry', { metric: 'connect', attempt: 1, call_id: 'call_2', connect_ms: 1500 }),
    event(50, 'telemetry', { metric: 'stats', round_trip_ms: 200, loss_ratio: 0.005, jitter_ms: 12 }),
    event(80, 'telemetry', { metric: 'stats', round_trip_ms: 45, loss_ratio: null, jitter_ms: null }),
    event(90, 'lockdown', { type: 'focus_lost' }),
    event(95, 'lockdown', { type: 'display_added' }),
    event(96, 'lockdown', { type: 'shortcut_blocked', action: 'blocked', key: 'F11' }),
    event(97, 'lockdown', { type: 'permission_denied' }),
    event(100, 'error', { message: 'not counted anywhere' }),
  ];
  const logged = await invoke(kiosk, 'interview-events', { interview_session_id: id, events });
  expect(logged.status, JSON.stringify(logged.body)).toBe(200);

  const ended = await invoke(kiosk, 'interview-end', { interview_session_id: id, last_seq: 9, reason: 'completed' });
  expect(ended.status, JSON.stringify(ended.body)).toBe(200);
  return { id, lastSeq: 9, candidateSeqs: [1, 3, 5, 9], interviewerSeqs: [0, 2, 4, 6, 8] };
}

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
export async function expectedAnalytics(stack: BackendStack, interviewId: string) {
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
    response_latency_ms: { median: Math.round(middle(samples.map((s) => s.ms))), max: Math.max(...samples.map((s) => s.ms)), samples },
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
      rtt_ms_median: middle(statNumbers('round_trip_ms')),
      packet_loss_pct: Math.round(Math.max(...statNumbers('loss_ratio')) * 100 * 100) / 100,
      jitter_ms: middle(statNumbers('jitter_ms')),
      recoveries: events.filter((e) => e.kind === 'telemetry' && e.data.metric === 'connect').length - 1,
    },
    lockdown_incidents: { focus_lost: lockdown('focus_lost'), display_added: lockdown('display_added'), shortcut_blocked: lockdown('shortcut_blocked') },
  };
}

/** Polls `read` until `done` holds (the worker is another process); fails with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what} did not happen; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const tenantAKey = 'sk-test-tenant-a';
export { ids };
