// The Electron-free heart of main: builds the services and the IPC handlers from injected platform
// facts. The Electron composition root and the browser host both run exactly this.
import { IPC_ERROR, ipcChannels, type AppInfo } from '../shared/ipc-contract';
import { KioskError } from '../shared/kiosk-error';
import { createAppHandlers } from './handlers/app-handlers';
import { createEventHub, type EventHub } from './ipc/event-hub';
import { createIpcDispatcher, type IpcDispatch, type IpcHandlers } from './ipc/ipc-dispatcher';

export interface KioskCoreOptions {
  appInfo: AppInfo;
  /** URL the renderer is served from; only frames from it may call main. */
  appUrl: string;
  isTrustedSender: (senderUrl: string | undefined) => boolean;
  onInternalError?: (channel: string, error: unknown) => void;
}

export interface KioskCore {
  dispatch: IpcDispatch;
  handlers: IpcHandlers;
  events: Pick<EventHub, 'subscribe'>;
  dispose(): Promise<void>;
}

export function createKioskCore(options: KioskCoreOptions): KioskCore {
  const events = createEventHub();
  const handlers: IpcHandlers = {
    ...unavailableHandlers(),
    ...createAppHandlers(options.appInfo),
  };
  const dispatch = createIpcDispatcher({
    handlers,
    isTrustedSender: options.isTrustedSender,
    onInternalError: options.onInternalError,
  });
  return { dispatch, handlers, events, dispose: async () => {} };
}

/** Channels whose service is not wired in this core answer with a clear, stable error. */
function unavailableHandlers(): IpcHandlers {
  const entries = ipcChannels.map((channel) => [
    channel,
    () => {
      throw new KioskError(IPC_ERROR.notAvailable, `"${channel}" is not available in this kiosk build.`);
    },
  ]);
  return Object.fromEntries(entries) as IpcHandlers;
}
