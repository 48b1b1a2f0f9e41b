// Small decisions of the proctor page, kept apart from the React code so they are tested alone.
import { proctorAdvice, type DeviceState, type SeatLink, type SeatScreen, type SeatStatus } from '../../shared/domain/devices';
import type { EndReason } from '../../shared/domain/interview';
import type { ScheduledInterview } from '../../shared/domain/proctor';
import type { SyncState } from '../../shared/domain/sync';

export type ProctorView = 'sign-in' | 'interviews' | 'device-check' | 'quit';

export function viewFromHash(hash: string): ProctorView {
  const name = hash.replace(/^#/, '');
  return name === 'interviews' || name === 'device-check' || name === 'quit' ? name : 'sign-in';
}

export function formatSyncLine(state: SyncState): string {
  const parts = [state.online ? 'Online' : 'Offline', `${state.pending} upload${state.pending === 1 ? '' : 's'} waiting`];
  if (state.oldestPendingAgeMs !== null) parts.push(`oldest ${Math.round(state.oldestPendingAgeMs / 60_000)} min`);
  if (state.deadLetters > 0) parts.push(`${state.deadLetters} refused by the server`);
  if (state.lastError) parts.push(`last error: ${state.lastError.message}`);
  return parts.join(' · ');
}

export type RowTone = 'neutral' | 'live' | 'success' | 'warning' | 'danger';

const ENDED: Record<EndReason, { label: string; tone: RowTone }> = {
  completed: { label: 'completed', tone: 'success' },
  time_limit: { label: 'ended at the time limit', tone: 'success' },
  proctor: { label: 'ended by the proctor', tone: 'warning' },
  candidate_left: { label: 'declined or left', tone: 'warning' },
  error: { label: 'ended by an error', tone: 'danger' },
};

/** The interview's state in the proctor's words, from the backend's status and end reason as stored. */
export function interviewState(interview: Pick<ScheduledInterview, 'status' | 'endReason'>): { label: string; tone: RowTone } {
  switch (interview.status) {
    case 'scheduled':
      return { label: 'scheduled', tone: 'neutral' };
    case 'in_progress':
      return { label: 'in progress', tone: 'live' };
    case 'cancelled':
      return { label: 'cancelled', tone: 'neutral' };
    case 'failed':
      return { label: 'failed', tone: 'danger' };
    case 'completed':
      return interview.endReason ? ENDED[interview.endReason] : { label: 'completed', tone: 'success' };
  }
}

/**
 * What a row's button does: Start a scheduled interview, Resume the one running here, nothing for
 * one that ended or while another runs (the reason is said beside it).
 */
export function rowAction(
  interview: Pick<ScheduledInterview, 'id' | 'status'>,
  activeInterviewId: string | null,
  startingId: string | null,
): { label: 'Start' | 'Resume' | 'Starting…' | null; disabled: boolean; reason: string | null } {
  if (interview.status !== 'scheduled' && interview.status !== 'in_progress') return { label: null, disabled: true, reason: null };
  const label = startingId === interview.id ? 'Starting…' : interview.status === 'in_progress' ? 'Resume' : 'Start';
  if (startingId !== null) return { label, disabled: true, reason: null };
  if (activeInterviewId === interview.id) return { label: 'Resume', disabled: true, reason: 'Running on this kiosk now.' };
  if (activeInterviewId !== null) return { label, disabled: true, reason: 'Another interview is running on this kiosk; end it first.' };
  return { label, disabled: false, reason: null };
}

export interface SeatLine {
  device: 'Microphone' | 'Camera' | 'Connection';
  state: DeviceState | SeatLink;
  text: string;
  advice: string | null;
  tone: RowTone;
}

const STATE_WORDS: Record<DeviceState, string> = {
  waiting: 'asking the candidate…',
  ok: 'working',
  denied: 'refused',
  missing: 'not found',
  busy: 'in use by another program',
  unanswered: 'permission prompt not answered',
  failed: 'would not start',
};

/** The seat's device lines as the proctor reads them, with what to do about each problem. */
export function seatLines(seat: SeatStatus): SeatLine[] {
  return (['microphone', 'camera'] as const).map((device) => {
    const state = seat[device];
    const problem = state !== 'ok' && state !== 'waiting';
    return {
      device: device === 'microphone' ? 'Microphone' : 'Camera',
      state,
      text: STATE_WORDS[state],
      advice: problem ? proctorAdvice(device, state) : null,
      tone: state === 'ok' ? 'success' : state === 'waiting' ? 'neutral' : device === 'microphone' ? 'danger' : 'warning',
    };
  });
}

/** The quit form's lockout line, counted down to the second; null once a PIN may be tried. */
export function lockoutText(lockedForMs: number): string | null {
  if (lockedForMs <= 0) return null;
  const seconds = Math.ceil(lockedForMs / 1000);
  const shown = seconds >= 60 ? `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`;
  return `Too many wrong PINs. Try again in ${shown}.`;
}

/** How long a success message stays before it clears itself. */
export const SUCCESS_MESSAGE_MS = 6_000;

const SCREEN_WORDS: Record<SeatScreen, string> = {
  consent: 'reading the consent',
  'device-check': 'on the device check',
  room: 'in the interview room',
  ending: 'finishing',
  complete: 'done (completion screen)',
};

/** The call's link as the candidate is shown it, with what the proctor can do; null before the call runs. */
export function seatLinkLine(seat: SeatStatus): SeatLine | null {
  if (!seat.link) return null;
  return seat.link === 'stable'
    ? { device: 'Connection', state: 'stable', text: 'stable', advice: null, tone: 'success' }
    : {
        device: 'Connection',
        state: 'unstable',
        text: 'unstable — the candidate sees a calm notice and the clock waits',
        advice: 'The kiosk recovers by itself. If it lasts more than a minute, check the seat’s network cable or Wi-Fi; the time lost is given back (up to 5 minutes).',
        tone: 'warning',
      };
}

/** Where the candidate is, in the proctor's words; null when the kiosk did not say. */
export function seatScreenText(seat: SeatStatus): string | null {
  return seat.screen ? `The candidate is ${SCREEN_WORDS[seat.screen]}.` : null;
}
