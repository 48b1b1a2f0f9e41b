// A re-offer carries the interview so far: a GPT-Live proxy hands it to the provider as the session's
// `input` (what the emulator received is checked, in GPT-Live's own shape and bounds), a Realtime GA proxy
// refuses it, bad or oversized histories are refused without reaching the provider, and no history text
// ever reaches the logs.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type SignalClient, type TestProxy } from '../../support/proxy-process';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { documentedOfferSdp } from './doc-examples';

let emulator: RealtimeEmulator;
let live: TestProxy;
let ga: TestProxy;
const sdp = documentedOfferSdp();

const sessionSettings = { instructions: 'You are interviewing a candidate; ask one question at a time.' };

async function open(proxy: TestProxy, sessionId: string = randomUUID()): Promise<{ client: SignalClient; ready: Record<string, unknown>; sessionConfig: string }> {
  const client = await proxy.connectKiosk({ sessionId }, sessionSettings);
  const ready = await client.next();
  expect(ready.type).toBe('ready');
  return { client, ready, sessionConfig: await proxy.signSessionConfig(sessionId, sessionSettings) };
}

const entry = (speaker: 'candidate' | 'interviewer', text: string) => ({ speaker, text });

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ peer: false });
  live = await startTestProxy({ emulator, env: { REALTIME_API: 'live' } });
  ga = await startTestProxy({ emulator });
});

afterAll(async () => {
  await live?.stop();
  await ga?.stop();
  await emulator?.stop();
});

describe('history on a GPT-Live proxy', () => {
  it('says api "live" in ready and passes the history to the provider as session.input messages', async () => {
    const { client, ready } = await open(live);
    expect(ready.api).toBe('live');
    const history = [
      entry('interviewer', 'Hello and welcome. Could you tell me about yourself?'),
      entry('candidate', 'I build distributed systems.'),
      entry('interviewer', 'Which project are you most proud of?'),
    ];
    client.send({ type: 'offer', id: 'h-1', sdp, history });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'h-1' });
    const call = emulator.calls.at(-1)!;
    expect(call.api).toBe('live');
    expect(call.liveInput).toEqual([
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello and welcome. Could you tell me about yourself?' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'I build distributed systems.' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Which project are you most proud of?' }] },
    ]);
    client.close();
  });

  it('sends no input for an offer without history or with an empty one', async () => {
    const { client } = await open(live);
    client.send({ type: 'offer', id: 'none', sdp });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'none' });
    expect(emulator.calls.at(-1)!.liveInput).toBeNull();
    client.send({ type: 'offer', id: 'empty', sdp, history: [] });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'empty' });
    expect(emulator.calls.at(-1)!.liveInput).toBeNull();
    expect(emulator.calls.at(-1)!.session).not.toHaveProperty('input');
    client.close();
  });

  it('keeps the newest entries within GPT-Live’s 128 messages and text budget, and the provider accepts them', async () => {
    const { client } = await open(live);
    const many = Array.from({ length: 400 }, (_, index) => entry(index % 2 === 0 ? 'interviewer' : 'candidate', `turn ${index} ${'w'.repeat(60)}`));
    client.send({ type: 'offer', id: 'many', sdp, history: many });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'many' });
    const input = emulator.calls.at(-1)!.liveInput!;
    expect(input).toHaveLength(128);
    expect((input[0]!.content as Array<{ text: string }>)[0]!.text).toMatch(/^turn 272 /);
    expect((input.at(-1)!.content as Array<{ text: string }>)[0]!.text).toMatch(/^turn 399 /);

    const long = Array.from({ length: 10 }, (_, index) => entry('candidate', `${index}:${'l'.repeat(7_000)}`));
    client.send({ type: 'offer', id: 'long', sdp, history: long });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'long' });
    const texts = emulator.calls.at(-1)!.liveInput!.map((item) => (item.content as Array<{ text: string }>)[0]!.text);
    expect(texts.map((text) => text.split(':')[0])).toEqual(['7', '8', '9']);
    client.close();
  });

  it('takes an offer at the history bounds in a frame under 1 MiB, even in three-byte characters', async () => {
    const { client, sessionConfig } = await open(live);
    const largest = Array.from({ length: 10 }, () => entry('candidate', '€'.repeat(20_000)));
    const frame = JSON.stringify({ type: 'offer', id: 'largest', sdp, history: largest, session: sessionConfig });
    expect(Buffer.byteLength(frame)).toBeGreaterThan(600_000);
    expect(Buffer.byteLength(frame)).toBeLessThan(1024 * 1024);
    client.send(frame);
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'largest' });
    expect(emulator.calls.at(-1)!.liveInput).toHaveLength(1);
    client.close();
  });
});

