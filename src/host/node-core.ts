// The full core under plain Node, for the browser host (`startBrowserHost({ createCore })`), scripts
// and tests: the same services Electron runs, on the Node platform (see node-platform.ts for what
// happens to token encryption there).
import type { AppInfo } from '../shared/ipc-contract';
import { createKioskCore, type KioskCore, type KioskCoreOptions } from '../main/kiosk-core';
import { createNodePlatform, type NodePlatformOptions } from './node-platform';

/** What the core reports about itself when no shell says otherwise (a development build in a browser). */
export const BROWSER_HOST_APP_INFO: AppInfo = { name: 'interview-kiosk', version: '0.0.0-dev', platform: 'browser', shell: 'browser-host' };

export function nodeCoreFactory(
  options: NodePlatformOptions & { appInfo?: Partial<AppInfo> },
): (policy: Pick<KioskCoreOptions, 'appUrl' | 'isTrustedSender'>) => KioskCore {
  return (policy) =>
    createKioskCore({
      ...policy,
      appInfo: { ...BROWSER_HOST_APP_INFO, ...options.appInfo },
      platform: createNodePlatform(options),
    });
}
