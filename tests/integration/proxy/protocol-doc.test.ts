// docs/protocol.md is the contract the kiosk is written against: its examples are sent to a running
// proxy here, and what comes back must have the documented shape.
import { CompactEncrypt, SignJWT, type CompactJWEHeaderParameters } from 'jose';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSessionBody } from '../../../proxy/src/providers/live-adapter';
import { realtimeSessionBody } from '../../../proxy/src/providers/realtime-adapter';
import { errorCodes, offerMessageSchema, type HistoryEntry } from '../../../proxy/src/signal-protocol';
import { connectSignal, startTestProxy, type TestProxy } from '../../support/proxy-process';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { liveSessionRequestSchema, realtimeSessionSchema } from '../../support/realtime-emulator/provider-requests';
import { protocolExamples } from './doc-examples';

const examples = protocolExamples();
let emulator: RealtimeEmulator;
let proxy: TestProxy;

/** Signs a documented claims example as the backend would, moved to the present. */
async function signExample(name: string): Promise<string> {
  const { iat, exp, ...claims } = examples[name] as { iat: number; exp: number } & Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ ...(examples[name.replace(/-claims$/, '-header')] as { alg: string }), kid: proxy.signingKey.kid })
    .setIssuedAt(now)
    .setExpirationTime(now + (exp - iat))
    .sign(proxy.signingKey.privateKey);
}

/** Seals the signed session config example with the documented JWE header, as the backend does. */
async function sealExample(signed: string): Promise<string> {
  const header = { ...(examples['session-config-encryption-header'] as unknown as CompactJWEHeaderParameters), kid: proxy.encryptionKey.kid };
  return new CompactEncrypt(new TextEncoder().encode(signed)).setProtectedHeader(header).encrypt(proxy.encryptionKey.publicKey);
}

function shapeOf(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, field === null ? 'null' : typeof field]));
}

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ peer: false });
  proxy = await startTestProxy({ emulator });
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

describe('docs/protocol.md examples', () => {
  it('has every example the protocol needs', () => {
    expect(Object.keys(examples).sort()).toEqual(
      ['answer', 'error', 'history', 'live-session', 'live-session-history', 'offer', 'proxy-token-claims', 'proxy-token-header', 'ready', 'realtime-session', 'session-config-claims', 'session-config-encryption-header', 'session-config-header', 'upgrade-refused'].sort(),
    );
  });

  it('the documented tokens open a socket, the documented offer gets the documented answer shape, and the signed instructions reach the provider', async () => {
    const client = await connectSignal(proxy.signalUrl, await signExample('proxy-token-claims'));
    const ready = await client.next();
    expect(shapeOf(ready)).toEqual(shapeOf(examples.ready!));
    expect(ready.sessionId).toBe(examples['proxy-token-claims']!.sub);
    const offer = { ...examples.offer!, session: await sealExample(await signExample('session-config-claims')) };
    client.send(offer);
    const answer = await client.next();
    expect(shapeOf(answer)).toEqual(shapeOf(examples.answer!));
    expect(answer.id).toBe(examples.offer!.id);
    const session = (examples['session-config-claims']!.session as Record<string, string>);
    expect(emulator.calls.at(-1)!.session).toMatchObject({ instructions: session.instructions, audio: { output: { voice: session.voice } } });
    client.close();
  });

  it('the documented upgrade refusal is what an expired token gets', async () => {
    const refusal = await proxy.connectKiosk({ expiresInS: -10 }).catch((error: { status: number; body: string }) => error);
    expect((refusal as { status: number }).status).toBe(401);
    expect(JSON.parse((refusal as { body: string }).body)).toEqual(examples['upgrade-refused']);
  });

  it('the documented error frame is what a provider 5xx produces', async () => {
    const client = await proxy.connectKiosk();
    await client.next();
    emulator.failNext('5xx');
    client.send({ type: 'offer', id: examples.error!.id, sdp: examples.offer!.sdp });
    expect(await client.next()).toEqual(examples.error);
    client.close();
  });

  it('documents exactly the error codes the server can send', () => {
    const text = readFileSync(resolve('docs/protocol.md'), 'utf8');
    const table = text.slice(text.indexOf('| code | when |'));
    const documented = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...errorCodes].sort());
  });

  it('the documented provider sessions are what the adapters send, and the provider accepts them', () => {
    const settings = {
      model: 'gpt-realtime',
      instructions: (examples['realtime-session']!.instructions as string),
      voice: 'marin',
      transcriptionModel: 'gpt-4o-transcribe',
      noiseReduction: 'near_field' as const,
    };
    expect(realtimeSessionBody(settings)).toEqual(examples['realtime-session']);
    expect(realtimeSessionSchema.safeParse(examples['realtime-session']).success).toBe(true);
    expect(liveSessionBody({ ...settings, model: 'gpt-live-1' })).toEqual(examples['live-session']);
    expect(liveSessionRequestSchema.safeParse({ session: examples['live-session'], transport: { type: 'webrtc', sdp: 'v=0' } }).success).toBe(true);
    const history = examples.history!.history as HistoryEntry[];
    expect(offerMessageSchema.safeParse({ ...examples.offer, history }).success).toBe(true);
    expect(liveSessionBody({ ...settings, model: 'gpt-live-1' }, history)).toEqual(examples['live-session-history']);
    expect(liveSessionRequestSchema.safeParse({ session: examples['live-session-history'], transport: { type: 'webrtc', sdp: 'v=0' } }).success).toBe(true);
  });
});
