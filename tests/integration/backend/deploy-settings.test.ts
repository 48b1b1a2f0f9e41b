// Settings a hosted deployment relies on: hosted Supabase refuses custom function secrets named
// SUPABASE_*, so the legacy HS256 fallback must work from LEGACY_JWT_SECRET alone.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { invokeWithToken, people } from './backend-test-kit';

const legacySecret = 'a-legacy-project-secret-of-at-least-32-characters';
let stack: BackendStack;

beforeAll(async () => {
  stack = await startBackendStack({ functionsEnv: { SUPABASE_JWT_SECRET: '', LEGACY_JWT_SECRET: legacySecret } });
});

afterAll(async () => {
  await stack?.stop();
});

async function hs256(secret: string) {
  const now = Math.floor(Date.now() / 1000);
  return await new SignJWT({ role: 'authenticated', email: people.proctorA.email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(people.proctorA.sub)
    .setAudience('authenticated')
    .setIssuer(stack.auth.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(new TextEncoder().encode(secret));
}

describe('legacy HS256 secret from LEGACY_JWT_SECRET', () => {
  it('accepts a token signed with it and refuses one signed with anything else', async () => {
    const accepted = await invokeWithToken(stack, 'kiosk-sessions', await hs256(legacySecret), {});
    expect(accepted.status).toBe(200);
    expect(Array.isArray(accepted.body.sessions)).toBe(true);
    const forged = await invokeWithToken(stack, 'kiosk-sessions', await hs256(`${legacySecret}-not`), {});
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
  });
});
