import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterviewController, MAX_TIME_GIVEN_BACK_MS } from '../../src/renderer/interview/interview-controller';
import type { RealtimeSessionDeps } from '../../src/renderer/realtime/realtime-session';
import { gptLiveWriter, realtimeGaWriter } from '../../src/renderer/realtime/provider-writer';
import { signalErrorFor } from '../../src/renderer/realtime/proxy-signal';
import { useConnectionStore } from '../../src/renderer/stores/connection-store';
import { useInterviewStore } from '../../src/renderer/stores/interview-store';
import { useTranscriptStore } from '../../src/renderer/stores/transcript-store';
import type { TranscriptEntry } from '../../src/shared/domain/transcript';
import type { KioskApi } from '../../src/shared/kiosk-api';
import { KioskIpcError } from '../../src/shared/kiosk-api';
import { interviewLaunch } from './fixtures/interview-launch';

const launch = interviewLaunch({ policies: { maxDurationMinutes: 1, consentText: 'Consent.', recording: true }, nextSeq: 5 });

const greeting = [
  { type: 'conversation.item.added', previous_item_id: null, item: { id: 'a1', type: 'message', role: 'assistant' } },
  { type: 'output_audio_buffer.started', response_id: 'r1' },
  { type: 'response.output_audio_transcript.delta', response_id: 'r1', item_id: 'a1', delta: 'Hello there.' },
  { type: 'response.output_audio_transcript.done', response_id: 'r1', item_id: 'a1', transcript: 'Hello there.' },
  { type: 'response.done', response: { id: 'r1', status: 'completed', output: [{ id: 'a1', role: 'assistant' }] } },
  { type: 'output_audio_buffer.stopped', response_id: 'r1' },
];

/** Entries main kept before the reload. */
const restored = (count: number): TranscriptEntry[] =>
  Array.from({ length: count }, (_, seq) => ({
    id: `0194f3a2-7c1e-7a00-8000-0000000001${String(seq).padStart(2, '0')}`,
    seq,
    speaker: seq % 2 === 0 ? ('interviewer' as const) : ('candidate' as const),
    text: `earlier turn ${seq}`,
    timestamp: new Date(Date.now() - 30_000 + seq * 1000).toISOString(),
    status: 'final' as const,
  }));

