// The platform for running the core under plain Node (the browser host, `npm start -- --browser`,
// integration tests). Token encryption: there is no OS keychain here, so tokens are persisted only
// when the operator passes a 32-byte key (option `tokenKey` or env KIOSK_TOKEN_KEY, base64) that
// lives outside the data directory; without one, sessions stay in memory and end with the process —
// the device identity then signs in again from the tenant config's enrolment credentials.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KioskPlatform } from '../main/platform/kiosk-platform';
import { createAesGcmEncryptor } from '../main/identity/aes-gcm-encryptor';
import { createLogger, silentLogger, type Logger } from '../main/platform/logger';
import { createMemoryOnlyEncryptor } from '../main/identity/token-encryptor';

export interface NodePlatformOptions {
  dataDir: string;
  /** Defaults to `<dataDir>/tenant-config.json`. */
  configPath?: string;
  tokenKey?: Uint8Array;
  logger?: Logger;
  fetch?: typeof fetch;
  clock?: { now(): number };
  tuning?: KioskPlatform['tuning'];
}

export function createNodePlatform(options: NodePlatformOptions): KioskPlatform {
  const envKey = process.env.KIOSK_TOKEN_KEY ? Buffer.from(process.env.KIOSK_TOKEN_KEY, 'base64') : undefined;
  const key = options.tokenKey ?? envKey;
  return {
    dataDir: options.dataDir,
    configPath: options.configPath ?? join(options.dataDir, 'tenant-config.json'),
    encryptor: key
      ? createAesGcmEncryptor(key)
      : createMemoryOnlyEncryptor('No OS keychain under the Node host and no KIOSK_TOKEN_KEY: sign-ins are kept in memory only.'),
    clock: options.clock ?? Date,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    logger: options.logger ?? createLogger(),
    tuning: options.tuning,
  };
}

/**
 * A platform with no tenant config: every config-bound channel answers `config.missing`. The empty
 * path is never read, so no service ever touches the throw-away data folder.
 */
export function createUnconfiguredNodePlatform(): KioskPlatform {
  return createNodePlatform({ dataDir: join(tmpdir(), 'interview-kiosk-unconfigured'), configPath: '', logger: silentLogger });
}
