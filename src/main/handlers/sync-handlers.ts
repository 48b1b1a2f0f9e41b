import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { KioskServices } from '../kiosk-services';

export function createSyncHandlers(services: () => KioskServices): Pick<IpcHandlers, 'sync.status' | 'sync.retryNow'> {
  return {
    'sync.status': () => services().sync.state(),
    'sync.retryNow': () => services().sync.retryNow(),
  };
}