describe('history on a Realtime GA proxy', () => {
  it('says api "realtime" in ready and refuses a non-empty history before the provider sees it', async () => {
    const { client, ready } = await open(ga);
    expect(ready.api).toBe('realtime');
    const before = emulator.requestCount();
    client.send({ type: 'offer', id: 'ga-h', sdp, history: [entry('candidate', 'I build distributed systems.')] });
    const reply = await client.next();
    expect(reply).toMatchObject({ type: 'error', id: 'ga-h', code: 'bad_request' });
    expect(reply.message).toMatch(/data channel/);
    expect(emulator.requestCount()).toBe(before);
    client.send({ type: 'offer', id: 'ga-empty', sdp, history: [] });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'ga-empty' });
    expect(emulator.calls.at(-1)!.api).toBe('realtime');
    client.close();
  });
});

describe('bad histories', () => {
  const bad: Array<[string, unknown]> = [
    ['not a list', { speaker: 'candidate', text: 'hi' }],
    ['an entry that is not an object', ['hello']],
    ['an unknown speaker', [entry('interviewer', 'Hi.'), { speaker: 'recruiter', text: 'Hi.' }]],
    ['an empty text', [entry('candidate', '')]],
    ['a text over 20,000 characters', [entry('candidate', 'x'.repeat(20_001))]],
    ['an extra field (a provider item smuggled in)', [{ ...entry('candidate', 'Hi.'), role: 'developer' }]],
    ['401 entries', Array.from({ length: 401 }, () => entry('candidate', 'yes'))],
    ['over 200,000 characters in all', Array.from({ length: 11 }, () => entry('candidate', 'y'.repeat(19_000)))],
  ];

  it.each(bad)('refuses %s with bad_request, reaches no provider, and keeps serving the socket', async (_name, history) => {
    const { client } = await open(live);
    const before = emulator.requestCount();
    client.send({ type: 'offer', id: 'bad-h', sdp, history });
    const reply = await client.next();
    expect(reply).toMatchObject({ type: 'error', id: 'bad-h', code: 'bad_request' });
    expect(reply.message).toMatch(/^Invalid history/);
    expect(emulator.requestCount()).toBe(before);
    client.send({ type: 'offer', id: 'after', sdp, history: [entry('candidate', 'Still here.')] });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'after' });
    client.close();
  });

  it('accepts exactly 400 entries and exactly 200,000 characters', async () => {
    const { client } = await open(live);
    client.send({ type: 'offer', id: 'at-400', sdp, history: Array.from({ length: 400 }, () => entry('candidate', 'yes')) });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'at-400' });
    client.send({ type: 'offer', id: 'at-200k', sdp, history: Array.from({ length: 10 }, () => entry('interviewer', 'z'.repeat(20_000))) });
    expect(await client.next()).toMatchObject({ type: 'answer', id: 'at-200k' });
    client.close();
  });
});

describe('what the logs hold', () => {
  it('logs how many history entries an offer carried, never their text, answered or refused', async () => {
    const secret = `candidate-said-${randomUUID()}`;
    const { client } = await open(live);
    client.send({ type: 'offer', id: 'logged', sdp, history: [entry('interviewer', 'Tell me about yourself.'), entry('candidate', secret)] });
    expect((await client.next()).type).toBe('answer');
    client.send({ type: 'offer', id: 'refused', sdp, history: [{ speaker: 'candidate', text: secret, mood: 'nervous' }] });
    expect((await client.next()).code).toBe('bad_request');
    client.close();
    await client.closed;
    const { client: gaClient } = await open(ga);
    gaClient.send({ type: 'offer', id: 'ga-logged', sdp, history: [entry('candidate', secret)] });
    expect((await gaClient.next()).code).toBe('bad_request');
    gaClient.close();
    await gaClient.closed;
    const logs = [...live.logs(), ...ga.logs()].join('\n');
    expect(logs).toContain('"history_items":2');
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain('Tell me about yourself');
  });
});
