import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../proxy/src/config';
import { decryptionKeys, generateProxyEncryptionKey } from '../../support/proxy-keys';
import { createDedicatedLifetime } from '../../../proxy/src/dedicated-lifetime';

const minute = 60_000;
const limits = { firstConnectMs: 10 * minute, reconnectGraceMs: 5 * minute };

describe('a dedicated proxy’s lifetime', () => {
  it('exits when no kiosk ever connects', () => {
    const life = createDedicatedLifetime(0, limits);
    expect(life.observe(9 * minute, 0)).toBe(false);
    expect(life.observe(10 * minute, 0)).toBe(true);
  });

  it('stays up while its interview’s socket is open, however long', () => {
    const life = createDedicatedLifetime(0, limits);
    expect(life.observe(1 * minute, 1)).toBe(false);
    expect(life.observe(90 * minute, 1)).toBe(false);
  });

  it('lets the kiosk reconnect within the grace, and exits once the grace passes with nobody back', () => {
    const life = createDedicatedLifetime(0, limits);
    life.observe(1 * minute, 1);
    expect(life.observe(30 * minute, 0)).toBe(false); // the socket closed at 30 min
    expect(life.observe(33 * minute, 1)).toBe(false); // back after a network drop
    expect(life.observe(40 * minute, 0)).toBe(false); // interview over at 40 min
    expect(life.observe(44 * minute, 0)).toBe(false);
    expect(life.observe(45 * minute, 0)).toBe(true);
  });
});

// Every proxy needs its tenant's decryption key to load its config at all.
const decryptionKey = decryptionKeys(await generateProxyEncryptionKey());

describe('dedicated mode from the environment', () => {
  const base = {
    TENANT_ID: '0d3c5b1e-8b7a-4f7e-9c0a-1f2e3d4c5b6a',
    JWT_JWKS: 'https://example.supabase.co/auth/v1/.well-known/jwks.json',
    OPENAI_API_KEY: 'sk-test',
    PROXY_DECRYPTION_KEY: decryptionKey,
  };

  it('is on when the backend set INTERVIEW_SESSION_ID on the machine, and off otherwise', () => {
    expect(loadConfig({ ...base, INTERVIEW_SESSION_ID: '5a0c8f0e-2f4e-4a8e-9a59-0f3c2f7d7c11' }).dedicatedInterviewSessionId).toBe('5a0c8f0e-2f4e-4a8e-9a59-0f3c2f7d7c11');
    expect(loadConfig(base).dedicatedInterviewSessionId).toBeNull();
    expect(() => loadConfig({ ...base, INTERVIEW_SESSION_ID: 'not-a-uuid' })).toThrow(/INTERVIEW_SESSION_ID/);
  });
});
