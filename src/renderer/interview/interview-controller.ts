// Runs one interview at a time from the kiosk window's side: takes the launch from main, pre-warms the
// call during consent, runs the room (provider events → transcript → main), records, recovers, and
// ends — candidate done, time limit, proctor, or a fatal error — flushing everything before it asks
// main to close the session. Framework-free; the stores are its only way to the screen.
import type { EndReason, InterviewLaunch, InterviewResume, SessionEventKind } from '../../shared/domain/interview';
import type { TranscriptEntry } from '../../shared/domain/transcript';
import type { KioskApi } from '../../shared/kiosk-api';
import type { IpcEventPayload } from '../../shared/ipc-contract';
import { deadlineAt, grantExtraTime, isPaused, pauseClock, pausedMs, remainingMs, resumeClock, startClock, type InterviewClock } from '../../shared/domain/interview-clock';
import { acquireLocalMedia, MediaAccessError, requestCamera, type LocalMedia } from '../media/local-media';
import type { DeviceCheck } from '../stores/interview-store';
import { playTestChime } from '../media/level-meter';
import { ProviderEventReader, type TranscriptSignal } from '../realtime/provider-events';
import type { SignalError } from '../realtime/proxy-signal';
import { RealtimeSession, type ProxyCredentials, type RealtimeSessionDeps } from '../realtime/realtime-session';
import { SessionEventLog } from '../realtime/session-event-log';
import { TranscriptAssembler } from '../realtime/transcript-assembler';
import { TranscriptHandoff } from '../realtime/transcript-handoff';
import { InterviewRecorder, type InterviewRecorderOptions } from '../recording/interview-recorder';
import { useConnectionStore } from '../stores/connection-store';
import { useInterviewStore, type PlainError } from '../stores/interview-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { backoffDelayMs, sleep } from '../backoff';
import { codeOf, messageOf } from '../error-fields';
import { realtimeGaWriter, type ProviderWriter } from '../realtime/provider-writer';
import { plainErrorFor } from './plain-errors';

export interface InterviewActions {
  acceptConsent(): void;
  declineConsent(): void;
  startInterview(): void;
  confirmSpeaker(): void;
  playSpeakerTest(): Promise<void>;
  finishInterview(): void;
  /** Asks again for the microphone and camera that failed (the device check's Retry). */
  retryDevices(): void;
  /** The streams the device check previews; null until the candidate allowed them. */
  localMedia(): LocalMedia | null;
}

export interface InterviewControllerDeps {
  kiosk: KioskApi;
  acquireMedia?: (withCamera: boolean) => Promise<LocalMedia>;
  /** Asks for the camera alone, when only it failed and the candidate pressed Retry. */
  acquireCamera?: () => ReturnType<typeof requestCamera>;
  createSession?: (deps: RealtimeSessionDeps) => Pick<RealtimeSession, 'prewarm' | 'preconnect' | 'start' | 'send' | 'close' | 'proxyReachable'> & Partial<Pick<RealtimeSession, 'writer'>>;
  createRecorder?: (options: InterviewRecorderOptions) => Pick<InterviewRecorder, 'start' | 'stop' | 'addRemoteAudio'>;
  playRemoteAudio?: (stream: MediaStream) => void;
  now?: () => number;
  /** Seconds the completion screen stays before the kiosk returns to its waiting screen. */
  completionHoldMs?: number;
  /** How long the end waits for the interviewer to finish a sentence at the time limit. */
  endGraceMs?: number;
  /** How long the end waits for the transcription of the candidate's last words to arrive. */
  transcriptGraceMs?: number;
  /** Shortens how long a pre-connected call waits for Start (the test host's URL; see call-preconnect). */
  preconnectIdleMs?: number;
  /** Overrides the writer the session picks from the proxy's `api` (tests). */
  writer?: ProviderWriter;
}

