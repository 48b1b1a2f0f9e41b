// What a shell hands the Electron-free core: where to keep data, how to encrypt tokens, the clock,
// the network and the log. Electron builds it from `app`/`safeStorage`; the Node host from node-platform.ts.
import type { Logger } from './logger';
import type { BackoffOptions } from '../sync/sync-policy';
import type { TokenEncryptor } from '../identity/token-encryptor';

export interface KioskPlatform {
  /** The outbox database, recording files and encrypted sessions live here. */
  dataDir: string;
  /** The tenant configuration file an administrator placed (JSON). */
  configPath: string;
  encryptor: TokenEncryptor;
  clock: { now(): number };
  fetch: typeof fetch;
  logger: Logger;
  random?: () => number;
  /** Tuning for tests and benches; production uses the defaults. */
  tuning?: {
    syncPollIntervalMs?: number;
    backoff?: BackoffOptions;
    recordingFlushIntervalMs?: number;
    endGraceMs?: number;
  };
}
