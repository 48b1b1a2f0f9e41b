// The device identity's enrolment rules with a scripted Auth session and backend, and the real
// encrypted storage (AES-GCM) in a temp dir: what is kept, what leaves the config, and in which order.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAesGcmEncryptor } from '../../../../src/main/identity/aes-gcm-encryptor';
import type { AuthSession } from '../../../../src/main/identity/auth-session';
import { createDeviceIdentity, deviceCredentialsKey, type DeviceConfig, type EnrolReply } from '../../../../src/main/identity/device-identity';
import { createEncryptedSessionStorage } from '../../../../src/main/identity/encrypted-session-storage';
import { createMemoryOnlyEncryptor } from '../../../../src/main/identity/token-encryptor';
import { silentLogger } from '../../../../src/main/platform/logger';

const tenantId = '00000000-0000-4000-8000-000000000001';
const kioskId = '00000000-0000-4000-8000-000000000101';
const code = 'ab'.repeat(16);
const issued: EnrolReply = { kiosk_id: kioskId, tenant_id: tenantId, device: { email: 'kiosk-x@devices.invalid', password: 'f'.repeat(64) } };

function fakeSession(accepts: (email: string, password: string) => boolean) {
  let token: string | null = null;
  const signIns: string[] = [];
  const session: AuthSession = {
    async signIn(email, password) {
      signIns.push(email);
      if (!accepts(email, password)) throw Object.assign(new Error('rejected'), { code: 'auth.invalid_credentials' });
      token = `token-for-${email}`;
      return { email };
    },
    signOut: async () => void (token = null),
    accessToken: async () => token,
    refresh: async () => token,
    email: async () => null,
    dispose: () => undefined,
  };
  return { session, signIns };
}

function setup(options: { device: DeviceConfig; persistent?: boolean; enrol?: (code: string) => Promise<EnrolReply>; dir?: string; key?: Buffer }) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'device-identity-'));
  const key = options.key ?? randomBytes(32);
  const storage = createEncryptedSessionStorage({
    dir,
    encryptor: options.persistent === false ? createMemoryOnlyEncryptor('no keyring in this test') : createAesGcmEncryptor(key),
    logger: silentLogger,
  });
  const events: string[] = [];
  const auth = fakeSession((email, password) => email === issued.device.email ? password === issued.device.password : password === 'legacy-pass');
  const enrolCalls: string[] = [];
  const identity = createDeviceIdentity({
    session: auth.session,
    storage: {
      ...storage,
      async setItem(k, v) {
        events.push(`store ${k}`);
        await storage.setItem(k, v);
      },
    },
    tenantId,
    kioskId,
    device: options.device,
    enrol: async (c) => {
      enrolCalls.push(c);
      return (options.enrol ?? (async () => issued))(c);
    },
    stripConfig: (what) => events.push(`strip ${what}`),
    logger: silentLogger,
  });
  return { identity, storage, events, enrolCalls, signIns: auth.signIns, dir, key };
}

describe('device identity', () => {
  it('redeems the code once for concurrent callers, stores the credentials before it strips the code', async () => {
    const t = setup({ device: { enrolmentCode: code } });
    const tokens = await Promise.all([t.identity.accessToken(), t.identity.accessToken(), t.identity.refresh()]);
    expect(new Set(tokens)).toEqual(new Set([`token-for-${issued.device.email}`]));
    expect(t.enrolCalls).toEqual([code]);
    expect(t.events).toEqual([`store ${deviceCredentialsKey}`, 'strip enrolmentCode']);
  });

  it('signs in from the stored credentials after a restart that lost the session', async () => {
    const first = setup({ device: { enrolmentCode: code } });
    await first.identity.accessToken();
    const second = setup({ device: undefined, dir: first.dir, key: first.key });
    await expect(second.identity.accessToken()).resolves.toBe(`token-for-${issued.device.email}`);
    expect(second.enrolCalls).toEqual([]);
  });

  it('falls back to stored credentials when a code it already redeemed comes back refused', async () => {
    const first = setup({ device: { enrolmentCode: code } });
    await first.identity.accessToken();
    const refused = Object.assign(new Error('refused'), { status: 403, code: 'enrolment_refused' });
    const second = setup({ device: { enrolmentCode: code }, dir: first.dir, key: first.key, enrol: async () => Promise.reject(refused) });
    await expect(second.identity.accessToken()).resolves.toBe(`token-for-${issued.device.email}`);
    expect(second.events).toEqual(['strip enrolmentCode']);
  });

  it('answers enrolment_refused for a refused code with nothing stored, and leaves a network failure retryable', async () => {
    const refused = setup({ device: { enrolmentCode: code }, enrol: async () => Promise.reject(Object.assign(new Error('no'), { status: 403 })) });
    await expect(refused.identity.accessToken()).rejects.toMatchObject({ code: 'auth.enrolment_refused' });
    let online = false;
    const flaky = setup({
      device: { enrolmentCode: code },
      enrol: async () => (online ? issued : Promise.reject(Object.assign(new Error('offline'), { status: null, code: 'sync.network' }))),
    });
    await expect(flaky.identity.accessToken()).rejects.toMatchObject({ code: 'sync.network' });
    expect(flaky.events).toEqual([]);
    online = true;
    await expect(flaky.identity.accessToken()).resolves.toEqual(expect.any(String));
  });

  it('refuses credentials issued for another kiosk and keeps none of them', async () => {
    const t = setup({ device: { enrolmentCode: code }, enrol: async () => ({ ...issued, kiosk_id: '00000000-0000-4000-8000-000000000999' }) });
    await expect(t.identity.accessToken()).rejects.toMatchObject({ code: 'auth.enrolment_wrong_kiosk' });
    expect(t.events).toEqual([]);
    expect(await t.storage.getItem(deviceCredentialsKey)).toBeNull();
  });

  it('moves a legacy password into the encrypted store and out of the file, but not without a keyring', async () => {
    const kept = setup({ device: { email: 'kiosk-1@demo.example', password: 'legacy-pass' } });
    await kept.identity.accessToken();
    expect(kept.events).toEqual([`store ${deviceCredentialsKey}`, 'strip password']);
    const memoryOnly = setup({ device: { email: 'kiosk-1@demo.example', password: 'legacy-pass' }, persistent: false });
    await memoryOnly.identity.accessToken();
    expect(memoryOnly.events).toEqual([]);
  });

  it('says the kiosk is not enrolled when it has neither a code, stored credentials nor a legacy password', async () => {
    const t = setup({ device: undefined });
    await expect(t.identity.accessToken()).rejects.toMatchObject({ code: 'auth.device_not_enrolled' });
  });
});
