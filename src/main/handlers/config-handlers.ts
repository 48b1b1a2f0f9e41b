import { publicTenantConfig } from '../config/tenant-config';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { KioskServices } from '../kiosk-services';

export function createConfigHandlers(services: () => KioskServices): Pick<IpcHandlers, 'config.get'> {
  return {
    'config.get': () => publicTenantConfig(services().config),
  };
}
