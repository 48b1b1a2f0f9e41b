// The proctor's channels (tray window in Electron, the proctor page under the browser host). Only the
// proctor's email ever crosses to a renderer; tokens stay in main.
import type { ProctorStatus } from '../../shared/domain/proctor';
import { KioskError } from '../../shared/kiosk-error';
import type { IpcCallContext, IpcHandlers } from '../ipc/ipc-dispatcher';
import type { KioskServices } from '../kiosk-services';
import { verifyPin } from '../identity/pin-hash';
import { proctorPinSchema } from '../../shared/domain/proctor';

type ProctorChannel =
  | 'proctor.status'
  | 'proctor.signIn'
  | 'proctor.signOut'
  | 'proctor.listInterviews'
  | 'proctor.startInterview'
  | 'proctor.endInterview'
  | 'proctor.quit';

export interface ProctorHandlerOptions {
  services: () => KioskServices;
  /** Which frames may act as the proctor; the Electron shell allows only the proctor window. */
  isProctorSender?: (senderUrl: string) => boolean;
  onStatusChanged(status: ProctorStatus): void;
  onQuit?: () => void;
}

/** The proctor's status as every channel and event reports it. */
export async function readProctorStatus(services: KioskServices): Promise<ProctorStatus> {
  const email = await services.proctor.email();
  return { signedIn: email !== null, email, activeInterviewSessionId: services.interviews.activeId() };
}

export function createProctorHandlers(options: ProctorHandlerOptions): Pick<IpcHandlers, ProctorChannel> {
  const guard = (context: IpcCallContext) => {
    if (options.isProctorSender && !options.isProctorSender(context.senderUrl)) {
      throw new KioskError('proctor.forbidden', 'Proctor actions are only available from the proctor window.');
    }
  };
  const status = () => readProctorStatus(options.services());
  return {
    'proctor.status': () => status(),
    'proctor.signIn': async ({ email, password }, context) => {
      guard(context);
      await options.services().proctor.signIn(email, password);
      const next = await status();
      options.onStatusChanged(next);
      return next;
    },
    'proctor.signOut': async (_request, context) => {
      guard(context);
      await options.services().proctor.signOut();
      const next = await status();
      options.onStatusChanged(next);
      return next;
    },
    'proctor.listInterviews': async (_request, context) => {
      guard(context);
      return { interviews: await options.services().interviews.listInterviews() };
    },
    'proctor.startInterview': async ({ interviewSessionId }, context) => {
      guard(context);
      return options.services().interviews.start(interviewSessionId);
    },
    'proctor.endInterview': (_request, context) => {
      guard(context);
      return { ending: options.services().interviews.requestEnd('proctor') };
    },
    'proctor.quit': async ({ pin }, context) => {
      guard(context);
      // A PIN of the wrong shape cannot match any hash hashPin makes, so it is answered without a check.
      const shape = proctorPinSchema.safeParse(pin);
      if (!shape.success) throw new KioskError('proctor.pin_format', shape.error.issues[0]!.message);
      const services = options.services();
      const right = await services.pinThrottle.attempt(() => verifyPin(pin, services.config.proctorPinHash));
      if (!right) throw new KioskError('proctor.wrong_pin', 'That PIN is not correct.');
      options.onQuit?.();
      return { quitting: true as const };
    },
  };
}
