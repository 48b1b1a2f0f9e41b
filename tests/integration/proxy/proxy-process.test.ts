// The proxy as Fly runs it: a process configured by its environment that refuses to start on a bad
// setting with one line, and on SIGTERM/SIGINT finishes offers in flight, closes sockets with 1001 and
// exits 0.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../proxy/src/config';
import { startTestProxy } from '../../support/proxy-process';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { documentedOfferSdp } from './doc-examples';

// A P-256 public key (the x and y of a real point are not checked at start-up, only their form).
const point = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
const jwks = (...keys: object[]) => JSON.stringify({ keys });
const privatePoint = { ...point, d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' };
const required = {
  TENANT_ID: 'tenant-a',
  JWT_JWKS: jwks({ ...point, kid: 'k1' }),
  PROXY_DECRYPTION_KEY: JSON.stringify({ ...privatePoint, kid: 'e1' }),
  OPENAI_API_KEY: 'sk-config-test-000000',
};
let emulator: RealtimeEmulator;

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ peer: false });
});

afterAll(async () => {
  await emulator?.stop();
});

describe('configuration', () => {
  it.each(Object.keys(required))('names a missing %s', (setting) => {
    const env: Record<string, string | undefined> = { ...required, [setting]: undefined };
    expect(() => loadConfig(env)).toThrow(new ConfigError(setting, 'is required but not set'));
  });

  it('refuses a JWT_JWKS that could sign, is not P-256, names no or a repeated kid, or is served insecurely; a leftover JWT_SECRET; a bad URL and an unknown API', () => {
    const bad: Array<[string, string]> = [
      ['JWT_JWKS', jwks({ ...point, kid: 'k1', d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' })],
      ['JWT_JWKS', jwks({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'ed' })],
      ['JWT_JWKS', jwks({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA', kid: 'hs' })],
      ['JWT_JWKS', jwks({ ...point, kid: 'k1', alg: 'HS256' })],
      ['JWT_JWKS', jwks(point)],
      ['JWT_JWKS', jwks({ ...point, kid: 'k1' }, { ...point, kid: 'k1' })],
      ['JWT_JWKS', jwks()],
      ['JWT_JWKS', '{"keys": not json'],
      ['JWT_JWKS', 'file:///etc/keys.json'],
      ['JWT_JWKS', 'http://keys.example/jwks.json'],
      ['JWT_JWKS', 'a'.repeat(40)],
      ['JWT_SECRET', 'a'.repeat(40)],
      ['PROXY_DECRYPTION_KEY', JSON.stringify({ ...point, kid: 'e1' })],
      ['PROXY_DECRYPTION_KEY', JSON.stringify({ ...privatePoint })],
      ['PROXY_DECRYPTION_KEY', JSON.stringify({ ...privatePoint, kid: 'e1', crv: 'P-384' })],
      ['PROXY_DECRYPTION_KEY', JSON.stringify({ ...privatePoint, kid: 'e1', alg: 'ES256' })],
      ['PROXY_DECRYPTION_KEY', JSON.stringify({ keys: [{ ...privatePoint, kid: 'e1' }, { ...privatePoint, kid: 'e1' }] })],
      ['PROXY_DECRYPTION_KEY', JSON.stringify({ keys: [] })],
      ['PROXY_DECRYPTION_KEY', '{"kty": not json'],
      ['OPENAI_BASE_URL', 'not a url'],
      ['REALTIME_API', 'beta'],
      ['PORT', 'eighty'],
    ];
    for (const [setting, value] of bad) {
      expect(() => loadConfig({ ...required, [setting]: value }), `${setting}=${value}`).toThrow(expect.objectContaining({ setting, message: expect.stringMatching(new RegExp(`^${setting} is invalid: `)) }));
    }
    expect(() => loadConfig({ ...required, JWT_JWKS: jwks({ ...point, kid: 'k1', d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }) })).toThrow('JWT_JWKS is invalid: keys.0 is a private key; give the proxy the public key only');
  });

  it('takes one private decryption key, or up to three during a rollover', () => {
    expect(loadConfig(required).decryptionKeys).toEqual([{ ...privatePoint, kid: 'e1' }]);
    const rollover = JSON.stringify({ keys: [{ ...privatePoint, kid: 'e1' }, { ...privatePoint, kid: 'e2', alg: 'ECDH-ES+A256KW', use: 'enc' }] });
    expect(loadConfig({ ...required, PROXY_DECRYPTION_KEY: rollover }).decryptionKeys.map((key) => key.kid)).toEqual(['e1', 'e2']);
    // The key material never appears in the refusal.
    expect(() => loadConfig({ ...required, PROXY_DECRYPTION_KEY: JSON.stringify({ ...point, kid: 'e1' }) })).toThrow(/^PROXY_DECRYPTION_KEY is invalid: is a public key/);
  });

  it('takes the public keys as given, an https JWKS URL, and loopback http for the local stack', () => {
    expect(loadConfig(required).jwtJwks).toEqual({ keys: [{ ...point, kid: 'k1', alg: 'ES256', use: 'sig' }] });
    expect(loadConfig({ ...required, JWT_JWKS: jwks({ ...point, kid: 'old' }, { ...point, kid: 'new', alg: 'ES256', use: 'sig' }) }).jwtJwks).toMatchObject({ keys: [{ kid: 'old' }, { kid: 'new' }] });
    expect(String(loadConfig({ ...required, JWT_JWKS: 'https://backend.example/functions/v1/proxy-jwks' }).jwtJwks)).toBe('https://backend.example/functions/v1/proxy-jwks');
    expect(loadConfig({ ...required, JWT_JWKS: 'http://127.0.0.1:54321/jwks.json' }).jwtJwks).toBeInstanceOf(URL);
    expect(loadConfig({ ...required, JWT_SECRET: '' }).tenantId).toBe('tenant-a');
  });

  it('applies the documented defaults', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', openaiBaseUrl: 'https://api.openai.com/v1', realtimeApi: 'realtime', allowedOrigins: [] });
    expect(config.defaults.model).toBe('gpt-realtime');
    expect(config.limits.maxFrameBytes).toBe(1_048_576);
    expect(config.jwksCacheS).toBe(600);
    expect(() => loadConfig({ ...required, JWT_JWKS_CACHE_S: '0' })).toThrow(/^JWT_JWKS_CACHE_S is invalid/);
    expect(loadConfig({ ...required, REALTIME_API: 'live' }).defaults.model).toBe('gpt-live-1');
    expect(loadConfig({ ...required, ALLOWED_ORIGINS: ' https://a.example ,app://kiosk,' }).allowedOrigins).toEqual(['https://a.example', 'app://kiosk']);
  });

  it('stops `npm run proxy` with one line naming the missing setting', () => {
    const result = spawnSync(resolve('node_modules/.bin/tsx'), [resolve('proxy/src/server.ts')], {
      env: { PATH: process.env.PATH ?? '', TENANT_ID: 'tenant-a', OPENAI_API_KEY: 'sk-config-test-000000' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('sdp-proxy: configuration error: JWT_JWKS is required but not set');
  });
});

describe('graceful shutdown of the process', () => {
  it('on SIGTERM answers the offer in flight, closes sockets with 1001, refuses newcomers and exits 0', async () => {
    const proxy = await startTestProxy({ emulator, mode: 'child', env: { SHUTDOWN_GRACE_MS: '5000' } });
    const busy = await proxy.connectKiosk();
    const idle = await proxy.connectKiosk();
    await busy.next();
    await idle.next();
    emulator.delayNext(800);
    busy.send({ type: 'offer', id: 'in-flight', sdp: documentedOfferSdp() });
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.child!.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const health = await fetch(`${proxy.url}/healthz`).then((response) => response.status, () => 'refused');
    expect([503, 'refused']).toContain(health);
    const newcomer = await proxy.connectKiosk().then(
      () => 'opened',
      () => 'refused',
    );
    expect(newcomer).toBe('refused');
    expect(await busy.next(5_000)).toMatchObject({ type: 'answer', id: 'in-flight' });
    expect((await busy.closed).code).toBe(1001);
    expect((await idle.closed).code).toBe(1001);
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
    const logs = proxy.logs().join('\n');
    expect(logs).toContain('"event":"stopped"');
    expect(logs).not.toContain(proxy.env.OPENAI_API_KEY!);
    expect(logs).not.toContain('a=fingerprint');
  });

  it('on SIGINT with nothing in flight exits 0 promptly', async () => {
    const proxy = await startTestProxy({ emulator, mode: 'child' });
    const client = await proxy.connectKiosk();
    await client.next();
    const startedAt = Date.now();
    proxy.child!.kill('SIGINT');
    expect((await client.closed).code).toBe(1001);
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - startedAt, 'nothing to wait for').toBeLessThan(5_000);
  });

  it('bounds the wait for a provider that never answers by SHUTDOWN_GRACE_MS', async () => {
    const proxy = await startTestProxy({ emulator, env: { SHUTDOWN_GRACE_MS: '600', UPSTREAM_TIMEOUT_MS: '10000' } });
    const client = await proxy.connectKiosk();
    await client.next();
    emulator.failNext('hang');
    client.send({ type: 'offer', id: 'stuck', sdp: documentedOfferSdp() });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const startedAt = Date.now();
    await proxy.stop();
    expect(Date.now() - startedAt, 'bounded by the grace period, not the 10 s upstream timeout').toBeLessThan(6_000);
    expect((await client.closed).code).toBe(1001);
  });
});
