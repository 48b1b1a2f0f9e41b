// The Electron-free heart of main: builds the services and the IPC handlers from injected platform
// pieces. The Electron composition root and the browser host both run exactly this.
import { type AppInfo } from '../shared/ipc-contract';
import { KioskError } from '../shared/kiosk-error';
import { createAppHandlers } from './handlers/app-handlers';
import { createConfigHandlers } from './handlers/config-handlers';
import { createInterviewHandlers } from './handlers/interview-handlers';
import { createProctorHandlers, readProctorStatus } from './handlers/proctor-handlers';
import { createRecordingHandlers } from './handlers/recording-handlers';
import { createSeatHandlers } from './handlers/seat-handlers';
import { createProctorOperations } from './handlers/proctor-operations';
import { createSyncHandlers } from './handlers/sync-handlers';
import { createEventHub, type EventHub } from './ipc/event-hub';
import { createIpcDispatcher, type IpcDispatch, type IpcHandlers } from './ipc/ipc-dispatcher';
import type { KioskPlatform } from './platform/kiosk-platform';
import { createKioskServices, type KioskServices } from './kiosk-services';
import { CONFIG_ERROR, loadTenantConfig } from './config/tenant-config';
import { nativeModuleError } from './platform/native-module-error';

export interface KioskCoreOptions {
  appInfo: AppInfo;
  /** URL the renderer is served from; only frames from it may call main. */
  appUrl: string;
  isTrustedSender: (senderUrl: string | undefined) => boolean;
  onInternalError?: (channel: string, error: unknown) => void;
  /**
   * Data dir, config path, token encryption, clock, fetch, logger: the shell's. A platform with an
   * empty `configPath` runs unconfigured, so every config-bound channel answers `config.missing`.
   */
  platform: KioskPlatform;
  /** The Electron shell lets only its proctor window act as the proctor. */
  isProctorSender?: (senderUrl: string) => boolean;
  /** Called after the proctor entered the right PIN to quit. */
  onQuit?: () => void;
}

export interface KioskCore {
  dispatch: IpcDispatch;
  handlers: IpcHandlers;
  events: Pick<EventHub, 'subscribe'>;
  /** The services, or the config error that keeps them from running. */
  services(): KioskServices;
  /** A page went away (socket closed, window destroyed); a proctor sign-in it held ends. */
  pageClosed(page: string): Promise<void>;
  /** For the shell's lockdown glue: tell the kiosk window the interview is paused or resumed. */
  setLockdownPaused(paused: boolean, reason: string | null): void;
  dispose(): Promise<void>;
}

export function createKioskCore(options: KioskCoreOptions): KioskCore {
  const events = createEventHub();
  const { platform } = options;

  let services: KioskServices | null = null;
  let configError: KioskError | null = null;
  try {
    if (!platform.configPath) throw new KioskError(CONFIG_ERROR.missing, 'This kiosk was started without a tenant configuration.');
    const config = loadTenantConfig(platform.configPath);
    services = createKioskServices(platform, config, {
      requestRendererEnd: (reason) => events.publish('interview.endRequested', { reason }),
    });
  } catch (error) {
    configError =
      error instanceof KioskError
        ? error
        : (nativeModuleError(error) ?? new KioskError('config.invalid', 'The kiosk could not start its services; the log has the details.'));
    platform.logger.error({ err: error, code: configError.code }, configError.message);
  }

  const requireServices = (): KioskServices => {
    if (!services) throw configError!;
    return services;
  };

  const publishProctorStatus = async () => {
    if (!services) return;
    events.publish('proctor.status', await readProctorStatus(services, false));
  };

  const seat = createSeatHandlers({
    services: requireServices,
    clock: platform.clock,
    onChanged: (status) => events.publish('proctor.seat', status),
  });

  if (services) {
    const live = services;
    live.sync.subscribe((state) => events.publish('sync.state', state));
    live.interviews.onChange((change) => {
      if (change.type === 'launched') events.publish('interview.launched', change.launch);
      seat.seat.clear();
      void publishProctorStatus().catch((error) => platform.logger.warn({ err: error }, 'proctor status could not be published'));
    });
    live.sync.start();
    void live.recordings
      .recoverAbandoned(live.interviews.activeId())
      .catch((error) => platform.logger.error({ err: error }, 'abandoned recordings could not be recovered'));
  }

  const proctor = createProctorHandlers({
    services: requireServices,
    isProctorSender: options.isProctorSender,
    onStatusChanged: (status) => events.publish('proctor.status', status),
    onQuit: options.onQuit,
  });
  const operations = createProctorOperations({
    services: requireServices,
    clock: platform.clock,
    requireProctor: (context) => proctor.owner.require(context),
    toKioskWindow: (control) => events.publish('interview.proctorControl', control),
    onChanged: (state) => events.publish('proctor.operations', state),
  });
  const handlers: IpcHandlers = {
    ...createAppHandlers(options.appInfo),
    ...createConfigHandlers(requireServices),
    ...createInterviewHandlers(requireServices),
    ...createRecordingHandlers(requireServices),
    ...createSyncHandlers(requireServices),
    ...seat.handlers,
    ...proctor.handlers,
    ...operations.handlers,
    // A reloaded kiosk window resumes with the proctor's breaks and extra time as well.
    'interview.resume': async () => {
      const resume = await requireServices().interviews.resume();
      if (!resume) return null;
      const proctorClock = operations.clock(resume.launch.interviewSessionId);
      return proctorClock ? { ...resume, proctorClock } : resume;
    },
  };
  const dispatch = createIpcDispatcher({
    handlers,
    isTrustedSender: options.isTrustedSender,
    onInternalError: options.onInternalError ?? ((channel, error) => platform.logger.error({ err: error, channel }, 'IPC call failed')),
  });
  return {
    dispatch,
    handlers,
    events,
    services: requireServices,
    pageClosed: (page) =>
      proctor.owner.pageClosed(page).catch((error: unknown) => platform.logger.warn({ err: error }, 'the proctor could not be signed out')),
    setLockdownPaused(paused, reason) {
      events.publish('lockdown.changed', { paused, reason });
    },
    async dispose() {
      await services?.dispose();
      services = null;
      configError ??= new KioskError('kiosk.stopped', 'The kiosk is shutting down.');
    },
  };
}
