// What the fleet benchmark and its kiosk process share: one interview's pace and an upload's record.

/**
 * One interview's pace: a final transcript turn about every 6 s (both speakers together), and about
 * one session event every 5 s (call stats every 10 s, plus connection states, offers, answers).
 */
export const ENTRY_EVERY_MS = 6_000;
export const EVENT_EVERY_MS = 5_000;
export const ROWS_PER_INTERVIEW_S = 1_000 / ENTRY_EVERY_MS + 1_000 / EVENT_EVERY_MS;

export interface FleetKiosk {
  kioskId: string;
  enrolmentCode: string;
  sessionId: string;
  dataDir: string;
}

export interface Upload {
  kiosk: number;
  fn: string;
  rows: number;
  /** Request bodies as sent, for the baseline's straight inserts. */
  payload: Array<Record<string, unknown>>;
  /** On the kiosk process's clock. */
  started: number;
  ms: number;
  ok: boolean;
  /** The function's Server-Timing phases, in ms. */
  timing: Record<string, number>;
}
