// Asymmetric trust between the backend and the tenants' proxies (issue 11): the backend alone holds the
// P-256 signing key, every proxy holds public keys and its own tenant id. Two tenants' proxies trust the
// same backend here, as in production, and each attack is tried against both.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSignal, encryptSessionConfig, signTestToken, startTestProxy, type TestProxy, type TokenKind } from '../../support/proxy-process';
import { generateEncryptionKeyPair, generateSigningJwk, publicJwksOf } from '../../../scripts/proxy-signing-key';
import { generateProxyEncryptionKey, generateProxySigningKey, publicJwks, type ProxySigningKey } from '../../support/proxy-keys';
import { documentedOfferSdp } from './doc-examples';

const tenantA = '00000000-0000-4000-8000-00000000000a';
const tenantB = '00000000-0000-4000-8000-00000000000b';
let backendKey: ProxySigningKey;
let proxyA: TestProxy;
let proxyB: TestProxy;

beforeAll(async () => {
  backendKey = await generateProxySigningKey('backend-2026-12');
  [proxyA, proxyB] = await Promise.all([
    startTestProxy({ signingKey: backendKey, env: { TENANT_ID: tenantA } }),
    startTestProxy({ signingKey: backendKey, env: { TENANT_ID: tenantB } }),
  ]);
});

afterAll(async () => {
  await Promise.all([proxyA?.stop(), proxyB?.stop()]);
});

/** The upgrade's answer: 'ready', or the refusal's status and message. */
async function upgrade(proxy: TestProxy, token: string): Promise<'ready' | { status?: number; message?: string }> {
  try {
    const client = await connectSignal(proxy.signalUrl, token);
    const frame = await client.next();
    client.close();
    return frame.type === 'ready' ? 'ready' : { message: JSON.stringify(frame) };
  } catch (error) {
    const { status, body } = error as { status?: number; body?: string };
    return { status, message: body ? (JSON.parse(body) as { error: { message: string } }).error.message : undefined };
  }
}

/** The error code of an offer carrying this session config (the provider is unreachable, so never an answer). */
async function offerWith(proxy: TestProxy, token: string, config: string): Promise<unknown> {
  const client = await connectSignal(proxy.signalUrl, token);
  await client.next();
  client.send({ type: 'offer', id: 'o', sdp: documentedOfferSdp(), session: config });
  const reply = await client.next(10_000);
  client.close();
  return reply.code;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claimsFor(tenantId: string, kind: TokenKind = 'proxy') {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'interview-kiosk',
    aud: kind === 'proxy' ? `sdp-proxy:${tenantId}` : `sdp-proxy/session-config:${tenantId}`,
    sub: randomUUID(),
    jti: randomUUID(),
    tenant_id: tenantId,
    iat: now,
    exp: now + 300,
  };
}