/** What the interviewer is told when the proctor calls a break and when it ends. */
const BREAK_STARTS = 'The proctor has paused the interview for a short break. Stop speaking now and say nothing until you are told the interview resumes.';
const BREAK_ENDS =
  'The break is over and the interview resumes. Welcome the candidate back in one short sentence, then repeat or continue the last question where you left off.';

/** interview.finish is retried this way before the candidate is told the kiosk will keep trying. */
const FINISH_RETRY = { attempts: 5, schedule: { baseMs: 500, maxMs: 8_000 } } as const;

interface Running {
  launch: InterviewLaunch;
  reader: ProviderEventReader;
  assembler: TranscriptAssembler;
  handoff: TranscriptHandoff;
  log: SessionEventLog;
  media: LocalMedia | null;
  session: ReturnType<NonNullable<InterviewControllerDeps['createSession']>> | null;
  recorder: ReturnType<NonNullable<InterviewControllerDeps['createRecorder']>> | null;
  recordingRequested: boolean;
  timers: Array<ReturnType<typeof setTimeout>>;
  ticker: ReturnType<typeof setInterval> | null;
  /** The room's clock with the proctor's breaks and extra time; null until the room opens. */
  clock: InterviewClock | null;
  limitTimer: ReturnType<typeof setTimeout> | null;
  ending: Promise<void> | null;
  prewarmRetry: ReturnType<typeof setTimeout> | null;
  /** The window was reloaded with the room already open: the call is re-established, not pre-warmed. */
  resumeRoom: boolean;
  /** Since when the link has been dead (nothing arriving, ICE disconnected), or null. */
  deadSince?: number | null;
  /** Dead-link time given back so far. */
  givenBackMs?: number;
  /** The link state last reported to main for the proctor's seat view (undefined before the call's first judgement). */
  reportedLink?: 'stable' | 'unstable';
  /** Break time already counted when the link died, so a break during it is not given back twice. */
  deadPausedMs?: number;
}

/**
 * At most this much dead-link time is given back per interview: the proxy's session config outlives the
 * time limit by 10 minutes, and the backend's monitoring calls a session stuck soon after its limit.
 */
export const MAX_TIME_GIVEN_BACK_MS = 5 * 60_000;

export class InterviewController implements InterviewActions {
  private running: Running | null = null;
  private readonly now: () => number;
  private unsubscribe: Array<() => void> = [];
  private remoteAudio: HTMLAudioElement | null = null;

