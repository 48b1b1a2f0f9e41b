// Drives electron-updater by the rules in update-policy: ask the feed only between interviews, and
// restart to install only when no interview runs and none has run for a quiet period.
import {
  allowsDowngrade,
  defaultUpdateTiming,
  feedChannelFor,
  nextUpdateStep,
  type UpdateChannel,
  type UpdatePhase,
  type UpdateTiming,
} from './update-policy';
import type { UpdateQuitPermit } from '../lockdown/quit-guard';

/** The part of electron-updater's AppUpdater this module uses (the real `autoUpdater` satisfies it). */
export interface UpdaterPort {
  channel: string | null;
  allowDowngrade: boolean;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  readonly currentVersion: { readonly version: string };
  checkForUpdates(): Promise<{ readonly isUpdateAvailable: boolean; readonly updateInfo: { version: string } } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface SchedulerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface UpdateLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface UpdateSchedulerOptions {
  autoUpdater: UpdaterPort;
  isInterviewRunning: () => boolean;
  channel: UpdateChannel;
  clock?: SchedulerClock;
  timing?: Partial<UpdateTiming>;
  /** Delay before the first look at the feed, so start-up and sign-in are not slowed by it. */
  firstCheckDelayMs?: number;
  log?: UpdateLog;
  /**
   * Lets the install's quit past the PIN quit guard: granted just before `quitAndInstall`, withdrawn if
   * it fails. Without it a locked kiosk refuses the quit and nothing installs.
   */
  quitPermit?: UpdateQuitPermit;
  /** `isForceRunAfter` for `quitAndInstall` (see `installRestart`); true when not given. */
  forceRunAfter?: boolean;
}

export interface UpdateSchedulerState {
  phase: UpdatePhase;
  channel: UpdateChannel;
  installedVersion: string;
  /** Version downloaded and waiting to be installed, if any. */
  readyVersion: string | null;
  lastCheckAt: number | null;
  lastError: { code: string; message: string } | null;
}

export interface UpdateScheduler {
  start(): void;
  stop(): void;
  /** Lets the scheduler act right away instead of at its next poll. */
  interviewEnded(): void;
  state(): UpdateSchedulerState;
}

const silentLog: UpdateLog = { info: () => {}, warn: () => {} };

export function createUpdateScheduler(options: UpdateSchedulerOptions): UpdateScheduler {
  const { autoUpdater: updater, isInterviewRunning, channel } = options;
  const clock = options.clock ?? systemClock;
  const timing: UpdateTiming = { ...defaultUpdateTiming, ...options.timing };
  const log = options.log ?? silentLog;
  const installedVersion = updater.currentVersion.version;

  let phase: UpdatePhase = 'idle';
  let lastCheckAt: number | null = null;
  let lastInterviewAt: number | null = null;
  let readyVersion: string | null = null;
  let lastError: UpdateSchedulerState['lastError'] = null;
  let timer: unknown = null;
  let running = false;

  const schedule = (ms: number): void => {
    if (!running) return;
    if (timer !== null) clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timer = null;
      void tick();
    }, ms);
  };

  const fail = (code: string, error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    lastError = { code, message };
    log.warn({ code, err: message }, 'update step failed; will try again at the next check');
  };

  const interviewRunningNow = (): boolean => {
    const busy = isInterviewRunning();
    if (busy) lastInterviewAt = clock.now();
    return busy;
  };

  const checkAndDownload = async (): Promise<void> => {
    phase = 'checking';
    lastCheckAt = clock.now();
    let failureCode = 'UPDATE_CHECK_FAILED';
    try {
      const result = await updater.checkForUpdates();
      if (!result?.isUpdateAvailable) {
        phase = 'idle';
        lastError = null;
        return;
      }
      // An interview may have begun while the feed answered: its audio and uploads keep the bandwidth.
      if (interviewRunningNow()) {
        phase = 'idle';
        lastCheckAt = null;
        return;
      }
      phase = 'downloading';
      log.info({ version: result.updateInfo.version, channel }, 'downloading update');
      failureCode = 'UPDATE_DOWNLOAD_FAILED';
      await updater.downloadUpdate();
      readyVersion = result.updateInfo.version;
      phase = 'ready';
      lastError = null;
    } catch (error) {
      phase = 'idle';
      fail(failureCode, error);
    }
  };

  const tick = async (): Promise<void> => {
    if (!running) return;
    const step = nextUpdateStep({
      phase,
      interviewRunning: interviewRunningNow(),
      now: clock.now(),
      lastCheckAt,
      lastInterviewAt,
      timing,
    });
    switch (step.kind) {
      case 'wait':
        schedule(step.ms);
        return;
      case 'check':
        await checkAndDownload();
        schedule(0);
        return;
      case 'install':
        // No await since the interview check above, so no interview can have started in between.
        phase = 'installing';
        running = false;
        log.info({ version: readyVersion }, 'restarting to install update');
        options.quitPermit?.grant();
        try {
          updater.quitAndInstall(true, options.forceRunAfter ?? true);
        } catch (error) {
          options.quitPermit?.withdraw();
          phase = 'ready';
          running = true;
          fail('UPDATE_INSTALL_FAILED', error);
          schedule(timing.checkIntervalMs);
        }
        return;
    }
  };

  return {
    start() {
      if (running || phase === 'installing') return;
      updater.channel = feedChannelFor(channel);
      // Set after the channel: electron-updater's channel setter forces allowDowngrade on.
      updater.allowDowngrade = allowsDowngrade(installedVersion, channel);
      updater.autoDownload = false;
      // Quitting can happen mid-interview (proctor PIN, power loss drill): installs go through tick only.
      updater.autoInstallOnAppQuit = false;
      running = true;
      schedule(options.firstCheckDelayMs ?? 30_000);
    },
    stop() {
      running = false;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
    interviewEnded() {
      lastInterviewAt = clock.now();
      if (phase === 'idle' || phase === 'ready') schedule(0);
    },
    state: () => ({ phase, channel, installedVersion, readyVersion, lastCheckAt, lastError }),
  };
}
