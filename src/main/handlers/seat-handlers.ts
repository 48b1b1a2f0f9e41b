// The seat the proctor watches: what the kiosk window last said about its devices, kept for the
// running interview only (a report for another interview is refused, an ended one clears it).
import type { SeatStatus } from '../../shared/domain/devices';
import { KioskError } from '../../shared/kiosk-error';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { KioskServices } from '../kiosk-services';

export interface SeatTracker {
  current(): SeatStatus | null;
  clear(): void;
}

export function createSeatHandlers(options: {
  services: () => KioskServices;
  clock: { now(): number };
  onChanged(seat: SeatStatus | null): void;
}): { handlers: Pick<IpcHandlers, 'devices.report' | 'proctor.seat'>; seat: SeatTracker } {
  let seat: SeatStatus | null = null;
  const current = () => {
    // An interview that ended (or another that started) makes the last report stale.
    return seat && seat.interviewSessionId === options.services().interviews.activeId() ? seat : null;
  };
  return {
    seat: {
      current,
      clear() {
        if (seat === null) return;
        seat = null;
        options.onChanged(null);
      },
    },
    handlers: {
      'devices.report': (report) => {
        if (report.interviewSessionId !== options.services().interviews.activeId()) {
          throw new KioskError('interview.not_active', 'That interview is not running on this kiosk.');
        }
        seat = { ...report, reportedAt: new Date(options.clock.now()).toISOString() };
        options.onChanged(seat);
        return { reported: true as const };
      },
      'proctor.seat': () => current(),
    },
  };
}
