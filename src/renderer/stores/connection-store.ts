// The call's health as the room shows it: a quiet badge, who is speaking, and recovery progress.
import { create } from 'zustand';
import type { ConnectionStatus } from '../realtime/realtime-session';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Reconnect attempt in progress (1-based), 0 when none. */
  attempt: number;
  interviewerSpeaking: boolean;
  candidateSpeaking: boolean;
  roundTripMs: number | null;
  proxyReachable: boolean;
  /** The call is up but the link is poor or silent (from its stats); the room shows a calm notice. */
  linkUnstable: boolean;
}

interface ConnectionStore extends ConnectionState {
  statusChanged(status: ConnectionStatus, attempt: number): void;
  speaking(who: 'interviewer' | 'candidate', active: boolean): void;
  measured(roundTripMs: number | null): void;
  proxyChecked(reachable: boolean): void;
  linkHealth(unstable: boolean): void;
  reset(): void;
}

const initial: ConnectionState = {
  status: 'idle',
  attempt: 0,
  interviewerSpeaking: false,
  candidateSpeaking: false,
  roundTripMs: null,
  proxyReachable: false,
  linkUnstable: false,
};

export const useConnectionStore = create<ConnectionStore>((set) => ({
  ...initial,
  statusChanged: (status, attempt) => set(status === 'live' ? { status, attempt: 0 } : { status, attempt, interviewerSpeaking: false }),
  speaking: (who, active) => set(who === 'interviewer' ? { interviewerSpeaking: active } : { candidateSpeaking: active }),
  measured: (roundTripMs) => set({ roundTripMs }),
  proxyChecked: (proxyReachable) => set({ proxyReachable }),
  linkHealth: (linkUnstable) => set({ linkUnstable }),
  reset: () => set(initial),
}));
