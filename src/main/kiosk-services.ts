// Builds main's long-lived services from the platform and the tenant config. Electron-free.
import { join } from 'node:path';
import type { KioskPlatform } from './platform/kiosk-platform';
import { createAuthSession, type AuthSession } from './identity/auth-session';
import { createBackendClient, type BackendClient } from './sync/backend-client';
import { createDataUploader } from './sync/data-uploader';
import { createDeviceIdentity, enrolReply, type DeviceIdentity } from './identity/device-identity';
import { createEncryptedSessionStorage } from './identity/encrypted-session-storage';
import { createInterviewRegistry } from './interviews/interview-registry';
import { createInterviewService, type InterviewService } from './interviews/interview-service';
import { openKioskDatabase, type KioskDatabase } from './platform/kiosk-database';
import { createLockdownLog, type LockdownLog } from './lockdown/lockdown-log';
import { createOutbox, type Outbox } from './sync/outbox';
import { createPinThrottle, type PinThrottle } from './identity/pin-throttle';
import { createRecordingStore, type RecordingStore } from './recordings/recording-store';
import { createRecordingUploader } from './recordings/recording-uploader';
import { createSyncEngine, type SyncEngine } from './sync/sync-engine';
import { stripDeviceSecrets, type TenantConfig } from './config/tenant-config';
import type { EndReason } from '../shared/domain/interview';

export interface KioskServices {
  config: TenantConfig;
  db: KioskDatabase;
  outbox: Outbox;
  backend: BackendClient;
  proctor: AuthSession;
  device: DeviceIdentity;
  sync: SyncEngine;
  interviews: InterviewService;
  recordings: RecordingStore;
  lockdown: LockdownLog;
  /** Wrong-PIN throttle for quitting; its state is in `db`, so it survives restarts. */
  pinThrottle: PinThrottle;
  dispose(): Promise<void>;
}

export function createKioskServices(
  platform: KioskPlatform,
  config: TenantConfig,
  hooks: { requestRendererEnd(reason: EndReason): void },
): KioskServices {
  const { clock, logger } = platform;
  const db = openKioskDatabase(join(platform.dataDir, 'outbox.sqlite'));
  const outbox = createOutbox(db, clock);
  const backend = createBackendClient({ supabaseUrl: config.supabase.url, publishableKey: config.supabase.publishableKey, fetch: platform.fetch });
  const storage = createEncryptedSessionStorage({ dir: join(platform.dataDir, 'sessions'), encryptor: platform.encryptor, logger });
  const authOptions = { supabaseUrl: config.supabase.url, publishableKey: config.supabase.publishableKey, storage, fetch: platform.fetch };
  const proctor = createAuthSession({ ...authOptions, name: 'proctor' });
  const deviceSession = createAuthSession({ ...authOptions, name: 'device' });
  const device = createDeviceIdentity({
    session: deviceSession,
    storage,
    tenantId: config.tenantId,
    kioskId: config.kioskId,
    device: config.device,
    // The enrolling kiosk has no account yet: like supabase-js signed out, it presents the publishable key.
    enrol: (code) => backend.invoke('kiosk-enrol', { kiosk_id: config.kioskId, code }, config.supabase.publishableKey, enrolReply),
    stripConfig: (what) => stripDeviceSecrets(platform.configPath, what),
    logger,
  });

  // Services queue work before the engine exists in this function; the closure runs only later.
  const kick = () => sync.kick();
  const registry = createInterviewRegistry(db, clock);
  const interviews = createInterviewService({
    registry,
    outbox,
    proctor,
    deviceToken: () => device.accessToken(),
    kioskId: config.kioskId,
    backend,
    clock,
    logger,
    requestRendererEnd: hooks.requestRendererEnd,
    onQueued: kick,
    endGraceMs: platform.tuning?.endGraceMs,
    atomically: (work) => db.transaction(work)(),
  });
  const recordings = createRecordingStore({
    db,
    dir: join(platform.dataDir, 'recordings'),
    outbox,
    clock,
    logger,
    flushIntervalMs: platform.tuning?.recordingFlushIntervalMs,
    onQueued: kick,
  });
  const sync: SyncEngine = createSyncEngine({
    outbox,
    senders: [
      createDataUploader(backend, device),
      createRecordingUploader({
        store: recordings,
        target: config.recordingUpload ?? null,
        backend,
        identity: device,
        fetch: platform.fetch,
        logger,
      }),
    ],
    reauth: async () => {
      await device.refresh();
    },
    clock,
    random: platform.random,
    logger,
    backoff: platform.tuning?.backoff,
    pollIntervalMs: platform.tuning?.syncPollIntervalMs,
  });
  // A recording a renderer crash left open is finished (as far as it was flushed) once its interview ends.
  interviews.onChange((change) => {
    if (change.type !== 'ended') return;
    void recordings.recoverAbandoned(interviews.activeId()).catch((error) => logger.error({ err: error }, 'abandoned recordings could not be finished'));
  });
  const lockdown = createLockdownLog({
    activeInterviewId: () => interviews.activeId(),
    append: (interviewId, event) => interviews.appendEvents(interviewId, [event]),
    clock,
    logger,
  });

  const pinThrottle = createPinThrottle({ db, clock, logger });

  return {
    config,
    db,
    outbox,
    backend,
    proctor,
    device,
    sync,
    interviews,
    recordings,
    lockdown,
    pinThrottle,
    async dispose() {
      interviews.dispose();
      await sync.dispose();
      recordings.dispose();
      proctor.dispose();
      deviceSession.dispose();
      db.close();
    },
  };
}