function harness(options: { appendFailures?: number } = {}) {
  const log: string[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const appended: TranscriptEntry[] = [];
  let appendFailures = options.appendFailures ?? 0;
  const kiosk = {
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    config: { get: vi.fn(async () => Promise.reject(new KioskIpcError('ipc.not_available', 'no'))) },
    interview: {
      current: vi.fn(async () => null),
      resume: vi.fn(async () => null),
      roomOpened: vi.fn(async ({ startedAt }: { startedAt: string }) => ({ roomStartedAt: startedAt })),
      finish: vi.fn(async (request: unknown) => {
        log.push(`finish ${JSON.stringify(request)}`);
        return { queued: true as const };
      }),
    },
    transcript: {
      append: vi.fn(async ({ entries }: { entries: TranscriptEntry[] }) => {
        if (appendFailures-- > 0) throw new KioskIpcError('bridge.offline', 'offline');
        appended.push(...entries);
        log.push(`append ${entries.map((entry) => entry.seq).join(',')}`);
        return { savedIds: entries.map((entry) => entry.id) };
      }),
    },
    session: { events: vi.fn(async ({ events }: { events: unknown[] }) => ({ saved: events.length })) },
    devices: { report: vi.fn(async () => ({ reported: true as const })) },
  } as unknown as KioskApi;
  let sessionDeps: RealtimeSessionDeps | null = null;
  const sent: Array<Record<string, unknown>> = [];
  const session = {
    prewarm: vi.fn(async () => {}),
    preconnect: vi.fn(async () => {}),
    writer: realtimeGaWriter,
    start: vi.fn(async () => {
      sessionDeps!.onStatus?.('live', { attempt: 0 });
    }),
    send: vi.fn((event: Record<string, unknown>) => {
      sent.push(event);
      return true;
    }),
    close: vi.fn(() => log.push('session closed')),
    proxyReachable: true,
  };
  const recorder = {
    start: vi.fn(async () => {}),
    stop: vi.fn(async () => {
      log.push('recorder stopped');
    }),
    addRemoteAudio: vi.fn(),
  };
  const media = { microphone: {} as MediaStream, camera: {} as MediaStream, stop: vi.fn() };
  const controller = new InterviewController({
    kiosk,
    acquireMedia: async () => media,
    createSession: (deps) => {
      sessionDeps = deps;
      return session;
    },
    createRecorder: () => recorder,
    playRemoteAudio: () => {},
    completionHoldMs: 0,
    endGraceMs: 50,
    transcriptGraceMs: 300,
  });
  const emit = (events: unknown[]) => events.forEach((event) => sessionDeps!.onEvent!(event));
  return { controller, kiosk, listeners, appended, log, session, recorder, media, sent, emit, deps: () => sessionDeps! };
}

async function intoRoom(h: ReturnType<typeof harness>) {
  await h.controller.init();
  h.listeners.get('interview.launched')!(launch);
  await vi.waitFor(() => expect(useConnectionStore.getState().proxyReachable).toBe(true));
  h.controller.acceptConsent();
  h.controller.startInterview();
  await vi.waitFor(() => expect(h.recorder.start).toHaveBeenCalled());
}

async function intoRoomFromDeviceCheck(h: ReturnType<typeof harness>) {
  await vi.waitFor(() => expect(useConnectionStore.getState().proxyReachable).toBe(true));
  h.controller.startInterview();
  expect(useInterviewStore.getState().phase).toBe('room');
}

beforeEach(() => {
  useInterviewStore.getState().reset();
  useConnectionStore.getState().reset();
  useTranscriptStore.getState().clear();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('interview controller', () => {
  it('goes from launch through consent and device check into the room, pre-warming during consent', async () => {
    const h = harness();
    await h.controller.init();
    expect(useInterviewStore.getState().phase).toBe('idle');
    const fresh = { ...launch, nextSeq: 0 };
    h.listeners.get('interview.launched')!(fresh);
    expect(useInterviewStore.getState().phase).toBe('consent');
    await vi.waitFor(() => expect(h.session.preconnect).toHaveBeenCalled());
    expect(useInterviewStore.getState().devices).toMatchObject({ microphone: 'ok', camera: 'ok' });
    h.controller.startInterview();
    expect(h.session.start).not.toHaveBeenCalled();
    h.controller.acceptConsent();
    h.controller.startInterview();
    expect(useInterviewStore.getState().phase).toBe('room');
    expect(h.session.start).toHaveBeenCalledTimes(1);
    // A second launch of the same interview (e.g. interview.current after launched) changes nothing.
    h.listeners.get('interview.launched')!(fresh);
    expect(useInterviewStore.getState().phase).toBe('room');
    h.controller.dispose();
  });

  it('after the window was reloaded mid-interview, resumes at the device check without asking consent again', async () => {
    const h = harness();
    (h.kiosk.interview.resume as ReturnType<typeof vi.fn>).mockResolvedValueOnce({ launch: { ...launch, nextSeq: 12 }, roomStartedAt: null, transcript: [] });
    await h.controller.init();
    expect(useInterviewStore.getState().phase).toBe('device-check');
    await intoRoomFromDeviceCheck(h);
    h.emit(greeting);
    await vi.waitFor(() => expect(h.appended[0]?.seq).toBe(12));
    h.controller.dispose();
  });

  it('asks for the greeting once the call is up after Start, and not on a resume (seeded through onRecovered instead)', async () => {
    const h = harness();
    await intoRoom(h);
    expect(h.sent).toEqual([]);
    h.deps().onConnected!({ connectMs: 1, offerToAnswerMs: 0, answerToOpenMs: 0, prewarmed: true, preconnected: true });
    expect(h.sent).toEqual([{ type: 'response.create' }]);
    h.controller.dispose();

    const resumed = harness();
    (resumed.kiosk.interview.resume as ReturnType<typeof vi.fn>).mockResolvedValueOnce({ launch: { ...launch, nextSeq: 3 }, roomStartedAt: new Date().toISOString(), transcript: restored(3) });
    await resumed.controller.init();
    await vi.waitFor(() => expect(resumed.session.start).toHaveBeenCalledWith({ resume: true }));
    resumed.deps().onConnected!({ connectMs: 1, offerToAnswerMs: 1, answerToOpenMs: 1, prewarmed: false });
    expect(resumed.sent).toEqual([]);
    resumed.controller.dispose();
  });

  it('tells main when the room opened, so a reload continues that clock', async () => {
    const h = harness();
    await intoRoom(h);
    const startedAt = useInterviewStore.getState().roomStartedAt!;
    expect(h.kiosk.interview.roomOpened).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, startedAt: new Date(startedAt).toISOString() });
    h.controller.dispose();
  });

  it('after a reload with the room open, goes straight back into it: same clock, whole transcript, call re-established and seeded', async () => {
    const h = harness();
    const earlier = restored(3);
    const roomStartedAt = new Date(Date.now() - 20_000).toISOString();
    (h.kiosk.interview.resume as ReturnType<typeof vi.fn>).mockResolvedValueOnce({ launch: { ...launch, nextSeq: 3 }, roomStartedAt, transcript: earlier });
    await h.controller.init();
    // No consent, no device check, no Start.
    expect(useInterviewStore.getState()).toMatchObject({ phase: 'room', roomStartedAt: Date.parse(roomStartedAt), deadlineAt: Date.parse(roomStartedAt) + 60_000 });
    expect(useTranscriptStore.getState().turns.map((turn) => [turn.text, turn.saved])).toEqual(earlier.map((entry) => [entry.text, true]));
    await vi.waitFor(() => expect(h.session.start).toHaveBeenCalledWith({ resume: true }));
    expect(h.session.prewarm).not.toHaveBeenCalled();
    expect(h.session.preconnect).not.toHaveBeenCalled();
    // The start stays the first one: main is not told a new one.
    expect(h.kiosk.interview.roomOpened).not.toHaveBeenCalled();
    // The session reports the resumed call as it reports a recovery: the provider learns all of it.
    await h.deps().onRecovered!('resumed', realtimeGaWriter);
    expect(h.sent.filter((event) => event.type === 'conversation.item.create').map((event) => (event.item as { id: string }).id)).toEqual(['seed_0', 'seed_1', 'seed_2']);
    expect(h.sent.at(-1)).toEqual({ type: 'response.create' });
    // Nothing restored is sent to main again; the next turn takes the seq after the last.
    h.emit(greeting);
    await vi.waitFor(() => expect(h.appended).toHaveLength(1));
    expect(h.appended[0]).toMatchObject({ seq: 3, text: 'Hello there.' });
    expect(useTranscriptStore.getState().turns).toHaveLength(4);
    h.controller.dispose();
  });

  it('after a reload, the time limit still counts from the first start of the room', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const h = harness();
    (h.kiosk.interview.resume as ReturnType<typeof vi.fn>).mockResolvedValueOnce({
      launch: { ...launch, nextSeq: 1 },
      roomStartedAt: new Date(Date.now() - 50_000).toISOString(),
      transcript: restored(1),
    });
    await h.controller.init();
    expect(useInterviewStore.getState().phase).toBe('room');
    await vi.advanceTimersByTimeAsync(9_000);
    expect(useInterviewStore.getState().phase).toBe('room');
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.waitFor(() => expect(useInterviewStore.getState().phase).toBe('complete'));
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 0, reason: 'time_limit' });
  });

  it("reports the link to main for the proctor's seat each time the candidate's notice changes, not on every sample", async () => {
    const h = harness();
    (h.kiosk.interview.resume as ReturnType<typeof vi.fn>).mockResolvedValueOnce({
      launch: { ...launch, nextSeq: 1 },
      roomStartedAt: new Date(Date.now() - 50_000).toISOString(),
      transcript: restored(1),
    });
    await h.controller.init();
    const report = h.kiosk.devices.report as ReturnType<typeof vi.fn>;
    const links = () => report.mock.calls.map(([request]) => (request as { link?: string }).link).filter((link) => link !== undefined);
    h.deps().onLinkHealth!(true, ['loss']);
    h.deps().onLinkHealth!(true, ['loss', 'high_rtt']);
    h.deps().onLinkHealth!(false, []);
    await vi.waitFor(() => expect(links()).toEqual(['unstable', 'stable']));
  });

  it('gives the time the link was dead back to the time limit, but not time on a merely lossy link', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const h = harness();
    (h.kiosk.interview.resume as ReturnType<typeof vi.fn>).mockResolvedValueOnce({
      launch: { ...launch, nextSeq: 1 },
      roomStartedAt: new Date(Date.now() - 50_000).toISOString(),
      transcript: restored(1),
    });
    await h.controller.init();
    const deadline = useInterviewStore.getState().deadlineAt!;
    h.deps().onLinkHealth!(true, ['loss']);
    await vi.advanceTimersByTimeAsync(2_000);
    h.deps().onLinkHealth!(false, []);
    expect(useInterviewStore.getState().deadlineAt).toBe(deadline);
    expect(useConnectionStore.getState().linkUnstable).toBe(false);
    h.deps().onLinkHealth!(true, ['no_packets', 'ice_disconnected']);
    expect(useConnectionStore.getState().linkUnstable).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    h.deps().onLinkHealth!(false, []);
    expect(useInterviewStore.getState().deadlineAt! - deadline).toBeGreaterThanOrEqual(5_000);
    expect(useInterviewStore.getState().deadlineAt! - deadline).toBeLessThan(5_500);
    // 10 s were left at the start; 7 s have passed, the 5 s of dead link do not count.
    await vi.advanceTimersByTimeAsync(7_000);
    expect(useInterviewStore.getState().phase).toBe('room');
    await vi.advanceTimersByTimeAsync(1_500);
    await vi.waitFor(() => expect(useInterviewStore.getState().phase).toBe('complete'));
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 0, reason: 'time_limit' });
    const events = (h.kiosk.session.events as ReturnType<typeof vi.fn>).mock.calls.flatMap(([request]) => (request as { events: Array<{ kind: string; data: Record<string, unknown> }> }).events);
    expect(events.find((event) => event.data.metric === 'time_given_back')?.data.lost_ms).toBeGreaterThanOrEqual(5_000);
  });

  it('stops the clock while the link is dead, but not for longer than the most it may give back', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const h = harness();
    (h.kiosk.interview.resume as ReturnType<typeof vi.fn>).mockResolvedValueOnce({
      launch: { ...launch, nextSeq: 1 },
      roomStartedAt: new Date(Date.now() - 50_000).toISOString(),
      transcript: restored(1),
    });
    await h.controller.init();
    h.deps().onLinkHealth!(true, ['no_packets']);
    // 10 s were left: the dead link holds the limit past them...
    await vi.advanceTimersByTimeAsync(60_000);
    expect(useInterviewStore.getState().phase).toBe('room');
    // ...but only for MAX_TIME_GIVEN_BACK_MS.
    await vi.advanceTimersByTimeAsync(MAX_TIME_GIVEN_BACK_MS - 60_000 + 10_000 + 500);
    await vi.waitFor(() => expect(useInterviewStore.getState().phase).toBe('complete'));
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 0, reason: 'time_limit' });
  });

  it('after a reload before the room opened, shows the transcript so far at the device check and continues its seqs', async () => {
    const h = harness();
    (h.kiosk.interview.resume as ReturnType<typeof vi.fn>).mockResolvedValueOnce({ launch: { ...launch, nextSeq: 0 }, roomStartedAt: null, transcript: restored(2) });
    await h.controller.init();
    expect(useInterviewStore.getState().phase).toBe('device-check');
    expect(useTranscriptStore.getState().turns).toHaveLength(2);
    await intoRoomFromDeviceCheck(h);
    h.emit(greeting);
    await vi.waitFor(() => expect(h.appended[0]?.seq).toBe(2));
    h.controller.dispose();
  });

  it('hands committed entries to main from the launch nextSeq and shows them saved after the acknowledgement', async () => {
    const h = harness({ appendFailures: 1 });
    await intoRoom(h);
    h.emit(greeting);
    expect(useConnectionStore.getState().interviewerSpeaking).toBe(false);
    await vi.waitFor(() => expect(h.appended).toHaveLength(1), { timeout: 3_000 });
    expect(h.appended[0]).toMatchObject({ seq: 5, speaker: 'interviewer', text: 'Hello there.', status: 'final' });
    expect(h.kiosk.transcript.append).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(useTranscriptStore.getState().turns[0]?.saved).toBe(true));
    h.controller.dispose();
  });

  it('ends on the proctor request: recording stopped and transcript flushed before interview.finish with the last seq', async () => {
    const h = harness();
    await intoRoom(h);
    h.emit(greeting);
    h.emit([{ type: 'input_audio_buffer.committed', previous_item_id: 'a1', item_id: 'c1' }, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'c1', delta: 'I think' }]);
    h.listeners.get('interview.endRequested')!({ reason: 'proctor' });
    await vi.waitFor(() => expect(useInterviewStore.getState().phase).toBe('complete'));
    // The candidate's half-finished turn is kept as spoken so far.
    expect(h.appended.map((entry) => [entry.seq, entry.text])).toEqual([
      [5, 'Hello there.'],
      [6, 'I think'],
    ]);
    const finishAt = h.log.findIndex((line) => line.startsWith('finish'));
    expect(h.log.indexOf('recorder stopped')).toBeLessThan(finishAt);
    expect(h.log.indexOf('session closed')).toBeLessThan(finishAt);
    expect(h.log.findLastIndex((line) => line.startsWith('append'))).toBeLessThan(finishAt);
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 6, reason: 'proctor' });
    expect(h.media.stop).toHaveBeenCalled();
    expect(useInterviewStore.getState()).toMatchObject({ endReason: 'proctor', lastSeq: 6, finishQueued: true });
  });

  it("waits for the transcription of the candidate's last words before closing the call", async () => {
    const h = harness();
    await intoRoom(h);
    h.emit(greeting);
    h.emit([{ type: 'input_audio_buffer.committed', previous_item_id: 'a1', item_id: 'c1' }, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'c1', delta: 'That is' }]);
    const ending = h.controller.end('completed');
    // The provider's final transcript arrives just after the candidate pressed "I have finished".
    setTimeout(() => h.emit([{ type: 'conversation.item.input_audio_transcription.completed', item_id: 'c1', transcript: 'That is all from me, thank you.' }]), 100);
    await ending;
    expect(h.appended.map((entry) => [entry.seq, entry.text, entry.status])).toEqual([
      [5, 'Hello there.', 'final'],
      [6, 'That is all from me, thank you.', 'final'],
    ]);
    expect(h.log.indexOf('session closed')).toBeLessThan(h.log.findIndex((line) => line.startsWith('finish')));
  });

  it('after a dropped call keeps what was said, then seeds the new call with the transcript so far', async () => {
    const h = harness();
    await intoRoom(h);
    h.emit(greeting.slice(0, 3));
    h.deps().onStatus!('reconnecting', { attempt: 1 });
    await vi.waitFor(() => expect(h.appended).toHaveLength(1));
    expect(h.appended[0]).toMatchObject({ seq: 5, text: 'Hello there.', status: 'interrupted' });
    h.deps().onStatus!('live', { attempt: 0 });
    await h.deps().onRecovered!('peer_failed', realtimeGaWriter);
    expect(h.sent).toEqual([
      { type: 'conversation.item.create', item: { id: 'seed_5', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello there.' }] } },
      { type: 'response.create' },
    ]);
    // The provider echoes the seed item: it is not a new turn.
    h.emit([{ type: 'conversation.item.added', previous_item_id: null, item: { id: 'seed_5', type: 'message', role: 'assistant' } }]);
    expect(useTranscriptStore.getState().turns).toHaveLength(1);
    h.controller.dispose();
  });

  it('after a dropped GPT-Live call hands the transcript so far to the re-offer and sends nothing on the channel', async () => {
    const h = harness();
    await intoRoom(h);
    h.emit(greeting);
    h.deps().onStatus!('reconnecting', { attempt: 1 });
    expect(h.deps().transcriptSoFar!()).toEqual([expect.objectContaining({ seq: 5, speaker: 'interviewer', text: 'Hello there.' })]);
    h.deps().onStatus!('live', { attempt: 0 });
    await h.deps().onRecovered!('peer_failed', gptLiveWriter);
    expect(h.sent).toEqual([]);
    h.controller.dispose();
  });

  it('ends with reason error and a plain message when recovery gives up', async () => {
    const h = harness();
    await intoRoom(h);
    h.deps().onFatal!(signalErrorFor('upstream_unavailable', 'down'));
    await vi.waitFor(() => expect(useInterviewStore.getState().phase).toBe('complete'));
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 4, reason: 'error' });
    expect(useInterviewStore.getState().error?.title).toBe('The connection was lost');
  });

  it('asks main for each connection\'s pass for this interview, and a reconnection the backend refuses (interview ended) closes the room as ended, not as a failure', async () => {
    const h = harness();
    const pass = { url: 'ws://proxy/v1/signal', token: 'fresh', expiresAt: new Date(Date.now() + 600_000).toISOString(), sessionConfigToken: 'sealed' };
    (h.kiosk.interview as unknown as { proxyPass: unknown }).proxyPass = vi.fn(async () => pass);
    await intoRoom(h);
    expect(await h.deps().refreshCredentials!()).toEqual(pass);
    expect((h.kiosk.interview as unknown as { proxyPass: ReturnType<typeof vi.fn> }).proxyPass).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId });
    h.deps().onFatal!(signalErrorFor('interview_ended', 'This interview has ended.'));
    await vi.waitFor(() => expect(useInterviewStore.getState().phase).toBe('complete'));
    expect(useInterviewStore.getState().endReason).toBe('proctor');
    expect(useInterviewStore.getState().error).toBeNull();
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 4, reason: 'proctor' });
  });

  it('ends at the time limit, letting the interviewer finish the sentence it is on', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const h = harness();
    await intoRoom(h);
    h.emit(greeting.slice(0, 3));
    expect(useConnectionStore.getState().interviewerSpeaking).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(useInterviewStore.getState().phase).toBe('ending');
    h.emit(greeting.slice(3));
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(useInterviewStore.getState().phase).toBe('complete'));
    expect(h.appended.map((entry) => entry.status)).toEqual(['final']);
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 5, reason: 'time_limit' });
  });

  it('when main never takes the last entries, ends claiming only the seq it saved through', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const h = harness();
    await intoRoom(h);
    h.emit(greeting);
    await vi.waitFor(() => expect(h.appended).toHaveLength(1));
    (h.kiosk.transcript.append as ReturnType<typeof vi.fn>).mockImplementation(async () => Promise.reject(new KioskIpcError('bridge.offline', 'offline')));
    h.emit([{ type: 'input_audio_buffer.committed', previous_item_id: 'a1', item_id: 'c1' }, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'c1', delta: 'I think' }]);
    const ended = h.controller.end('completed');
    await vi.advanceTimersByTimeAsync(31_000);
    await ended;
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 5, reason: 'completed' });
    expect(useInterviewStore.getState()).toMatchObject({ lastSeq: 5, finishQueued: true });
    h.controller.dispose();
  });

  it('logs an entry main refuses for good once, hands over the turns after it, and ends before the gap', async () => {
    const h = harness();
    const append = h.kiosk.transcript.append as ReturnType<typeof vi.fn>;
    const fallback = append.getMockImplementation() as (request: { entries: TranscriptEntry[] }) => Promise<{ savedIds: string[] }>;
    const refusedCalls: number[][] = [];
    // Stands in for any entry main will never take, however often it is sent.
    append.mockImplementation(async (request: { entries: TranscriptEntry[] }) => {
      if (request.entries.some((entry) => entry.text.length > 20_000 || entry.itemId === 'c1')) {
        refusedCalls.push(request.entries.map((entry) => entry.seq));
        throw new KioskIpcError('ipc.bad_request', 'Request does not match the contract.');
      }
      return fallback(request);
    });
    await intoRoom(h);
    const long = 'a'.repeat(25_000);
    h.emit([
      ...greeting,
      { type: 'input_audio_buffer.committed', previous_item_id: 'a1', item_id: 'c1' },
      { type: 'conversation.item.input_audio_transcription.completed', item_id: 'c1', transcript: 'Refused.' },
      { type: 'input_audio_buffer.committed', previous_item_id: 'c1', item_id: 'c2' },
      { type: 'conversation.item.input_audio_transcription.completed', item_id: 'c2', transcript: long },
    ]);
    await vi.waitFor(() => expect(h.appended.map((entry) => entry.seq)).toEqual([5, 7]));
    // The assembler keeps the start of an overlong turn, within what main accepts.
    expect(h.appended[1]!.text).toBe(long.slice(0, 20_000));
    await h.controller.end('completed');
    expect(refusedCalls.filter((seqs) => seqs.length === 1 && seqs[0] === 6)).toHaveLength(1);
    const events = (h.kiosk.session.events as ReturnType<typeof vi.fn>).mock.calls.flatMap(([request]) => (request as { events: Array<{ kind: string; data: Record<string, unknown> }> }).events);
    const refusals = events.filter((event) => event.kind === 'error' && event.data.code === 'ipc.bad_request');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.data).toMatchObject({ during: 'transcript.append', seqs: [6] });
    // Seq 6 never reached main: the end claims only what it holds without a gap.
    expect(h.kiosk.interview.finish).toHaveBeenCalledWith({ interviewSessionId: launch.interviewSessionId, lastSeq: 5, reason: 'completed' });
  });
});
