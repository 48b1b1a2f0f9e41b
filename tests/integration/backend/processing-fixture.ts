// A finished demo interview for the processing tests: driven through the real edge functions as the
// kiosk (transcript batches, a correction, session events, the end), plus the figures a report must
// hold, computed here straight from the stored rows by the definitions in docs/backend.md — a second,
// independent reading of the same rows, not the worker's code.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { expect } from 'vitest';
import type { BackendStack } from '../../support/backend-stack';
export { expectedAnalytics } from '../../support/expected-analytics';
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
