// The Electron-free heart of main: builds the services and the IPC handlers from injected platform
// facts. The Electron composition root and the browser host both run exactly this.
import type { AppInfo } from '../shared/ipc-contract';
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
    ...createAppHandlers(options.appInfo),
  };
  const dispatch = createIpcDispatcher({
    handlers,
    isTrustedSender: options.isTrustedSender,
    onInternalError: options.onInternalError,
  });
  return { dispatch, handlers, events, dispose: async () => {} };
}