async function hmacToken(alg: 'HS256' | 'HS384' | 'HS512', secret: string, tenantId: string): Promise<string> {
  return await new SignJWT(claimsFor(tenantId))
    .setProtectedHeader({ alg, kid: backendKey.kid, typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

describe('attacks on proxy trust', () => {
  it('attack: a leaked tenant proxy config (every secret and setting of its app) cannot mint a token any proxy accepts', async () => {
    const leaked = proxyA.env;
    // The structural half: the one private key in a proxy's configuration opens session configs; it is
    // no signing key the backend's JWKS lists.
    for (const [name, value] of Object.entries(leaked)) if (name !== 'PROXY_DECRYPTION_KEY') expect(value, name).not.toMatch(/"d"\s*:|PRIVATE KEY/);
    const decryptionJwk = JSON.parse(leaked.PROXY_DECRYPTION_KEY!) as JWK;
    const trusted = (JSON.parse(leaked.JWT_JWKS!) as { keys: JWK[] }).keys;
    expect(trusted.map((key) => key.kid)).toEqual([backendKey.kid]);

    const forgeries: Array<[string, string]> = [];
    for (const tenantId of [tenantA, tenantB]) {
      // Every leaked value as a shared secret, as the HS256 design of earlier versions would have accepted.
      for (const [name, value] of Object.entries(leaked)) {
        for (const alg of ['HS256', 'HS384', 'HS512'] as const) forgeries.push([`${alg} with ${name} for ${tenantId}`, await hmacToken(alg, value, tenantId)]);
      }
      // A key of the attacker's under the trusted kid, alone and with the public key embedded or linked in the header.
      const attacker = await generateKeyPair('ES256', { extractable: true });
      const attackerJwk = await exportJWK(attacker.publicKey);
      for (const extra of [{}, { jwk: attackerJwk }, { jku: 'https://attacker.example/jwks.json' }]) {
        const token = await new SignJWT(claimsFor(tenantId)).setProtectedHeader({ alg: 'ES256', kid: backendKey.kid, typ: 'JWT', ...extra }).sign(attacker.privateKey);
        forgeries.push([`ES256 by the attacker's key with ${Object.keys(extra).join() || 'the trusted kid'} for ${tenantId}`, token]);
      }
      forgeries.push([`alg none for ${tenantId}`, `${b64({ alg: 'none', kid: backendKey.kid, typ: 'JWT' })}.${b64(claimsFor(tenantId))}.AAAA`]);
      // The leaked decryption key is a P-256 private key: used as an ES256 signing key, under the backend's kid and its own.
      const asSigner = await importJWK({ ...decryptionJwk, alg: undefined, use: undefined }, 'ES256');
      for (const kid of [backendKey.kid, decryptionJwk.kid!]) {
        forgeries.push([`ES256 by the leaked PROXY_DECRYPTION_KEY as ${kid} for ${tenantId}`, await new SignJWT(claimsFor(tenantId)).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(asSigner)]);
      }
    }
    // The leaked JWKS holds public keys only: jose cannot sign with them.
    for (const jwk of trusted) {
      const key = await importJWK(jwk, 'ES256');
      await expect(new SignJWT(claimsFor(tenantA)).setProtectedHeader({ alg: 'ES256', kid: backendKey.kid }).sign(key)).rejects.toThrow();
    }

    for (const [label, token] of forgeries) {
      for (const proxy of [proxyA, proxyB]) expect(await upgrade(proxy, token), `${label} at ${proxy.tenantId}`).toMatchObject({ status: 401 });
    }
    // The backend's own tokens still open both proxies: the refusals above are the forgeries', not a broken proxy's.
    expect(await upgrade(proxyA, await signTestToken(backendKey, {}, 'proxy', tenantA))).toBe('ready');
    expect(await upgrade(proxyB, await signTestToken(backendKey, {}, 'proxy', tenantB))).toBe('ready');
  });

  it("attack: a genuine token for tenant A replayed at tenant B's proxy is refused, proxy token and session config alike, and B's proxy cannot open A's session config", async () => {
    const sessionId = randomUUID();
    const forA = await signTestToken(backendKey, { sessionId }, 'proxy', tenantA);
    expect(await upgrade(proxyA, forA)).toBe('ready');
    expect(await upgrade(proxyB, forA)).toEqual({ status: 401, message: 'The token belongs to another tenant.' });

    // B's own socket for the same session id, offered A's brief: as the backend seals it (for A's proxy),
    // B's proxy cannot even open it; sealed for B's proxy key (only the backend could), the signed
    // audience still names A.
    const signedForA = await signTestToken(backendKey, { sessionId, extra: { session: { instructions: "Tenant A's interview plan." } } }, 'session-config', tenantA);
    const client = await connectSignal(proxyB.signalUrl, await signTestToken(backendKey, { sessionId }, 'proxy', tenantB));
    await client.next();
    client.send({ type: 'offer', id: 'cross-tenant', sdp: documentedOfferSdp(), session: await encryptSessionConfig(signedForA, proxyA.encryptionKey) });
    expect(await client.next()).toMatchObject({ type: 'error', id: 'cross-tenant', code: 'unauthorized', message: 'Session config refused: The session config is encrypted for a key this proxy does not hold.' });
    client.send({ type: 'offer', id: 'cross-tenant-2', sdp: documentedOfferSdp(), session: await encryptSessionConfig(signedForA, proxyB.encryptionKey) });
    expect(await client.next()).toMatchObject({ type: 'error', id: 'cross-tenant-2', code: 'unauthorized', message: 'Session config refused: The token belongs to another tenant.' });
    // Sealed for some other key that reuses the kid of B's: the key unwrap fails, nothing is read.
    const sealedForImpostor = await encryptSessionConfig(signedForA, await generateProxyEncryptionKey(proxyB.encryptionKey.kid));
    client.send({ type: 'offer', id: 'cross-tenant-3', sdp: documentedOfferSdp(), session: sealedForImpostor });
    expect(await client.next()).toMatchObject({ code: 'unauthorized', message: 'Session config refused: The session config cannot be decrypted by this proxy.' });
    client.close();
  });

  it('attack: algorithm confusion — HS256 signed with the public key (JWK, JWKS, PEM) as the HMAC secret is refused as an algorithm', async () => {
    const publicKey = await importJWK(backendKey.publicJwk, 'ES256');
    const secrets = [JSON.stringify(backendKey.publicJwk), proxyA.env.JWT_JWKS!, await exportSPKI(publicKey as CryptoKey), backendKey.publicJwk.x!];
    for (const secret of secrets) {
      for (const proxy of [proxyA, proxyB]) {
        expect(await upgrade(proxy, await hmacToken('HS256', secret, proxy.tenantId))).toEqual({ status: 401, message: 'Tokens signed with HS256 are not accepted.' });
      }
    }
  });

  it('attack: alg none (with or without a signature part) is refused', async () => {
    for (const signature of ['', 'AAAA']) {
      const token = `${b64({ alg: 'none', kid: backendKey.kid, typ: 'JWT' })}.${b64(claimsFor(tenantA))}.${signature}`;
      expect(await upgrade(proxyA, token)).toMatchObject({ status: 401, message: signature ? 'Tokens signed with none are not accepted.' : 'The token is not a signed JWT.' });
    }
  });

  it('attack: a token under an unknown kid is refused, even when signed by a real key', async () => {
    const other = await generateProxySigningKey('not-in-the-jwks');
    const unknownKid = await signTestToken(backendKey, { kid: 'retired-or-invented' }, 'proxy', tenantA);
    const otherBackend = await signTestToken(other, {}, 'proxy', tenantA);
    for (const token of [unknownKid, otherBackend]) {
      expect(await upgrade(proxyA, token)).toEqual({ status: 401, message: 'The token is signed with a key this proxy does not trust.' });
    }
  });
});

describe('key rotation', () => {
  it('accepts the old and the new kid while both are in JWT_JWKS, and refuses the old kid once it is removed', async () => {
    const oldKey = backendKey;
    const newKey = await generateProxySigningKey('backend-2027-01');
    const sessionId = randomUUID();
    // Issued before the switch: an interview under way keeps its session config across the rollover.
    const oldToken = await signTestToken(oldKey, { sessionId }, 'proxy', tenantA);
    let oldConfig = await signTestToken(oldKey, { sessionId, extra: { session: { instructions: 'Signed before the rollover.' } } }, 'session-config', tenantA);
    const newToken = await signTestToken(newKey, { sessionId }, 'proxy', tenantA);
    let newConfig = await signTestToken(newKey, { sessionId, extra: { session: { instructions: 'Signed after the rollover.' } } }, 'session-config', tenantA);

    const sealed = async (config: string) => encryptSessionConfig(config, proxyA.encryptionKey);
    [oldConfig, newConfig] = [await sealed(oldConfig), await sealed(newConfig)];
    const rollover = await startTestProxy({ signingKey: newKey, encryptionKey: proxyA.encryptionKey, env: { TENANT_ID: tenantA, JWT_JWKS: publicJwks(oldKey, newKey) } });
    const retired = await startTestProxy({ signingKey: newKey, encryptionKey: proxyA.encryptionKey, env: { TENANT_ID: tenantA, JWT_JWKS: publicJwks(newKey) } });
    try {
      for (const token of [oldToken, newToken]) expect(await upgrade(rollover, token)).toBe('ready');
      // Past the config check, an offer fails at the unreachable provider; a refused config says unauthorized.
      for (const config of [oldConfig, newConfig]) expect(await offerWith(rollover, newToken, config)).toBe('upstream_unavailable');
      expect(await offerWith(retired, newToken, newConfig)).toBe('upstream_unavailable');
      expect(await offerWith(retired, newToken, oldConfig)).toBe('unauthorized');

      expect(await upgrade(retired, newToken)).toBe('ready');
      expect(await upgrade(retired, oldToken)).toEqual({ status: 401, message: 'The token is signed with a key this proxy does not trust.' });
    } finally {
      await Promise.all([rollover.stop(), retired.stop()]);
    }
  });
});

describe('the operator tool (scripts/proxy-signing-key.ts)', () => {
  it('generates a signing key whose public JWKS a proxy accepts, keeps private parts out of the JWKS, and merges a rollover JWKS', async () => {
    const current = await generateSigningJwk('tool-current');
    const next = await generateSigningJwk('tool-next');
    expect(current).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'tool-current', alg: 'ES256', d: expect.any(String) });
    const single = publicJwksOf([current]);
    expect(JSON.stringify(single)).not.toContain(current.d!);
    const rolloverJwks = publicJwksOf([next, single]);
    expect(rolloverJwks.keys.map((key) => key.kid)).toEqual(['tool-next', 'tool-current']);
    expect(() => publicJwksOf([{ kty: 'oct', k: 'c2VjcmV0', kid: 'hs' }])).toThrow('input 1 is not a P-256 JWK');

    const proxy = await startTestProxy({ env: { TENANT_ID: tenantA, JWT_JWKS: JSON.stringify(rolloverJwks) } });
    try {
      for (const jwk of [current, next]) {
        const key: ProxySigningKey = { kid: jwk.kid!, privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey, privateJwk: jwk, publicJwk: {} };
        expect(await upgrade(proxy, await signTestToken(key, {}, 'proxy', tenantA)), jwk.kid).toBe('ready');
      }
    } finally {
      await proxy.stop();
    }
  });
});

describe('JWT_JWKS as a URL', () => {
  it('verifies against the JWKS the URL serves, refuses kids it does not list, and says so when the keys cannot be fetched', async () => {
    const served = publicJwks(backendKey);
    let fetches = 0;
    const server: Server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(served);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    const proxy = await startTestProxy({ signingKey: backendKey, env: { TENANT_ID: tenantA, JWT_JWKS: url } });
    const unreachable = await startTestProxy({ signingKey: backendKey, env: { TENANT_ID: tenantA, JWT_JWKS: 'http://127.0.0.1:9/jwks.json' } });
    try {
      expect(await upgrade(proxy, await signTestToken(backendKey, {}, 'proxy', tenantA))).toBe('ready');
      expect(await upgrade(proxy, await signTestToken(backendKey, {}, 'proxy', tenantA))).toBe('ready');
      expect(fetches, 'the JWKS is cached').toBe(1);
      expect(await upgrade(proxy, await signTestToken(backendKey, { kid: 'invented' }, 'proxy', tenantA))).toEqual({ status: 401, message: 'The token is signed with a key this proxy does not trust.' });
      expect(await upgrade(unreachable, await signTestToken(backendKey, {}, 'proxy', tenantA))).toEqual({ status: 401, message: 'The proxy cannot load its verification keys; try again shortly.' });
    } finally {
      await Promise.all([proxy.stop(), unreachable.stop()]);
      await new Promise((done) => server.close(done));
    }
  });

  it("makes a tenant's encryption key pair: the private half opens session configs sealed to the public half, which holds no private part", async () => {
    const { privateJwk, publicJwk } = await generateEncryptionKeyPair('tool-enc');
    expect(publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'tool-enc', alg: 'ECDH-ES+A256KW', use: 'enc' });
    expect(publicJwk).not.toHaveProperty('d');
    expect(privateJwk).toMatchObject({ kid: 'tool-enc', d: expect.any(String) });
    const proxy = await startTestProxy({ signingKey: backendKey, env: { TENANT_ID: tenantA, PROXY_DECRYPTION_KEY: JSON.stringify(privateJwk) } });
    try {
      const sessionId = randomUUID();
      const signed = await signTestToken(backendKey, { sessionId, extra: { session: { instructions: 'Sealed with the tool key.' } } }, 'session-config', tenantA);
      const key = { kid: 'tool-enc', publicKey: (await importJWK(publicJwk, 'ECDH-ES+A256KW')) as CryptoKey, privateJwk, publicJwk };
      expect(await offerWith(proxy, await signTestToken(backendKey, { sessionId }, 'proxy', tenantA), await encryptSessionConfig(signed, key))).toBe('upstream_unavailable');
    } finally {
      await proxy.stop();
    }
  });
});
