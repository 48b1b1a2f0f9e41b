// The kiosk's own identity (role `kiosk`, bound to this kiosk row). Uploads run as it, so they go on
// after a restart with nobody signed in. It comes from enrolment: the tenant config carries a one-time
// code an admin issued for this kiosk; main redeems it once (kiosk-enrol), keeps the credentials it gets
// in the encrypted session storage (as the proctor's session is kept) and removes the code from the
// file. After that the encrypted refresh token carries on, and the stored credentials sign in again
// only when the session is lost. No config file ever holds this identity's password.
//
// Where tokens cannot be stored (no OS keyring), the credentials live in memory only: the kiosk then
// needs a new code after a restart, which beats a readable password on disk.
//
// The `{ email, password }` config of kiosks set up before enrolment still signs in; once the
// credentials are stored encrypted, the password is removed from the file.
import { z } from 'zod';
import { KioskError } from '../../shared/kiosk-error';
import type { Logger } from '../platform/logger';
import { AUTH_ERROR, type AuthSession } from './auth-session';
import type { EncryptedSessionStorage } from './encrypted-session-storage';

export interface DeviceIdentity {
  accessToken(): Promise<string>;
  refresh(): Promise<string>;
}

export const DEVICE_ERROR = {
  enrolmentRefused: 'auth.enrolment_refused',
  wrongKiosk: 'auth.enrolment_wrong_kiosk',
} as const;

export const deviceCredentialsKey = 'kiosk-device-credentials';

const storedCredentials = z.strictObject({
  version: z.literal(1),
  tenantId: z.uuid(),
  kioskId: z.uuid(),
  email: z.email(),
  password: z.string().min(1).max(1024),
});
type StoredCredentials = z.infer<typeof storedCredentials>;

export const enrolReply = z.object({
  kiosk_id: z.uuid(),
  tenant_id: z.uuid(),
  device: z.object({ email: z.email(), password: z.string().min(16).max(1024) }),
});
export type EnrolReply = z.infer<typeof enrolReply>;

export type DeviceConfig = { enrolmentCode: string } | { email: string; password?: string } | undefined;

export interface DeviceIdentityOptions {
  session: AuthSession;
  storage: EncryptedSessionStorage;
  tenantId: string;
  kioskId: string;
  device: DeviceConfig;
  /** Redeems the enrolment code (kiosk-enrol); a refusal rejects with a KioskError/BackendFailure. */
  enrol(code: string): Promise<EnrolReply>;
  /** Removes the spent code or the legacy password from the tenant config file. */
  stripConfig(what: 'enrolmentCode' | 'password'): void;
  logger: Logger;
}

export function createDeviceIdentity(options: DeviceIdentityOptions): DeviceIdentity {
  const { session, storage, logger } = options;
  // The config as this process read it; what has been stripped from the file is forgotten here too.
  let device = options.device;
  let signingIn: Promise<string> | null = null;

  async function readStored(): Promise<StoredCredentials | null> {
    const text = await storage.getItem(deviceCredentialsKey);
    if (!text) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const result = storedCredentials.safeParse(parsed);
    if (!result.success || result.data.kioskId !== options.kioskId || result.data.tenantId !== options.tenantId) {
      logger.warn({}, 'stored device credentials are unreadable or belong to another kiosk; they are discarded');
      await storage.removeItem(deviceCredentialsKey);
      return null;
    }
    return result.data;
  }

  function strip(what: 'enrolmentCode' | 'password') {
    try {
      options.stripConfig(what);
    } catch (error) {
      logger.error({ err: error }, `the ${what === 'password' ? 'device password' : 'spent enrolment code'} could not be removed from the tenant config`);
    }
  }

  async function enrol(code: string): Promise<StoredCredentials | null> {
    let reply: EnrolReply;
    try {
      reply = await options.enrol(code);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 403) {
        // Spent, expired or superseded: if an earlier run redeemed it and stored what it got (and then
        // stopped before it could tidy the file), carry on with that.
        device = undefined;
        strip('enrolmentCode');
        const stored = await readStored();
        if (stored) return stored;
        throw new KioskError(DEVICE_ERROR.enrolmentRefused, 'The enrolment code was refused (unknown, expired or already used); ask an administrator for a new one.', {
          cause: error,
        });
      }
      throw error;
    }
    if (reply.kiosk_id !== options.kioskId || reply.tenant_id !== options.tenantId) {
      throw new KioskError(DEVICE_ERROR.wrongKiosk, 'The enrolment code belongs to another kiosk than this tenant config names.');
    }
    const credentials: StoredCredentials = { version: 1, tenantId: reply.tenant_id, kioskId: reply.kiosk_id, ...reply.device };
    // Stored before the code leaves the file: a crash in between finds the credentials next time.
    await storage.setItem(deviceCredentialsKey, JSON.stringify(credentials));
    const availability = await storage.availability();
    if (!availability.ok) {
      logger.warn({ code: availability.code }, 'this kiosk\'s device credentials are kept in memory only; after a restart it needs a new enrolment code');
    }
    device = undefined;
    strip('enrolmentCode');
    return credentials;
  }

  async function credentials(): Promise<{ email: string; password: string; legacy: boolean } | null> {
    if (device && 'enrolmentCode' in device) {
      const enrolled = await enrol(device.enrolmentCode);
      return enrolled && { ...enrolled, legacy: false };
    }
    const stored = await readStored();
    if (stored) return { ...stored, legacy: false };
    if (device && 'email' in device && device.password) return { email: device.email, password: device.password, legacy: true };
    return null;
  }

  async function signIn(): Promise<string> {
    const found = await credentials();
    if (!found) {
      throw new KioskError(AUTH_ERROR.deviceNotEnrolled, 'This kiosk has no device identity; an administrator must issue an enrolment code for it.');
    }
    await session.signIn(found.email, found.password);
    const token = await session.accessToken();
    if (!token) throw new KioskError(AUTH_ERROR.signedOut, 'The device identity could not sign in.');
    if (found.legacy) await adoptLegacyPassword(found.email, found.password);
    else if (device && 'password' in device && device.password) {
      // A run that stored the legacy credentials stopped before it could tidy the file.
      device = { email: device.email };
      strip('password');
    }
    return token;
  }

  async function adoptLegacyPassword(email: string, password: string) {
    if (!(await storage.availability()).ok) {
      logger.warn({}, 'no OS keyring: the legacy device password stays in the tenant config; enrol this kiosk with a code instead');
      return;
    }
    await storage.setItem(deviceCredentialsKey, JSON.stringify({ version: 1, tenantId: options.tenantId, kioskId: options.kioskId, email, password }));
    device = { email };
    strip('password');
  }

  // Concurrent callers (the sync engine and an interview resume) share one sign-in or enrolment.
  const once = () => (signingIn ??= signIn().finally(() => (signingIn = null)));

  return {
    async accessToken() {
      return (await session.accessToken()) ?? once();
    },
    async refresh() {
      return (await session.refresh()) ?? once();
    },
  };
}
