// What the kiosk window found when it asked for the candidate's microphone and camera, in the words
// the kiosk window reports it to main and main shows it to the proctor. Every state but `waiting` is
// final: the kiosk stops asking until someone presses Retry.
import { z } from 'zod';

export const deviceProblemSchema = z.enum(['denied', 'missing', 'busy', 'unanswered', 'failed']);
export type DeviceProblem = z.infer<typeof deviceProblemSchema>;

export const deviceStateSchema = z.union([z.enum(['waiting', 'ok']), deviceProblemSchema]);
export type DeviceState = z.infer<typeof deviceStateSchema>;

/** The candidate's screen, for the proctor watching the seat. */
export const seatScreenSchema = z.enum(['consent', 'device-check', 'room', 'ending', 'complete']);
export type SeatScreen = z.infer<typeof seatScreenSchema>;

/** The call's link as the room judges it from its stats (LinkHealth): what the candidate is shown. */
export const seatLinkSchema = z.enum(['stable', 'unstable']);
export type SeatLink = z.infer<typeof seatLinkSchema>;

export const deviceReportSchema = z.object({
  interviewSessionId: z.uuid(),
  microphone: deviceStateSchema,
  camera: deviceStateSchema,
  screen: seatScreenSchema.optional(),
  /** Reported once the call runs; absent before. */
  link: seatLinkSchema.optional(),
});
export type DeviceReport = z.infer<typeof deviceReportSchema>;

/** The seat as the proctor sees it: the latest device report of the running interview. */
export const seatStatusSchema = deviceReportSchema.extend({ reportedAt: z.iso.datetime({ offset: true }) });
export type SeatStatus = z.infer<typeof seatStatusSchema>;

/**
 * A getUserMedia refusal by its DOMException name. Chromium says NotAllowedError both for a refused
 * prompt and for a policy that blocks the device; NotReadableError when another program holds it.
 */
export function deviceProblemFromError(error: unknown): DeviceProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'busy';
  return 'failed';
}

const DEVICE_WORD = { microphone: 'microphone', camera: 'camera' } as const;

/** What the proctor can do about a device problem, in one or two sentences. */
export function proctorAdvice(device: 'microphone' | 'camera', problem: DeviceProblem): string {
  const name = DEVICE_WORD[device];
  const without = device === 'camera' ? ' Without it the interview can still go ahead, recorded as sound only.' : ' The interview cannot start without it.';
  switch (problem) {
    case 'denied':
      return `The kiosk was refused the ${name}: allow it for the kiosk (the browser's site permissions or the system's privacy settings), then ask the candidate to press Retry.${without}`;
    case 'missing':
      return `No ${name} was found: connect one (or check its cable), then ask the candidate to press Retry.${without}`;
    case 'busy':
      return `Another program is using the ${name}: close it or unplug and reconnect the ${name}, then ask the candidate to press Retry.${without}`;
    case 'unanswered':
      return `Nobody answered the request for the ${name} in time: answer the permission prompt on the kiosk, then ask the candidate to press Retry.${without}`;
    case 'failed':
      return `The ${name} would not start: check it and its cable, then ask the candidate to press Retry.${without}`;
  }
}
