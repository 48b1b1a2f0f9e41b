import { KioskError } from '../../shared/kiosk-error';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { KioskServices } from '../kiosk-services';

export function createRecordingHandlers(services: () => KioskServices): Pick<IpcHandlers, 'recording.start' | 'recording.chunk' | 'recording.finish'> {
  return {
    'recording.start': ({ interviewSessionId, mimeType }) => {
      const { interviews, recordings } = services();
      const launch = interviews.activeLaunch();
      if (launch?.interviewSessionId !== interviewSessionId) {
        throw new KioskError('interview.not_active', 'Recordings can only be made for the interview running on this kiosk.');
      }
      // The backend's policy for this interview wins over the (possibly older) local config.
      if (!launch.policies.recording) throw new KioskError('recording.disabled', 'Recording is switched off for this interview.');
      return { recordingId: recordings.start(interviewSessionId, mimeType) };
    },
    'recording.chunk': ({ recordingId, index, bytes }) => ({ bytesWritten: services().recordings.append(recordingId, index, bytes) }),
    'recording.finish': async ({ recordingId, durationMs }) => ({ bytes: await services().recordings.finish(recordingId, durationMs) }),
  };
}
