// Electron edge of updates: hands the real electron-updater to the scheduler. Nothing to decide here.
// electron-updater is CommonJS with a getter export, which ESM named imports cannot see: take the default.
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { UpdateQuitPermit } from '../lockdown/quit-guard';
import { createUpdateScheduler, type UpdateLog, type UpdateScheduler, type UpdaterPort } from './update-scheduler';
import { installRestart, selfUpdates, type UpdateChannel } from './update-policy';

export interface KioskUpdatesOptions {
  channel: UpdateChannel;
  isInterviewRunning: () => boolean;
  /** `app.isPackaged`: an unpackaged app has no app-update.yml and must not look for updates. */
  isPackaged: boolean;
  platform?: NodeJS.Platform;
  /** Lets the install's own quit past the PIN guard (and only that quit). */
  quitPermit: UpdateQuitPermit;
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
  const restart = installRestart(install);
  const port: UpdaterPort = {
    get channel() {
      return autoUpdater.channel;
    },
    set channel(value) {
      autoUpdater.channel = value;
    },
    get allowDowngrade() {
      return autoUpdater.allowDowngrade;
    },
    set allowDowngrade(value) {
      autoUpdater.allowDowngrade = value;
    },
    get autoDownload() {
      return autoUpdater.autoDownload;
    },
    set autoDownload(value) {
      autoUpdater.autoDownload = value;
    },
    get autoInstallOnAppQuit() {
      return autoUpdater.autoInstallOnAppQuit;
    },
    set autoInstallOnAppQuit(value) {
      autoUpdater.autoInstallOnAppQuit = value;
    },
    get currentVersion() {
      return autoUpdater.currentVersion;
    },
    checkForUpdates: () => autoUpdater.checkForUpdates(),
    downloadUpdate: () => autoUpdater.downloadUpdate(),
    quitAndInstall(isSilent, isForceRunAfter) {
      // electron-updater reports a failed install (file moved away, no installer) through 'error',
      // synchronously, and then does not quit: turn that into a throw so the scheduler withdraws the
      // quit permit instead of leaving the PIN guard open.
      let failure: unknown = null;
      let destination = install.appImagePath;
      const onError = (error: unknown) => (failure = error);
      const onRenamed = (path: string) => (destination = path);
      autoUpdater.on('error', onError);
      autoUpdater.on('appimage-filename-updated', onRenamed);
      try {
        autoUpdater.quitAndInstall(isSilent, isForceRunAfter);
      } finally {
        autoUpdater.off('error', onError);
        autoUpdater.off('appimage-filename-updated', onRenamed);
      }
      if (failure !== null) throw failure instanceof Error ? failure : new Error(String(failure));
      // Started by Electron after this process has exited, so the new copy gets the single-instance lock.
      if (restart.relaunchAfterExit && destination) app.relaunch({ execPath: destination, args: [] });
    },
  };
  const scheduler = createUpdateScheduler({
    autoUpdater: port,
    channel: options.channel,
    isInterviewRunning: options.isInterviewRunning,
    log: options.log,
    quitPermit: options.quitPermit,
    forceRunAfter: restart.forceRunAfter,
  });
  scheduler.start();
  return scheduler;
}
