// The kiosk window's interview channels: resume, transcript, session log, finish.
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { KioskServices } from '../kiosk-services';

export function createInterviewHandlers(
  services: () => KioskServices,
): Pick<IpcHandlers, 'interview.current' | 'interview.proxyPass' | 'interview.resume' | 'interview.roomOpened' | 'interview.finish' | 'transcript.append' | 'session.events'> {
  return {
    'interview.current': () => services().interviews.current(),
    'interview.proxyPass': ({ interviewSessionId }) => services().interviews.proxyPass(interviewSessionId),
    'interview.resume': () => services().interviews.resume(),
    'interview.roomOpened': ({ interviewSessionId, startedAt }) => ({ roomStartedAt: services().interviews.roomOpened(interviewSessionId, startedAt) }),
    'interview.finish': ({ interviewSessionId, lastSeq, reason }) => {
      services().interviews.finish(interviewSessionId, lastSeq, reason);
      return { queued: true as const };
    },
    // better-sqlite3 commits synchronously with synchronous=FULL: when this returns, the rows are on disk.
    'transcript.append': ({ interviewSessionId, entries }) => ({ savedIds: services().interviews.appendTranscript(interviewSessionId, entries) }),
    'session.events': ({ interviewSessionId, events }) => ({ saved: services().interviews.appendEvents(interviewSessionId, events) }),
  };
}
