// The proctor's break and extra time as the kiosk window carries them out, with a controlled clock:
// the room's clock stops during a break and the time limit moves with it, the microphone is off, the
// interviewer is told to wait and, after the break, asked for a short re-greeting.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterviewController } from '../../src/renderer/interview/interview-controller';
import { useConnectionStore } from '../../src/renderer/stores/connection-store';
import { useInterviewStore } from '../../src/renderer/stores/interview-store';
import { useTranscriptStore } from '../../src/renderer/stores/transcript-store';
import { elapsedMs, remainingMs } from '../../src/shared/domain/interview-clock';
import type { KioskApi } from '../../src/shared/kiosk-api';
import { KioskIpcError } from '../../src/shared/kiosk-api';
import { interviewLaunch } from './fixtures/interview-launch';

const minute = 60_000;
const launch = interviewLaunch({ policies: { maxDurationMinutes: 20, consentText: 'Consent.', recording: false } });

let resumeWith: unknown = null;

function harness() {
  const listeners = new Map<string, (payload: unknown) => void>();
  const finishedAt: number[] = [];
  const finish = vi.fn(async () => {
    finishedAt.push(Date.now());
    return { queued: true as const };
  });
  const kiosk = {
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    config: { get: vi.fn(async () => Promise.reject(new KioskIpcError('ipc.not_available', 'no'))) },
    interview: {
      current: vi.fn(async () => null),
      resume: vi.fn(async () => resumeWith),
      roomOpened: vi.fn(async ({ startedAt }: { startedAt: string }) => ({ roomStartedAt: startedAt })),
      finish,
    },
    transcript: { append: vi.fn(async () => ({ savedIds: [] })) },
    session: { events: vi.fn(async ({ events }: { events: unknown[] }) => ({ saved: events.length })) },
    devices: { report: vi.fn(async () => ({ reported: true as const })) },
  } as unknown as KioskApi;
  const sent: Array<Record<string, unknown>> = [];
  const track = { enabled: true, stop: vi.fn() };
  const microphone = { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
  const controller = new InterviewController({
    kiosk,
    acquireMedia: async () => ({ microphone, camera: null, cameraProblem: 'missing', stop: () => {} }),
    createSession: () => ({
      prewarm: async () => {},
      preconnect: async () => {},
      start: async () => {},
      send: (event: Record<string, unknown>) => {
        sent.push(event);
        return true;
      },
      close: () => {},
      proxyReachable: true,
    }),
    playRemoteAudio: () => {},
    completionHoldMs: 0,
    endGraceMs: 0,
    transcriptGraceMs: 0,
  });
  const control = (payload: unknown) => listeners.get('interview.proctorControl')!(payload);
  return { controller, listeners, sent, track, finish, finishedAt, control };
}

async function intoRoom(h: ReturnType<typeof harness>) {
  await h.controller.init();
  h.listeners.get('interview.launched')!(launch);
  await vi.advanceTimersByTimeAsync(0);
  h.controller.acceptConsent();
  h.controller.startInterview();
  expect(useInterviewStore.getState().phase).toBe('room');
}

const at = () => new Date().toISOString();
const types = (events: Array<Record<string, unknown>>) => events.map((event) => event.type);

beforeEach(() => {
  resumeWith = null;
  vi.useFakeTimers({ now: Date.UTC(2026, 11, 4, 9) });
  useInterviewStore.getState().reset();
  useConnectionStore.getState().reset();
  useTranscriptStore.getState().clear();
});
afterEach(() => vi.useRealTimers());

describe('proctor control in the kiosk window', () => {
  it('a break stops the clock and mutes the microphone; the time limit comes that much later', async () => {
    const h = harness();
    await intoRoom(h);
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(5 * minute);
    h.control({ action: 'pause', at: at() });
    expect(useInterviewStore.getState().onBreak).toBe(true);
    expect(h.track.enabled).toBe(false);
    // The interviewer is cut off and told to wait.
    expect(types(h.sent)).toEqual(['response.cancel', 'output_audio_buffer.clear', 'conversation.item.create']);
    expect(JSON.stringify(h.sent.at(-1))).toContain('paused the interview');

    // A 30-minute break: longer than the whole limit, and the interview does not end.
    await vi.advanceTimersByTimeAsync(30 * minute);
    expect(h.finish).not.toHaveBeenCalled();
    const clock = useInterviewStore.getState().clock!;
    expect(elapsedMs(clock, Date.now())).toBe(5 * minute);

    h.sent.length = 0;
    h.control({ action: 'resume', at: at() });
    expect(useInterviewStore.getState().onBreak).toBe(false);
    expect(h.track.enabled).toBe(true);
    expect(types(h.sent)).toEqual(['conversation.item.create', 'response.create']);
    expect(JSON.stringify(h.sent[0])).toContain('Welcome the candidate back');
    expect(useInterviewStore.getState().deadlineAt).toBe(Date.now() + 15 * minute);

    await vi.advanceTimersByTimeAsync(15 * minute - 1);
    expect(h.finish).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(h.finish).toHaveBeenCalledWith(expect.objectContaining({ reason: 'time_limit' })));
    // 5 minutes before the break, 30 of break, 15 after: the limit of 20 fell at 50 minutes of wall time.
    expect(h.finishedAt[0]! - start).toBeGreaterThanOrEqual(50 * minute);
    expect(h.finishedAt[0]! - start).toBeLessThan(50 * minute + 1_000);
  });

  it('extra time granted live moves the time limit and the clock on screen', async () => {
    const h = harness();
    await intoRoom(h);
    await vi.advanceTimersByTimeAsync(18 * minute);
    h.control({ action: 'extra_time', at: at(), extraMs: 10 * minute });
    expect(remainingMs(useInterviewStore.getState().clock!, Date.now())).toBe(12 * minute);
    expect(useInterviewStore.getState().deadlineAt).toBe(Date.now() + 12 * minute);
    await vi.advanceTimersByTimeAsync(2 * minute + 1);
    expect(h.finish).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10 * minute);
    await vi.waitFor(() => expect(h.finish).toHaveBeenCalledWith(expect.objectContaining({ reason: 'time_limit' })));
  });

  it('a second pause, a resume without a break, or control before the room opened change nothing', async () => {
    const h = harness();
    await h.controller.init();
    h.control({ action: 'pause', at: at() });
    expect(useInterviewStore.getState().onBreak).toBe(false);
    h.listeners.get('interview.launched')!(launch);
    await vi.advanceTimersByTimeAsync(0);
    h.controller.acceptConsent();
    h.controller.startInterview();
    h.control({ action: 'resume', at: at() });
    expect(h.sent).toEqual([]);
    h.control({ action: 'pause', at: at() });
    const sentAfterPause = h.sent.length;
    h.control({ action: 'pause', at: at() });
    expect(h.sent).toHaveLength(sentAfterPause);
  });

  it('a window reloaded during a break comes back on the break, with the earlier breaks and extra time counted', async () => {
    const t0 = Date.now() - 10 * minute;
    const iso = (ms: number) => new Date(ms).toISOString();
    resumeWith = {
      launch: { ...launch, nextSeq: 2 },
      roomStartedAt: iso(t0),
      transcript: [],
      proctorClock: {
        extraMs: 5 * minute,
        pauses: [
          { from: iso(t0 + 2 * minute), to: iso(t0 + 4 * minute) },
          { from: iso(t0 + 6 * minute), to: null },
        ],
      },
    };
    const h = harness();
    await h.controller.init();
    await vi.advanceTimersByTimeAsync(0);
    const state = useInterviewStore.getState();
    expect(state.phase).toBe('room');
    expect(state.onBreak).toBe(true);
    // 10 minutes of wall time, 2 + 4 of them on breaks; a 20-minute limit plus 5 extra.
    expect(elapsedMs(state.clock!, Date.now())).toBe(4 * minute);
    expect(remainingMs(state.clock!, Date.now())).toBe(21 * minute);
    expect(h.track.enabled).toBe(false);
    await vi.advanceTimersByTimeAsync(60 * minute);
    expect(h.finish).not.toHaveBeenCalled();
    h.control({ action: 'resume', at: at() });
    expect(h.track.enabled).toBe(true);
    expect(useInterviewStore.getState().deadlineAt).toBe(Date.now() + 21 * minute);
  });
});
