// Electron edge of updates: hands the real electron-updater to the scheduler. Nothing to decide here.
// electron-updater is CommonJS with a getter export, which ESM named imports cannot see: take the default.
import electronUpdater from 'electron-updater';
import { createUpdateScheduler, type UpdateLog, type UpdateScheduler } from './update-scheduler';
import { selfUpdates, type UpdateChannel } from './update-policy';

export interface KioskUpdatesOptions {
  channel: UpdateChannel;
  isInterviewRunning: () => boolean;
  /** `app.isPackaged`: an unpackaged app has no app-update.yml and must not look for updates. */
  isPackaged: boolean;
  platform?: NodeJS.Platform;
  log?: UpdateLog & { error(fields: object, message: string): void; debug(fields: object, message: string): void };
}

export function startKioskUpdates(options: KioskUpdatesOptions): UpdateScheduler | null {
  const install = { platform: options.platform ?? process.platform, isPackaged: options.isPackaged, appImagePath: process.env.APPIMAGE };
  if (!selfUpdates(install)) {
    options.log?.info({ platform: install.platform }, 'this install is not updated by the app (development run or system package)');
    return null;
  }
  const { autoUpdater } = electronUpdater;
  if (options.log) {
    const log = options.log;
    autoUpdater.logger = {
      info: (message?: unknown) => log.info({ source: 'electron-updater' }, String(message)),
      warn: (message?: unknown) => log.warn({ source: 'electron-updater' }, String(message)),
      error: (message?: unknown) => log.error({ source: 'electron-updater' }, String(message)),
      debug: (message: string) => log.debug({ source: 'electron-updater' }, message),
    };
  }
  // Failures are reported through the scheduler's promises; an unhandled 'error' event would crash main.
  autoUpdater.on('error', () => {});
  const scheduler = createUpdateScheduler({
    autoUpdater,
    channel: options.channel,
    isInterviewRunning: options.isInterviewRunning,
    log: options.log,
  });
  scheduler.start();
  return scheduler;
}
