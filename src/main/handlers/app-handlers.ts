import type { AppInfo } from '../../shared/ipc-contract';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';

export function createAppHandlers(info: AppInfo): Pick<IpcHandlers, 'app.info'> {
  return {
    'app.info': () => info,
  };
}
