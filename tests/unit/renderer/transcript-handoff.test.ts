import { describe, expect, it, vi } from 'vitest';
import { SessionEventLog } from '../../../src/renderer/realtime/session-event-log';
import { TranscriptHandoff } from '../../../src/renderer/realtime/transcript-handoff';
import { transcriptEntrySchema, type TranscriptEntry } from '../../../src/shared/domain/transcript';
import { KioskIpcError } from '../../../src/shared/kiosk-api';

const entry = (seq: number): TranscriptEntry => ({
  id: `0194f3a2-7c1e-7a00-8000-${String(seq).padStart(12, '0')}`,
  seq,
  speaker: seq % 2 === 0 ? 'interviewer' : 'candidate',
  text: `entry ${seq}`,
  timestamp: '2026-11-27T09:00:00.000Z',
  status: 'final',
});

describe('transcript hand-off to main', () => {
  it('lets a correction rewrite a saved seq without moving or breaking what is saved through, even when main refuses it', async () => {
    const refused: TranscriptEntry[] = [];
    const handoff = new TranscriptHandoff({
      append: async (entries) => {
        if (entries.some((item) => item.corrects !== undefined && item.text === 'refused')) throw new KioskIpcError('ipc.bad_request', 'Request does not match the contract.');
        return { savedIds: entries.map((item) => item.id) };
      },
      onSaved: () => undefined,
      onRejected: (entries) => refused.push(...entries),
    });
    handoff.push([entry(0), { ...entry(1), text: '', status: 'failed' }, entry(2)]);
    await handoff.flush();
    const correction = (text: string, id: string): TranscriptEntry => ({ ...entry(1), id, text, corrects: entry(1).id });
    handoff.push([correction('late words', '0194f3a2-7c1e-7a00-9000-000000000001')]);
    await handoff.flush();
    expect(handoff.savedThroughSeq).toBe(2);
    handoff.push([correction('refused', '0194f3a2-7c1e-7a00-9000-000000000002')]);
    await handoff.flush();
    expect(refused.map((item) => item.text)).toEqual(['refused']);
    handoff.push([entry(3)]);
    await handoff.flush();
    expect(handoff.savedThroughSeq).toBe(3);
  });

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

describe('transcript hand-off when main refuses for good', () => {
  // Main validates every entry as the server will; one it refuses would be refused on every retry.
  const strictAppend = (calls: number[][]) =>
    vi.fn(async (entries: TranscriptEntry[]) => {
      calls.push(entries.map((item) => item.seq));
      if (entries.some((item) => item.text.length > 20_000 || item.itemId === '')) throw new KioskIpcError('ipc.bad_request', 'Request does not match the contract.');
      return { savedIds: entries.map((item) => item.id) };
    });

  it('reports a refused entry once, drops it, and lets the entries after it through', async () => {
    const calls: number[][] = [];
    const saved: string[] = [];
    const onRejected = vi.fn();
    const onError = vi.fn();
    const handoff = new TranscriptHandoff({ append: strictAppend(calls), onSaved: (ids) => saved.push(...ids), onRejected, onError, retryDelayMs: () => 1, savedThroughSeq: 1 });
    handoff.push([entry(2), { ...entry(3), text: 'x'.repeat(20_001) }, entry(4)]);
    handoff.push([entry(5)]);
    expect(await handoff.flush(500)).toBe(true);
    expect(saved).toEqual([entry(2).id, entry(4).id, entry(5).id]);
    expect(onRejected).toHaveBeenCalledTimes(1);
    expect(onRejected.mock.calls[0]![0].map((item: TranscriptEntry) => item.seq)).toEqual([3]);
    expect(onRejected.mock.calls[0]![1]).toMatchObject({ code: 'ipc.bad_request' });
    expect(onError).not.toHaveBeenCalled();
    // Bounded: the batch once, then one call per entry of it; no endless retry.
    expect(calls.length).toBeLessThanOrEqual(5);
    // Nothing after the refused entry counts as saved through: the end may not claim seq 3.
    expect(handoff.savedThroughSeq).toBe(2);
  });

  it('stops sending once main says the interview has ended, reporting what was left once', async () => {
    const append = vi.fn(async () => Promise.reject(new KioskIpcError('interview.ended', 'That interview has already ended.')));
    const onRejected = vi.fn();
    const handoff = new TranscriptHandoff({ append, onSaved: () => {}, onRejected, retryDelayMs: () => 1 });
    handoff.push([entry(0), entry(1)]);
    expect(await handoff.flush(500)).toBe(true);
    expect(append).toHaveBeenCalledTimes(1);
    expect(onRejected).toHaveBeenCalledTimes(1);
    expect(onRejected.mock.calls[0]![0]).toHaveLength(2);
    expect(handoff.savedThroughSeq).toBe(-1);
  });

  it('never hands main an empty item id', async () => {
    const calls: number[][] = [];
    const append = strictAppend(calls);
    const handoff = new TranscriptHandoff({ append, onSaved: () => {} });
    handoff.push([{ ...entry(0), itemId: '' }, { ...entry(1), itemId: 'item_c1' }]);
    expect(await handoff.flush(500)).toBe(true);
    const sent = append.mock.calls[0]![0];
    expect('itemId' in sent[0]!).toBe(false);
    expect(sent[1]!.itemId).toBe('item_c1');
    for (const item of sent) expect(transcriptEntrySchema.safeParse(item).success).toBe(true);
    expect(handoff.savedThroughSeq).toBe(1);
  });

  it('counts as saved through only what main acknowledged while it is unreachable', async () => {
    let online = true;
    const handoff = new TranscriptHandoff({
      append: async (entries) => {
        if (!online) throw new KioskIpcError('bridge.offline', 'offline');
        return { savedIds: entries.map((item) => item.id) };
      },
      onSaved: () => {},
      retryDelayMs: () => 1,
      savedThroughSeq: 9,
    });
    expect(handoff.savedThroughSeq).toBe(9);
    handoff.push([entry(10)]);
    expect(await handoff.flush(500)).toBe(true);
    online = false;
    handoff.push([entry(11)]);
    expect(await handoff.flush(20)).toBe(false);
    expect(handoff.savedThroughSeq).toBe(10);
    online = true;
    expect(await handoff.flush(500)).toBe(true);
    expect(handoff.savedThroughSeq).toBe(11);
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
