// The minimal barge-in trigger and the real recorded captures, all the way into Postgres: the
// kiosk's reader and assembler turn the events into entries, main's wire mapping sends them to the real
// interview-transcript function, and what the database holds says what the candidate heard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { toTranscriptWire } from '../../../src/shared/contract/transcript';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { loadCapture, replay, type CaptureLine } from '../../unit/renderer/capture-replay';
import { invoke, scheduleInterview, signedIn } from './backend-test-kit';

let stack: BackendStack;
let kiosk: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' });
  kiosk = await signedIn(stack, 'kiosk-1@demo.example');
});

afterAll(async () => {
  await stack?.stop();
});

interface Row {
  seq: number;
  speaker: string;
  status: string;
  text: string;
  generated_text: string | null;
  heard_ms: number | null;
  heard_estimated: boolean;
}

const minimalTrigger: CaptureLine[] = [
  { type: 'response.output_item.added', response_id: 'R', item: { id: 'A', role: 'assistant' } },
  { type: 'output_audio_buffer.started', response_id: 'R' },
  { type: 'response.output_audio_transcript.done', response_id: 'R', item_id: 'A', transcript: "I'm going to transfer you to a colleague who can help with the rest of your application." },
  { type: 'response.output_item.done', response_id: 'R', item: { id: 'A', status: 'completed', role: 'assistant' } },
  { type: 'response.done', response: { id: 'R', status: 'completed', output: [{ id: 'A' }] } },
  { type: 'output_audio_buffer.cleared', response_id: 'R' },
  { type: 'conversation.item.truncated', item_id: 'A', content_index: 0, audio_end_ms: 1860 },
].map((event) => ({ event, receivedAt: null }));

async function storeThroughTheKiosk(lines: readonly CaptureLine[]): Promise<{ rows: Row[]; truncations: Map<number, number> }> {
  const { entries } = replay(lines, { kind: 'fixed', gapMs: 50 });
  const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
  const reply = await invoke(kiosk, 'interview-transcript', { interview_session_id: sessionId, entries: entries.map(toTranscriptWire) });
  expect(reply, JSON.stringify(reply.body)).toMatchObject({ status: 200, body: { inserted: entries.length } });
  const rows = await stack.sql<Row>(
    'select seq, speaker, status, text, generated_text, heard_ms, heard_estimated from public.transcript_entries where interview_session_id = $1 order by seq',
    [sessionId],
  );
  const truncations = new Map<number, number>();
  for (const line of lines) {
    if (line.event.type === 'conversation.item.truncated') {
      const entry = entries.find((candidate) => candidate.itemId === line.event.item_id);
      if (entry) truncations.set(entry.seq, line.event.audio_end_ms as number);
    }
  }
  return { rows, truncations };
}

function expectCutTurnsHeardOnly(rows: Row[], truncations: Map<number, number>): void {
  expect(truncations.size).toBeGreaterThan(0);
  for (const [seq, audioEndMs] of truncations) {
    const row = rows.find((candidate) => candidate.seq === seq)!;
    expect(row, `seq ${seq}`).toMatchObject({ speaker: 'interviewer', status: 'interrupted', heard_ms: audioEndMs, heard_estimated: true });
    expect(row.generated_text!.startsWith(row.text), `seq ${seq}`).toBe(true);
    // Never faster than 25 ms per character: the fastest speech the kiosk ever assumes.
    expect(row.text.length, `seq ${seq}`).toBeLessThanOrEqual(Math.floor(audioEndMs / 25));
    if (audioEndMs === 0) expect(row.text).toBe('');
  }
}

describe('cut interviewer turns in Postgres', () => {
  it('the minimal trigger (cut after response.done) is stored interrupted, with the heard words and the generated text beside them', async () => {
    const { rows, truncations } = await storeThroughTheKiosk(minimalTrigger);
    expect(rows).toHaveLength(1);
    expectCutTurnsHeardOnly(rows, truncations);
    expect(rows[0]!.text).toBe("I'm going to transfer you");
  });

  it.each(['banyan-webrtc-beta-cut-after-done', 'banyan-webrtc-beta-barge-ins', 'derived-ga-names-barge-ins'])(
    'the real capture %s ends in Postgres with every cut turn interrupted and no more heard text than played',
    async (name) => {
      const { rows, truncations } = await storeThroughTheKiosk(loadCapture(name));
      expect(rows.map((row) => row.seq)).toEqual(rows.map((_, index) => index));
      expectCutTurnsHeardOnly(rows, truncations);
      for (const row of rows.filter((candidate) => candidate.status === 'final')) expect(row.generated_text).toBeNull();
    },
  );
});