  constructor(private readonly deps: InterviewControllerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Listens for launches and end requests from main, then picks up an interview already running. */
  async init(): Promise<void> {
    const { kiosk } = this.deps;
    this.unsubscribe.push(kiosk.on('interview.launched', (launch) => this.launch(launch)));
    this.unsubscribe.push(kiosk.on('interview.endRequested', ({ reason }) => void this.end(reason)));
    this.unsubscribe.push(kiosk.on('interview.proctorControl', (control) => this.proctorControl(control)));
    // Main keeps the lockdown log itself; the window only shows the pause.
    this.unsubscribe.push(kiosk.on('lockdown.changed', ({ paused, reason }) => useInterviewStore.getState().lockdownChanged(paused, reason)));
    const [config, resume] = await Promise.all([
      kiosk.config.get().catch(() => null),
      kiosk.interview.resume().catch(() => null),
    ]);
    if (config) useInterviewStore.getState().configured(config);
    if (resume) this.resume(resume);
  }

  /**
   * Picks up the interview main says is running (this window was reloaded, e.g. after a crash): the
   * transcript so far back on screen and, when the room had opened, straight back into it with the
   * clock running from the room's first start. Time lost to the outage is not given back.
   */
  resume({ launch, roomStartedAt, transcript, proctorClock }: InterviewResume): void {
    const startedAt = roomStartedAt === null ? null : Date.parse(roomStartedAt);
    this.begin(launch, { transcript, roomStartedAt: startedAt, proctorClock });
  }

  dispose(): void {
    for (const undo of this.unsubscribe.splice(0)) undo();
    if (this.running) this.teardown(this.running);
    this.running = null;
  }

  launch(launch: InterviewLaunch): void {
    this.begin(launch, { transcript: [], roomStartedAt: null });
  }

  private begin(launch: InterviewLaunch, earlier: { transcript: TranscriptEntry[]; roomStartedAt: number | null; proctorClock?: InterviewResume['proctorClock'] }): void {
    const running = this.running;
    // One interview at a time: a launch while one runs (the same one re-announced, or another) waits for its end.
    if (running && !running.ending) return;
    if (running) this.teardown(running);
    useTranscriptStore.getState().clear();
    useConnectionStore.getState().reset();
    useInterviewStore.getState().launched(launch);
    // Entries already saved mean the candidate consented before this window was reloaded.
    if (launch.nextSeq > 0 || earlier.transcript.length > 0) useInterviewStore.getState().toPhase('device-check');
    const savedThrough = Math.max(launch.nextSeq - 1, earlier.transcript.at(-1)?.seq ?? -1);
    const { kiosk } = this.deps;
    const id = launch.interviewSessionId;
    const next: Running = {
      launch,
      reader: new ProviderEventReader(),
      assembler: new TranscriptAssembler({ nextSeq: savedThrough + 1, committed: earlier.transcript }),
      // Its callbacks run only after `next` exists.
      handoff: new TranscriptHandoff({
        append: (entries: TranscriptEntry[]) => kiosk.transcript.append({ interviewSessionId: id, entries }),
        onSaved: (ids) => {
          next.assembler.markSaved(ids);
          this.publish(next);
        },
        onError: (error, attempt) => {
          if (attempt === 1) next.log.record('error', { code: codeOf(error) ?? 'unexpected', message: messageOf(error), during: 'transcript.append' });
        },
        onRejected: (entries, error) => {
          next.log.record('error', { code: codeOf(error) ?? 'unexpected', message: messageOf(error), during: 'transcript.append', seqs: entries.map((entry) => entry.seq) });
        },
        savedThroughSeq: savedThrough,
      }),
      log: new SessionEventLog({ save: (events) => kiosk.session.events({ interviewSessionId: id, events }) }),
      media: null,
      session: null,
      recorder: null,
      recordingRequested: false,
      timers: [],
      ticker: null,
      clock: null,
      limitTimer: null,
      ending: null,
      prewarmRetry: null,
      resumeRoom: earlier.roomStartedAt !== null,
    };
    this.running = next;
    if (earlier.transcript.length > 0) this.publish(next);
    if (earlier.roomStartedAt !== null) {
      next.log.record('webrtc_status', { status: 'resumed', room_started_at: new Date(earlier.roomStartedAt).toISOString(), entries: earlier.transcript.length });
      this.openRoom(next, earlier.roomStartedAt, earlier.proctorClock);
    }
    void this.prewarm(next);
  }

  acceptConsent(): void {
    if (useInterviewStore.getState().phase !== 'consent') return;
    useInterviewStore.getState().toPhase('device-check');
    if (this.running) this.reportDevices(this.running);
  }

  declineConsent(): void {
    void this.end('candidate_left');
  }

  confirmSpeaker(): void {
    useInterviewStore.getState().devicesChanged({ speakerConfirmed: true });
  }

  async playSpeakerTest(): Promise<void> {
    await playTestChime().catch(() => undefined);
  }

  localMedia(): LocalMedia | null {
    return this.running?.media ?? null;
  }

  startInterview(): void {
    const running = this.running;
    const store = useInterviewStore.getState();
    if (!running || running.ending || store.phase !== 'device-check' || !running.session) return;
    const startedAt = this.now();
    this.openRoom(running, startedAt);
    void running.session.start();
    // Main keeps the start so a reloaded window continues this clock; if it cannot, the interview
    // still runs, only a reload would then go back to the device check.
    const interviewSessionId = running.launch.interviewSessionId;
    void this.deps.kiosk.interview
      .roomOpened({ interviewSessionId, startedAt: new Date(startedAt).toISOString() })
      .catch((error: unknown) => running.log.record('error', { code: codeOf(error) ?? 'unexpected', message: messageOf(error), during: 'interview.roomOpened' }));
  }

  /**
   * While the link is dead the interviewer can neither hear nor be heard, so that time does not count:
   * the time limit waits meanwhile, and once the link is back the time it was gone (breaks excluded,
   * at most MAX_TIME_GIVEN_BACK_MS per interview) is given back as extra time, the clock on screen with it.
   */
  private linkDead(running: Running, dead: boolean): void {
    if (dead) {
      if (running.deadSince !== null && running.deadSince !== undefined) return;
      running.deadSince = this.now();
      running.deadPausedMs = running.clock ? pausedMs(running.clock, running.deadSince) : 0;
      this.scheduleTimeLimit(running);
      return;
    }
    if (running.deadSince === null || running.deadSince === undefined) return;
    const now = this.now();
    const inBreaks = running.clock ? pausedMs(running.clock, now) - (running.deadPausedMs ?? 0) : 0;
    const lostMs = Math.min(now - running.deadSince - inBreaks, MAX_TIME_GIVEN_BACK_MS - (running.givenBackMs ?? 0));
    running.deadSince = null;
    if (lostMs > 0 && running.clock && !running.ending) {
      running.givenBackMs = (running.givenBackMs ?? 0) + lostMs;
      running.clock = grantExtraTime(running.clock, lostMs);
      running.log.record('telemetry', { metric: 'time_given_back', lost_ms: Math.round(lostMs) });
    }
    this.scheduleTimeLimit(running);
  }

  /** The room's clock and time limit, counted from `startedAt` (now, or the first start on a resume). */
  private openRoom(running: Running, startedAt: number, proctorClock?: InterviewResume['proctorClock']): void {
    const limitMs = running.launch.policies.maxDurationMinutes * 60_000;
    running.clock = startClock(startedAt, limitMs);
    // Resumed after a reload: the breaks and extra time the proctor gave before it still count.
    for (const pause of proctorClock?.pauses ?? []) {
      running.clock = pauseClock(running.clock, Date.parse(pause.from));
      if (pause.to !== null) running.clock = resumeClock(running.clock, Date.parse(pause.to));
    }
    if (proctorClock && proctorClock.extraMs > 0) running.clock = grantExtraTime(running.clock, proctorClock.extraMs);
    if (isPaused(running.clock)) useInterviewStore.getState().breakChanged(true);
    useInterviewStore.getState().roomOpened(startedAt, startedAt + limitMs);
    this.scheduleTimeLimit(running);
    this.reportDevices(running);
    running.ticker = setInterval(() => {
      const changed = running.assembler.apply(running.reader.tick()) || running.assembler.tick();
      if (changed) this.publish(running);
    }, 1_000);
  }

  /** The time limit from the clock as it stands: none during a break, later after extra time. */
  private scheduleTimeLimit(running: Running): void {
    if (running.limitTimer) clearTimeout(running.limitTimer);
    running.limitTimer = null;
    const clock = running.clock;
    if (!clock || running.ending) return;
    const now = this.now();
    const deadline = deadlineAt(clock, now);
    useInterviewStore.getState().clockChanged(clock, deadline);
    if (deadline === null) return;
    // While the link is dead the limit waits for as much as may still be given back.
    const dead = running.deadSince !== null && running.deadSince !== undefined;
    const held = dead ? MAX_TIME_GIVEN_BACK_MS - (running.givenBackMs ?? 0) : 0;
    running.limitTimer = setTimeout(() => void this.end('time_limit'), Math.max(0, deadline + held - now));
  }

  /**
   * The proctor's break, its end, or extra time. A break stops the clock, mutes the microphone and
   * tells the interviewer to wait; its end unmutes and asks for a short re-greeting before carrying on.
   */
  proctorControl(control: IpcEventPayload<'interview.proctorControl'>): void {
    const running = this.running;
    if (!running || running.ending || !running.clock) return;
    const now = this.now();
    const session = running.session;
    const writer = this.deps.writer ?? session?.writer ?? realtimeGaWriter;
    const microphone = (on: boolean) => running.media?.microphone.getAudioTracks().forEach((track) => (track.enabled = on));
    if (control.action === 'pause' && !isPaused(running.clock)) {
      running.clock = pauseClock(running.clock, now);
      microphone(false);
      useInterviewStore.getState().breakChanged(true);
      for (const event of writer.instruct(BREAK_STARTS, { interrupt: true })) session?.send(event);
    } else if (control.action === 'resume' && isPaused(running.clock)) {
      running.clock = resumeClock(running.clock, now);
      microphone(true);
      useInterviewStore.getState().breakChanged(false);
      for (const event of writer.instruct(BREAK_ENDS, { interrupt: false })) session?.send(event);
      const request = writer.requestResponse();
      if (request) session?.send(request);
    } else if (control.action === 'extra_time') {
      running.clock = grantExtraTime(running.clock, control.extraMs);
    } else {
      return;
    }
    running.log.record('webrtc_status', { status: `proctor_${control.action}`, remaining_ms: remainingMs(running.clock, now) });
    this.scheduleTimeLimit(running);
  }

  finishInterview(): void {
    void this.end('completed');
  }

  /** Ends the interview once; every path to the end comes through here. */
  end(reason: EndReason): Promise<void> {
    const running = this.running;
    if (!running) return Promise.resolve();
    running.ending ??= this.runEnd(running, reason);
    return running.ending;
  }

  private async runEnd(running: Running, reason: EndReason): Promise<void> {
    const { kiosk } = this.deps;
    const phase = useInterviewStore.getState().phase;
    useInterviewStore.getState().ended(reason);
    this.reportDevices(running);
    if (reason === 'time_limit' && useConnectionStore.getState().interviewerSpeaking) {
      // Let the interviewer finish the sentence it is on rather than cutting it mid-word.
      await this.waitFor(() => !useConnectionStore.getState().interviewerSpeaking, this.deps.endGraceMs ?? 8_000);
    }
    // The candidate's last answer is usually still being transcribed when they press "I have finished";
    // give the provider a moment so it is saved as said rather than as a failed turn.
    const candidateTranscribing = () => running.assembler.snapshot().some((turn) => turn.speaker === 'candidate' && turn.state === 'live');
    if (running.session && candidateTranscribing()) await this.waitFor(() => !candidateTranscribing(), this.deps.transcriptGraceMs ?? 4_000);
    this.clearTimers(running);
    running.session?.close();
    running.assembler.apply(running.reader.closeAllLiveTurns());
    running.assembler.closeAll();
    this.publish(running);
    if (running.recorder) {
      await running.recorder.stop().catch((error: unknown) => running.log.record('error', { code: 'recording_failed', message: messageOf(error) }));
    }
    await running.handoff.flush(30_000);
    running.log.record('webrtc_status', { status: 'ended', reason, in_room: phase === 'room' });
    await running.log.flush().catch(() => undefined);
    running.media?.stop();
    // Claim only what main holds (all of it once the flush went through): an end that counts unsaved or
    // refused entries would be refused by the server (missing_entries).
    const lastSeq = running.handoff.savedThroughSeq;
    let queued = false;
    for (let attempt = 0; attempt < FINISH_RETRY.attempts && !queued; attempt++) {
      try {
        await kiosk.interview.finish({ interviewSessionId: running.launch.interviewSessionId, lastSeq, reason });
        queued = true;
      } catch {
        await sleep(backoffDelayMs(FINISH_RETRY.schedule, attempt));
      }
    }
    useInterviewStore.getState().finished(lastSeq, queued);
    if (!queued) useInterviewStore.getState().failed(plainErrorFor('finish_failed'));
    const hold = this.deps.completionHoldMs ?? 60_000;
    if (hold > 0) {
      setTimeout(() => {
        if (this.running === running) {
          this.running = null;
          useInterviewStore.getState().reset();
          useTranscriptStore.getState().clear();
          useConnectionStore.getState().reset();
        }
      }, hold);
    }
  }

  private async prewarm(running: Running): Promise<void> {
    const store = useInterviewStore.getState();
    if (!running.media) {
      store.devicesChanged({ microphone: 'waiting', camera: 'waiting' });
      try {
        const media = await (this.deps.acquireMedia ?? ((camera: boolean) => acquireLocalMedia(undefined, { camera })))(true);
        if (this.running !== running || running.ending) {
          media.stop();
          return;
        }
        running.media = media;
      } catch (error) {
        if (this.running !== running || running.ending) return;
        const access = error instanceof MediaAccessError ? error : null;
        store.devicesChanged({ microphone: access?.problem ?? 'failed', camera: access?.camera ?? 'failed' });
        store.failed(plainErrorFor(access?.code ?? 'microphone_blocked'));
        running.log.record('error', { code: codeOf(error) ?? 'unexpected', message: messageOf(error), during: 'getUserMedia' });
        this.reportDevices(running);
        return;
      }
    }
    if (this.running !== running || running.ending) return;
    // A window reloaded during a break keeps the candidate's microphone off until the proctor resumes.
    if (running.clock && isPaused(running.clock)) running.media.microphone.getAudioTracks().forEach((track) => (track.enabled = false));
    store.devicesChanged({ microphone: 'ok', camera: running.media.camera ? 'ok' : (running.media.cameraProblem ?? 'missing') });
    if (!running.media.camera) running.log.record('error', { code: `camera_${running.media.cameraProblem ?? 'missing'}`, message: 'The camera is not available.', during: 'getUserMedia' });
    this.reportDevices(running);
    running.session ??= this.createSession(running, running.media);
    if (running.resumeRoom) {
      // The candidate is already in the room: connect now and let the provider learn the conversation.
      void running.session.start({ resume: true });
      return;
    }
    try {
      // The whole call, held until Start (or closed after the idle bound, or with the declined consent's end).
      await running.session.preconnect();
      useConnectionStore.getState().proxyChecked(running.session.proxyReachable);
    } catch (error) {
      useConnectionStore.getState().proxyChecked(false);
      running.log.record('error', { code: codeOf(error) ?? 'unexpected', message: messageOf(error), during: 'prewarm' });
      if (codeOf(error) === 'interview_ended') return void this.end('proctor');
      // Keep trying while the candidate reads and checks devices; Start also tries again.
      if (this.running === running && !running.ending) {
        running.prewarmRetry = setTimeout(() => void this.prewarm(running), 3_000);
      }
    }
  }

  retryDevices(): void {
    const running = this.running;
    const { devices, phase } = useInterviewStore.getState();
    if (!running || running.ending || phase !== 'device-check' || devices.microphone === 'waiting' || devices.camera === 'waiting') return;
    if (running.prewarmRetry) clearTimeout(running.prewarmRetry);
    running.prewarmRetry = null;
    if (devices.microphone !== 'ok') {
      void this.prewarm(running);
      return;
    }
    if (devices.camera !== 'ok') void this.retryCamera(running);
  }

  /** The microphone works (and the call may be warm on it): only the camera is asked for again. */
  private async retryCamera(running: Running): Promise<void> {
    const store = useInterviewStore.getState();
    store.devicesChanged({ camera: 'waiting' });
    const answer = await (this.deps.acquireCamera ?? (() => requestCamera()))();
    if (this.running !== running || running.ending || !running.media) {
      if ('stream' in answer) for (const track of answer.stream.getTracks()) track.stop();
      return;
    }
    const { microphone } = running.media;
    const camera = 'stream' in answer ? answer.stream : null;
    running.media = {
      microphone,
      camera,
      cameraProblem: 'problem' in answer ? answer.problem : undefined,
      stop() {
        for (const track of [...microphone.getTracks(), ...(camera?.getTracks() ?? [])]) track.stop();
      },
    };
    store.devicesChanged({ camera: camera ? 'ok' : 'problem' in answer ? answer.problem : 'failed' });
    this.reportDevices(running);
  }

  /** Main shows the proctor what the device check found; a kiosk that cannot tell it still runs. */
  private reportDevices(running: Running): void {
    const { devices, phase } = useInterviewStore.getState();
    const { microphone, camera }: DeviceCheck = devices;
    const screen = phase === 'idle' ? undefined : phase;
    const interviewSessionId = running.launch.interviewSessionId;
    const link = running.reportedLink;
    void Promise.resolve()
      .then(() => this.deps.kiosk.devices.report({ interviewSessionId, microphone, camera, ...(screen ? { screen } : {}), ...(link ? { link } : {}) }))
      .catch((error: unknown) => running.log.record('error', { code: codeOf(error) ?? 'unexpected', message: messageOf(error), during: 'devices.report' }));
  }

  private createSession(running: Running, media: LocalMedia) {
    const { launch } = running;
    const credentials: ProxyCredentials = { ...launch.proxy, sessionConfigToken: launch.sessionConfigToken };
    const audit = (kind: SessionEventKind, data: Record<string, unknown>) => {
      running.log.record(kind, data);
      if (kind === 'telemetry' && data.metric === 'stats') useConnectionStore.getState().measured(typeof data.round_trip_ms === 'number' ? data.round_trip_ms : null);
    };
    const deps: RealtimeSessionDeps = {
      credentials,
      microphone: media.microphone,
      audit,
      // Every connection of the proxy socket asks main for a pass of its own; main asks the backend.
      refreshCredentials: () => this.deps.kiosk.interview.proxyPass({ interviewSessionId: launch.interviewSessionId }),
      onStatus: (status, { attempt }) => {
        const wasLive = useConnectionStore.getState().status === 'live';
        useConnectionStore.getState().statusChanged(status, attempt);
        // Recording starts once the interviewer is on the line, so it never competes with connecting.
        if (status === 'live' && !running.recordingRequested && !running.ending && running.launch.policies.recording && running.media) {
          running.recordingRequested = true;
          void this.startRecording(running);
        }
        if (status === 'reconnecting' && wasLive) {
          // The broken call will never finish the turns in flight: keep what was said of them.
          running.assembler.apply(running.reader.closeAllLiveTurns('call-lost'));
          running.assembler.closeAll();
          this.publish(running);
        }
      },
      onEvent: (event) => this.onProviderEvent(running, event),
      onRemoteStream: (stream) => {
        this.playRemote(stream);
        running.recorder?.addRemoteAudio(stream);
      },
      onRecovered: (_reason, writer) => this.seed(running, writer),
      // A fresh start asks for the greeting; a resume is seeded (and asked) through onRecovered instead.
      onConnected: () => {
        if (!running.resumeRoom) this.greet(running);
      },
      preconnectIdleMs: this.deps.preconnectIdleMs,
      transcriptSoFar: () => running.assembler.committedEntries(),
      onFatal: (error: SignalError) => {
        // Ended on the server (a proctor ended it elsewhere): the room closes as ended, not as a failure.
        if (error.code === 'interview_ended') return void this.end('proctor');
        useInterviewStore.getState().failed(plainErrorFor(error.code === 'unauthorized' ? 'unauthorized' : 'connection_lost'));
        void this.end('error');
      },
      isQuiet: () => !useConnectionStore.getState().interviewerSpeaking && !useConnectionStore.getState().candidateSpeaking,
      onLinkHealth: (unstable, problems) => {
        useConnectionStore.getState().linkHealth(unstable);
        // The proctor sees what the candidate sees: the seat report follows each change of the notice.
        const link = unstable ? 'unstable' : 'stable';
        if (running.reportedLink !== link) {
          running.reportedLink = link;
          this.reportDevices(running);
        }
        this.linkDead(running, unstable && problems.some((problem) => problem === 'no_packets' || problem === 'ice_disconnected'));
      },
    };
    return this.deps.createSession ? this.deps.createSession(deps) : new RealtimeSession(deps);
  }

  private onProviderEvent(running: Running, event: unknown): void {
    const signals = running.reader.read(event);
    if (signals.length === 0) return;
    for (const signal of signals) this.sideEffect(running, signal);
    if (running.assembler.apply(signals)) this.publish(running);
  }

  private sideEffect(running: Running, signal: TranscriptSignal): void {
    if (signal.kind === 'speaking') useConnectionStore.getState().speaking(signal.speaker, signal.active);
    if (signal.kind === 'provider-error') running.log.record('error', { code: signal.code, message: signal.message, source: 'provider' });
  }

  /** A new provider session learns the conversation so far, then carries on from there. */
  private seed(running: Running, sessionWriter?: ProviderWriter): void {
    const session = running.session;
    if (!session) return;
    const writer = this.deps.writer ?? sessionWriter ?? realtimeGaWriter;
    const entries = running.assembler.committedEntries();
    const seed = writer.seedHistory(entries);
    if (seed !== 'with-offer') {
      for (const entry of entries) {
        const itemId = seed.itemIds.get(entry.seq);
        if (itemId) running.assembler.adoptSeedItem(itemId, entry);
      }
      for (const event of seed.events) session.send(event);
    }
    const request = writer.requestResponse();
    if (request) session.send(request);
  }

  private greet(running: Running): void {
    const request = (this.deps.writer ?? running.session?.writer ?? realtimeGaWriter).requestResponse();
    if (request) running.session?.send(request);
  }

  private async startRecording(running: Running): Promise<void> {
    const { kiosk } = this.deps;
    const media = running.media!;
    const options: InterviewRecorderOptions = {
      camera: media.camera,
      microphone: media.microphone,
      sink: {
        start: (mimeType) => kiosk.recording.start({ interviewSessionId: running.launch.interviewSessionId, mimeType }),
        chunk: (recordingId, index, bytes) => kiosk.recording.chunk({ recordingId, index, bytes }),
        finish: (recordingId, durationMs) => kiosk.recording.finish({ recordingId, durationMs }),
      },
      onError: (error) => running.log.record('error', { code: 'recording_failed', message: messageOf(error) }),
    };
    const recorder = this.deps.createRecorder ? this.deps.createRecorder(options) : new InterviewRecorder(options);
    running.recorder = recorder;
    try {
      await recorder.start();
      if (this.remoteAudio?.srcObject instanceof MediaStream) recorder.addRemoteAudio(this.remoteAudio.srcObject);
    } catch (error) {
      running.recorder = null;
      running.log.record('error', { code: 'recording_failed', message: messageOf(error), during: 'recording.start' });
    }
  }

  private playRemote(stream: MediaStream): void {
    if (this.deps.playRemoteAudio) {
      this.deps.playRemoteAudio(stream);
      return;
    }
    this.remoteAudio ??= new Audio();
    this.remoteAudio.autoplay = true;
    this.remoteAudio.srcObject = stream;
    void this.remoteAudio.play().catch(() => undefined);
  }

  private publish(running: Running): void {
    if (this.running !== running) return;
    useTranscriptStore.getState().show(running.assembler.snapshot(), running.assembler.unsavedCount());
    const committed = running.assembler.takeCommitted();
    if (committed.length > 0) running.handoff.push(committed);
  }

  private clearTimers(running: Running): void {
    for (const timer of running.timers.splice(0)) clearTimeout(timer);
    if (running.limitTimer) clearTimeout(running.limitTimer);
    running.limitTimer = null;
    if (running.ticker) clearInterval(running.ticker);
    if (running.prewarmRetry) clearTimeout(running.prewarmRetry);
    running.ticker = null;
    running.prewarmRetry = null;
  }

  private teardown(running: Running): void {
    this.clearTimers(running);
    running.session?.close();
    running.media?.stop();
  }

  private async waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    const until = this.now() + timeoutMs;
    while (!condition() && this.now() < until) await sleep(200);
  }
}

export type { PlainError };
