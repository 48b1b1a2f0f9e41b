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
  | 'proctor.quit'
  | 'proctor.pinLockout';

export interface ProctorHandlerOptions {
  services: () => KioskServices;
  /** Which frames may act as the proctor; the Electron shell allows only the proctor window. */
  isProctorSender?: (senderUrl: string) => boolean;
  onStatusChanged(status: ProctorStatus): void;
  onQuit?: () => void;
}

/**
 * The proctor's status as a page sees it. Main holds one proctor session, and it belongs to the page
 * that signed in: any other page (a fresh browser opening the proctor URL, a proctor window opened
 * again) reads "not signed in" and must sign in itself.
 */
export async function readProctorStatus(services: KioskServices, mine = true): Promise<ProctorStatus> {
  const email = mine ? await services.proctor.email() : null;
  return { signedIn: email !== null, email, activeInterviewSessionId: services.interviews.activeId() };
}

export interface ProctorSessionOwner {
  /** The page whose sign-in main holds, if any. */
  current(): string | null;
  /** That page went away (socket closed, window destroyed): its sign-in ends with it. */
  pageClosed(page: string): Promise<void>;
  /** Throws unless the calling page holds the sign-in. */
  require(context: IpcCallContext): Promise<void>;
}

export function createProctorHandlers(options: ProctorHandlerOptions): { handlers: Pick<IpcHandlers, ProctorChannel>; owner: ProctorSessionOwner } {
  let owner: string | null = null;
  const guard = (context: IpcCallContext) => {
    if (options.isProctorSender && !options.isProctorSender(context.senderUrl)) {
      throw new KioskError('proctor.forbidden', 'Proctor actions are only available from the proctor window.');
    }
  };
  const signedInHere = async (context: IpcCallContext) => {
    guard(context);
    if (owner !== context.page || (await options.services().proctor.email()) === null) {
      throw new KioskError('proctor.not_signed_in', 'A proctor must sign in on this page first.');
    }
  };
  const status = (context: IpcCallContext) => readProctorStatus(options.services(), owner === context.page);
  // The event goes to every proctor page; each reads its own status on it, so it names no one.
  const changed = async () => options.onStatusChanged(await readProctorStatus(options.services(), false));
  const handlers: Pick<IpcHandlers, ProctorChannel> = {
    'proctor.status': (_request, context) => status(context),
    'proctor.signIn': async ({ email, password }, context) => {
      guard(context);
      await options.services().proctor.signIn(email, password);
      owner = context.page;
      await changed();
      return status(context);
    },
    'proctor.signOut': async (_request, context) => {
      guard(context);
      if (owner === context.page) {
        await options.services().proctor.signOut();
        owner = null;
        await changed();
      }
      return status(context);
    },
    'proctor.listInterviews': async (_request, context) => {
      await signedInHere(context);
      return { interviews: await options.services().interviews.listInterviews() };
    },
    'proctor.startInterview': async ({ interviewSessionId }, context) => {
      await signedInHere(context);
      return options.services().interviews.start(interviewSessionId);
    },
    'proctor.endInterview': async (_request, context) => {
      await signedInHere(context);
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
    'proctor.pinLockout': (_request, context) => {
      guard(context);
      return { lockedForMs: options.services().pinThrottle.lockedForMs() };
    },
  };
  return {
    handlers,
    owner: {
      current: () => owner,
      require: signedInHere,
      async pageClosed(page) {
        if (page !== owner) return;
        owner = null;
        await options.services().proctor.signOut();
        await changed();
      },
    },
  };
}
