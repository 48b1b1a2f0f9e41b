import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPin } from '../../../../src/main/identity/pin-hash';
import { loadTenantConfig, publicTenantConfig, stripDeviceSecrets } from '../../../../src/main/config/tenant-config';

let pinHash: string;
beforeAll(async () => {
  pinHash = await hashPin('482913');
});

const validConfig = () => ({
  version: 1,
  tenantId: '00000000-0000-4000-8000-000000000001',
  kioskId: '00000000-0000-4000-8000-000000000101',
  supabase: { url: 'https://abc.supabase.co', publishableKey: 'sb_publishable_1234567890' },
  device: { email: 'kiosk-1@demo.example', password: 'demo-password-1' },
  branding: { organisationName: 'Demo Assessment Centre', accentColor: '#2563eb' },
  policies: { maxDurationMinutes: 30, consentText: 'We record this interview.', recording: true },
  proctorPinHash: pinHash,
  allowedOrigins: ['https://proxy.example.com/anything'],
});

// scrypt N = 2^15, as the kiosk hashed PINs before issue 11.
function weakPinHash(): string {
  const salt = randomBytes(16);
  return `scrypt$15$8$1$${salt.toString('base64')}$${scryptSync('482913', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('base64')}`;
}

function writeConfig(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tenant-')), 'tenant-config.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('tenant config', () => {
  it('loads a valid file and fills defaults', () => {
    const config = loadTenantConfig(writeConfig(validConfig()));
    expect(config.allowedOrigins).toEqual(['https://proxy.example.com']);
    expect(config.updateChannel).toBe('stable');
    expect(config.allowExtraDisplays).toBe(false);
  });

  it('shows the renderer no keys, credentials or PIN hash', () => {
    const visible = JSON.stringify(publicTenantConfig(loadTenantConfig(writeConfig(validConfig()))));
    expect(visible).not.toContain('sb_publishable');
    expect(visible).not.toContain('demo-password-1');
    expect(visible).not.toContain('scrypt');
    expect(visible).toContain('Demo Assessment Centre');
  });

  it('answers config.missing when there is no file', () => {
    expect(() => loadTenantConfig(join(tmpdir(), 'nope', 'tenant-config.json'))).toThrow(expect.objectContaining({ code: 'config.missing' }));
  });

  it.each([
    ['not JSON', '{oops'],
    ['a plain-http backend', { ...validConfig(), supabase: { url: 'http://backend.example.com', publishableKey: 'sb_publishable_1234567890' } }],
    ['a bare SHA-256 PIN hash', { ...validConfig(), proctorPinHash: 'a'.repeat(64) }],
    ['a PIN hash too cheap to withstand a full search', { ...validConfig(), proctorPinHash: weakPinHash() }],
    ['an unknown field', { ...validConfig(), openaiKey: 'sk-123' }],
    ['a bad tenant id', { ...validConfig(), tenantId: 'tenant-1' }],
    ['a malformed enrolment code', { ...validConfig(), device: { enrolmentCode: 'let-me-in' } }],
    ['an enrolment code next to a password', { ...validConfig(), device: { enrolmentCode: 'a'.repeat(32), password: 'demo-password-1' } }],
  ])('answers config.invalid for %s', (_name, value) => {
    expect(() => loadTenantConfig(writeConfig(value))).toThrow(expect.objectContaining({ code: 'config.invalid' }));
  });

  it('attack: a hash with weak parameters is refused — the error says how to re-hash', () => {
    expect(() => loadTenantConfig(writeConfig({ ...validConfig(), proctorPinHash: weakPinHash() }))).toThrow(
      expect.objectContaining({ code: 'config.invalid', message: expect.stringMatching(/proctorPinHash: .*below the minimum.*scripts\/hash-pin\.ts/) }),
    );
  });

  it('allows plain http only for a loopback backend', () => {
    const config = loadTenantConfig(writeConfig({ ...validConfig(), supabase: { url: 'http://127.0.0.1:54321', publishableKey: 'sb_publishable_1234567890' } }));
    expect(config.supabase.url).toBe('http://127.0.0.1:54321');
  });
});

describe('device section', () => {
  const code = '0123456789abcdef0123456789abcdef';

  it('accepts an enrolment code, the legacy email and password, or no device section at all', () => {
    expect(loadTenantConfig(writeConfig({ ...validConfig(), device: { enrolmentCode: code } })).device).toEqual({ enrolmentCode: code });
    expect(loadTenantConfig(writeConfig(validConfig())).device).toEqual({ email: 'kiosk-1@demo.example', password: 'demo-password-1' });
    const { device: _device, ...enrolled } = validConfig();
    expect(loadTenantConfig(writeConfig(enrolled)).device).toBeUndefined();
  });

  it('strips a spent code (the whole section) and a legacy password (keeping the email), and nothing else', () => {
    const withCode = writeConfig({ ...validConfig(), device: { enrolmentCode: code } });
    stripDeviceSecrets(withCode, 'enrolmentCode');
    const { device: _device, ...rest } = validConfig();
    expect(JSON.parse(readFileSync(withCode, 'utf8'))).toEqual(rest);
    expect(loadTenantConfig(withCode).device).toBeUndefined();

    const legacy = writeConfig(validConfig());
    stripDeviceSecrets(legacy, 'enrolmentCode'); // no code there: unchanged
    expect(JSON.parse(readFileSync(legacy, 'utf8'))).toEqual(validConfig());
    stripDeviceSecrets(legacy, 'password');
    expect(readFileSync(legacy, 'utf8')).not.toContain('demo-password-1');
    expect(loadTenantConfig(legacy).device).toEqual({ email: 'kiosk-1@demo.example' });
  });

  it('keeps the file mode when it rewrites the file', () => {
    const path = writeConfig({ ...validConfig(), device: { enrolmentCode: code } });
    chmodSync(path, 0o600);
    stripDeviceSecrets(path, 'enrolmentCode');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
