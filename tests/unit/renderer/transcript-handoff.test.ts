import { describe, expect, it, vi } from 'vitest';
import { SessionEventLog } from '../../../src/renderer/realtime/session-event-log';
import { TranscriptHandoff } from '../../../src/renderer/realtime/transcript-handoff';
import type { TranscriptEntry } from '../../../src/shared/domain/transcript';

const entry = (seq: number): TranscriptEntry => ({
  id: `0194f3a2-7c1e-7a00-8000-${String(seq).padStart(12, '0')}`,
  seq,
  speaker: seq % 2 === 0 ? 'interviewer' : 'candidate',
  text: `entry ${seq}`,
  timestamp: '2026-11-27T09:00:00.000Z',
  status: 'final',
});

describe('transcript hand-off to main', () => {
  it('sends entries in seq order, at most 100 per call, one call at a time, and reports what main saved', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const batches: number[][] = [];
    const saved: string[] = [];
    const handoff = new TranscriptHandoff({
      append: async (entries) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        batches.push(entries.map((item) => item.seq));
        inFlight--;
        return { savedIds: entries.map((item) => item.id) };
      },
      onSaved: (ids) => saved.push(...ids),
    });
    handoff.push(Array.from({ length: 150 }, (_, seq) => entry(seq)));
    handoff.push([entry(150)]);
    expect(await handoff.flush()).toBe(true);
    expect(maxInFlight).toBe(1);
    expect(batches.map((batch) => batch.length)).toEqual([100, 51]);
    expect(batches.flat()).toEqual(Array.from({ length: 151 }, (_, seq) => seq));
    expect(saved).toHaveLength(151);
  });

  it('keeps retrying the same entries while main is unreachable, and never reports them saved before it answers', async () => {
    let failures = 3;
    const calls: string[][] = [];
    const onSaved = vi.fn();
    const handoff = new TranscriptHandoff({
      append: async (entries) => {
        calls.push(entries.map((item) => item.id));
        if (failures-- > 0) throw new Error('bridge offline');
        return { savedIds: entries.map((item) => item.id) };
      },
      onSaved,
      retryDelayMs: () => 1,
    });
    handoff.push([entry(0), entry(1)]);
    expect(await handoff.flush(50)).toBe(true);
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((ids) => ids.join()))).toEqual(new Set([calls[0]!.join()]));
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  it('says so when main did not take everything in time', async () => {
    const handoff = new TranscriptHandoff({ append: () => new Promise(() => {}), onSaved: () => {} });
    handoff.push([entry(0)]);
    expect(await handoff.flush(20)).toBe(false);
    expect(handoff.pendingCount).toBe(1);
  });
});

describe('session event log', () => {
  it('batches events with ids and times, and keeps them when main fails to take them', async () => {
    let fail = true;
    const saved: Array<{ kind: string; id: string }> = [];
    const log = new SessionEventLog({
      save: async (events) => {
        if (fail) throw new Error('busy');
        saved.push(...events);
      },
      batchDelayMs: 1_000,
    });
    log.record('sdp_offer', { sdp: 'v=0' });
    log.record('webrtc_status', { connectionState: 'connected' });
    await log.flush();
    expect(saved).toEqual([]);
    fail = false;
    await log.flush();
    expect(saved.map((event) => event.kind)).toEqual(['sdp_offer', 'webrtc_status']);
    expect(new Set(saved.map((event) => event.id)).size).toBe(2);
  });
});
