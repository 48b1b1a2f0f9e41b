// Where the candidate is in the interview and what the kiosk was told about it. State only: the
// interview controller decides, this store remembers, screens read it with selectors.
import { create } from 'zustand';
import type { EndReason, InterviewLaunch } from '../../shared/domain/interview';
import type { DeviceState } from '../../shared/domain/devices';
import type { InterviewClock } from '../../shared/domain/interview-clock';
import type { PublicTenantConfig } from '../../shared/domain/tenant';

export type InterviewPhase = 'idle' | 'consent' | 'device-check' | 'room' | 'ending' | 'complete';

/** A problem in words a candidate can act on: what happened, and what happens next. */
export interface PlainError {
  title: string;
  message: string;
  next: string;
  /**
   * `devices`: about the microphone before the interview ("nothing has been recorded"); it stops being
   * true once the microphone works or the interview has ended, so neither leaves it on screen.
   */
  scope?: 'devices';
}

export interface DeviceCheck {
  /** `waiting` only while a request is open (at most MEDIA_ANSWER_TIMEOUT_MS); every other state is final. */
  microphone: DeviceState;
  camera: DeviceState;
  speakerConfirmed: boolean;
}

export interface InterviewState {
  phase: InterviewPhase;
  config: PublicTenantConfig | null;
  launch: InterviewLaunch | null;
  devices: DeviceCheck;
  /** Epoch ms when the room opened and when the time limit ends it. */
  roomStartedAt: number | null;
  deadlineAt: number | null;
  endReason: EndReason | null;
  /** The transcript's last seq handed to main when the interview ended. */
  lastSeq: number | null;
  /** Main has queued interview-end. */
  finishQueued: boolean;
  error: PlainError | null;
  /** Main paused the kiosk (e.g. an extra display appeared); the reason is for the proctor. */
  paused: { reason: string | null } | null;
  /** The room's clock with the proctor's breaks and extra time (deadlineAt follows it). */
  clock: InterviewClock | null;
  /** The proctor called a break: clock stopped, microphone off. */
  onBreak: boolean;
}

const initialDevices: DeviceCheck = { microphone: 'waiting', camera: 'waiting', speakerConfirmed: false };

export const initialInterviewState: InterviewState = {
  phase: 'idle',
  config: null,
  launch: null,
  devices: initialDevices,
  roomStartedAt: null,
  deadlineAt: null,
  endReason: null,
  lastSeq: null,
  finishQueued: false,
  error: null,
  paused: null,
  clock: null,
  onBreak: false,
};

interface InterviewStore extends InterviewState {
  configured(config: PublicTenantConfig): void;
  launched(launch: InterviewLaunch): void;
  toPhase(phase: InterviewPhase): void;
  devicesChanged(devices: Partial<DeviceCheck>): void;
  roomOpened(startedAt: number, deadlineAt: number): void;
  ended(reason: EndReason): void;
  finished(lastSeq: number, queued: boolean): void;
  failed(error: PlainError | null): void;
  lockdownChanged(paused: boolean, reason: string | null): void;
  clockChanged(clock: InterviewClock, deadlineAt: number | null): void;
  breakChanged(onBreak: boolean): void;
  reset(): void;
}

export const useInterviewStore = create<InterviewStore>((set) => ({
  ...initialInterviewState,
  configured: (config) => set({ config }),
  launched: (launch) => set({ ...initialInterviewState, config: useInterviewStore.getState().config, launch, phase: 'consent' }),
  toPhase: (phase) => set({ phase }),
  devicesChanged: (devices) =>
    set((state) => ({
      devices: { ...state.devices, ...devices },
      error: devices.microphone === 'ok' && state.error?.scope === 'devices' ? null : state.error,
    })),
  roomOpened: (roomStartedAt, deadlineAt) => set({ phase: 'room', roomStartedAt, deadlineAt }),
  ended: (endReason) => set({ phase: 'ending', endReason }),
  // The completion screen says what was saved; a device notice saying nothing was would contradict it.
  finished: (lastSeq, finishQueued) =>
    set((state) => ({ phase: 'complete', lastSeq, finishQueued, error: state.error?.scope === 'devices' ? null : state.error })),
  failed: (error) => set({ error }),
  lockdownChanged: (paused, reason) => set({ paused: paused ? { reason } : null }),
  // During a break there is no deadline; the last one stays until the clock runs again.
  clockChanged: (clock, deadlineAt) => set((state) => ({ clock, deadlineAt: deadlineAt ?? state.deadlineAt })),
  breakChanged: (onBreak) => set({ onBreak }),
  reset: () => set({ ...initialInterviewState, config: useInterviewStore.getState().config }),
}));
