// What the candidate reads when something goes wrong: what happened and what happens next, in plain
// words. Codes come from the realtime session, media access and main; unknown ones get a safe default.
import type { PlainError } from '../stores/interview-store';

const messages: Record<string, PlainError> = {
  microphone_blocked: {
    title: 'We cannot hear you yet',
    message: 'The kiosk could not use its microphone.',
    next: 'Please tell the proctor: they can allow the microphone, then press Retry; nothing has been recorded.',
    scope: 'devices',
  },
  microphone_busy: {
    title: 'The microphone is busy',
    message: 'Another program on this kiosk is using the microphone.',
    next: 'Please tell the proctor: once they have freed it, press Retry; nothing has been recorded.',
    scope: 'devices',
  },
  microphone_unanswered: {
    title: 'The microphone was not switched on',
    message: 'The request to use the microphone was not answered.',
    next: 'Press Retry to ask again, or tell the proctor; nothing has been recorded.',
    scope: 'devices',
  },
  microphone_missing: {
    title: 'No microphone found',
    message: 'This kiosk has no working microphone connected.',
    next: 'Please tell the proctor: they can connect one (then press Retry) or move you to another kiosk; nothing has been recorded.',
    scope: 'devices',
  },
  unauthorized: {
    title: 'This interview pass has run out',
    message: 'The kiosk could not renew its pass for the interview service.',
    next: 'Your answers so far are saved. Please tell the proctor, who can restart the interview.',
  },
  connection_lost: {
    title: 'The connection was lost',
    message: 'The kiosk could not reconnect to the interviewer after several tries.',
    next: 'Everything you said so far is saved on this kiosk. Please tell the proctor.',
  },
  finish_failed: {
    title: 'Your interview is saved on this kiosk',
    message: 'The kiosk could not yet mark the interview as finished.',
    next: 'It will keep trying. Please let the proctor know you are done.',
  },
};

export function plainErrorFor(code: string): PlainError {
  return (
    messages[code] ?? {
      title: 'Something went wrong',
      message: 'The kiosk ran into a problem it could not fix by itself.',
      next: 'Your answers so far are saved. Please tell the proctor.',
    }
  );
}
