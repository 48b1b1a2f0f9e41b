// The emulated provider behaves like the provider where the kiosk can tell: it refuses what the
// provider refuses, and a real WebRTC peer (werift on the kiosk's side here) hears the scripted
// interview in GA events — late, failed and interrupted turns included — and can resume after a drop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultInterviewScript, defaultInterviewTurns, startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { emulatorKioskPeer } from '../../support/emulator-kiosk-peer';
import { documentedOfferSdp } from './doc-examples';

let emulator: RealtimeEmulator;

/** A kiosk-side werift peer on the GA endpoint (multipart `sdp` + `session`). */
function kioskPeer(baseUrl: string, apiKey: string, session: Record<string, unknown> = { type: 'realtime', instructions: 'Interview for the QA Lead role.' }) {
  return emulatorKioskPeer(async (offerSdp) => {
    const form = new FormData();
    form.set('sdp', offerSdp);
    form.set('session', JSON.stringify(session));
    const response = await fetch(`${baseUrl}/realtime/calls`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
    expect(response.status).toBe(201);
    return { callId: response.headers.get('location')!.split('/').at(-1)!, answerSdp: await response.text() };
  });
}

async function post(path: string, init: RequestInit): Promise<{ status: number; body: { error?: { code: string | null; message: string; param: string | null } } }> {
  const response = await fetch(`${emulator.baseUrl}${path}`, init);
  return { status: response.status, body: (await response.json()) as { error?: { code: string | null; message: string; param: string | null } } };
}

function multipart(parts: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) form.set(name, value);
  return form;
}

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ script: { paceMs: 10 } });
});

afterAll(async () => {
  await emulator?.stop();
});

describe('requests the provider would refuse', () => {
  const sdp = documentedOfferSdp();
  it('refuses a missing or wrong key with the provider’s 401', async () => {
    const missing = await post('/realtime/calls', { method: 'POST', body: multipart({ sdp }) });
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'invalid_api_key' } } });
    const wrong = await post('/realtime/calls', { method: 'POST', headers: { authorization: 'Bearer sk-wrong-key-123456789' }, body: multipart({ sdp }) });
    expect(wrong.body.error!.message).toContain('sk-w********6789');
  });

  it('refuses unknown session fields, a missing or non-SDP offer, and other content types', async () => {
    const auth = { authorization: `Bearer ${emulator.apiKey}` };
    expect((await post('/realtime/calls', { method: 'POST', headers: auth, body: multipart({ sdp, session: JSON.stringify({ type: 'realtime', voice: 'alloy' }) }) })).body.error).toMatchObject({
      code: 'unknown_parameter',
      param: 'session.voice',
    });
    expect((await post('/realtime/calls', { method: 'POST', headers: auth, body: multipart({ sdp, session: JSON.stringify({ type: 'transcription' }) }) })).body.error).toMatchObject({ param: 'session.type' });
    expect((await post('/realtime/calls', { method: 'POST', headers: auth, body: multipart({ session: '{"type":"realtime"}' }) })).body.error).toMatchObject({ code: 'missing_required_parameter', param: 'sdp' });
    expect((await post('/realtime/calls', { method: 'POST', headers: auth, body: multipart({ sdp: 'hello' }) })).body.error).toMatchObject({ code: 'invalid_offer' });
    expect((await post('/realtime/calls', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ sdp }) })).status).toBe(400);
    const live = (body: unknown) => post('/live/sessions', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await live({ session: { model: 'gpt-live-1' } })).body.error).toMatchObject({ param: 'transport' });
    expect((await live({ session: { model: 'gpt-live-1' }, transport: { type: 'websocket', sdp } })).body.error).toMatchObject({ param: 'transport.type' });
    expect((await live({ session: {}, transport: { type: 'webrtc', sdp } })).body.error).toMatchObject({ param: 'session.model' });
    expect(emulator.calls).toHaveLength(0);
  });
});

describe('a call with a real peer', () => {
  it('plays the interview in GA events: late transcript after the next answer started, a failed one, an interrupted answer', async () => {
    const kiosk = await kioskPeer(emulator.baseUrl, emulator.apiKey);
    // The script's last event: playback of the closing line stopped (the interrupted answer was cleared instead).
    await kiosk.waitFor(() => kiosk.events.filter((event) => event.type === 'output_audio_buffer.stopped').length === 3, 30_000);
    const types = kiosk.events.map((event) => event.type);
    expect(types[0]).toBe('session.created');
    expect((kiosk.events[0]!.session as Record<string, unknown>).instructions).toBe('Interview for the QA Lead role.');

    const commits = kiosk.events.filter((event) => event.type === 'input_audio_buffer.committed');
    expect(commits).toHaveLength(3);
    // Each user item follows the item before it.
    const assistantItems = kiosk.events.filter((event) => event.type === 'conversation.item.added' && (event.item as { role: string }).role === 'assistant').map((event) => (event.item as { id: string }).id);
    expect(commits[0]!.previous_item_id).toBe(assistantItems[0]);
    expect(commits[1]!.previous_item_id).toBe(assistantItems[1]);

    // The first candidate turn's transcript lands after the second answer began.
    const lateItem = commits[0]!.item_id;
    const lateCompleted = types.indexOf('conversation.item.input_audio_transcription.completed');
    expect(kiosk.events[lateCompleted]!.item_id).toBe(lateItem);
    const secondResponseCreated = types.indexOf('response.created', types.indexOf('response.created') + 1);
    expect(lateCompleted).toBeGreaterThan(secondResponseCreated);
    expect(kiosk.events[lateCompleted]!.transcript).toContain('software engineer');

    const failed = kiosk.events.find((event) => event.type === 'conversation.item.input_audio_transcription.failed')!;
    expect(failed.item_id).toBe(commits[1]!.item_id);
    expect(failed.error).toMatchObject({ type: 'transcription_error' });

    // The candidate cuts the third answer after it was fully generated, while its audio still plays.
    const truncated = kiosk.events.find((event) => event.type === 'conversation.item.truncated')!;
    const cutItem = truncated.item_id as string;
    const cutDone = types.findIndex((type, index) => type === 'response.done' && (kiosk.events[index]!.response as { output: Array<{ id: string }> }).output[0]?.id === cutItem);
    expect((kiosk.events[cutDone]!.response as { status: string }).status).toBe('completed');
    const cleared = types.indexOf('output_audio_buffer.cleared');
    expect(cleared).toBeGreaterThan(cutDone);
    expect(types.indexOf('conversation.item.truncated')).toBeGreaterThan(cleared);
    const cutText = defaultInterviewTurns[4]!.text;
    expect(truncated.audio_end_ms).toBeGreaterThan(0);
    expect(truncated.audio_end_ms).toBeLessThan(cutText.length * defaultInterviewScript.speechMsPerChar);
    expect(emulator.calls.at(-1)!.truncations).toEqual([{ itemId: cutItem, audioEndMs: truncated.audio_end_ms }]);
    // The session did not ask for logprobs, so none are sent.
    expect(kiosk.events.some((event) => event.type === 'conversation.item.input_audio_transcription.completed' && 'logprobs' in event)).toBe(false);
    // The barge-in's user item is the one committed next.
    const bargeIn = kiosk.events.filter((event) => event.type === 'input_audio_buffer.speech_started').at(-1)!;
    expect(commits[2]!.item_id).toBe(bargeIn.item_id);

    const call = emulator.calls.find((candidate) => candidate.id === kiosk.callId)!;
    expect(call.rtpPacketsReceived).toBeGreaterThan(10);
    expect(kiosk.audioPacketsHeard()).toBeGreaterThan(0);
    await kiosk.close();

    // The interview was played to its end: the next call is a new interview, from the greeting.
    const next = await kioskPeer(emulator.baseUrl, emulator.apiKey);
    expect((await next.waitFor((event) => event.type === 'response.output_audio_transcript.delta')).delta).toBe('Hello ');
    await next.close();
  });

  it('cuts an answer while it is still generating (cancelled response) and sends logprobs only when the session asked for them', async () => {
    const scripted = await startRealtimeEmulator({
      script: {
        paceMs: 10,
        turns: [
          { speaker: 'interviewer', text: 'Tell me about the hardest bug you fixed and how you found it.', interrupted: 'while_generating' },
          { speaker: 'candidate', text: 'A race in the sync engine.' },
        ],
      },
    });
    try {
      const kiosk = await kioskPeer(scripted.baseUrl, scripted.apiKey, { type: 'realtime', include: ['item.input_audio_transcription.logprobs'] });
      const completed = await kiosk.waitFor((event) => event.type === 'conversation.item.input_audio_transcription.completed', 20_000);
      const types = kiosk.events.map((event) => event.type);
      const done = kiosk.events.find((event) => event.type === 'response.done')!;
      expect(done.response).toMatchObject({ status: 'cancelled', status_details: { reason: 'turn_detected' } });
      expect(types.indexOf('conversation.item.truncated')).toBeLessThan(types.indexOf('response.done'));
      expect(completed.logprobs).toEqual([
        expect.objectContaining({ token: 'A ', logprob: expect.any(Number) }),
        expect.objectContaining({ token: 'race ' }),
        expect.objectContaining({ token: 'in ' }),
        expect.objectContaining({ token: 'the ' }),
        expect.objectContaining({ token: 'sync ' }),
        expect.objectContaining({ token: 'engine.' }),
      ]);
      await kiosk.close();
      // An option the provider does not know is refused like any unknown session field.
      const refused = await fetch(`${scripted.baseUrl}/realtime/calls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${scripted.apiKey}` },
        body: multipart({ sdp: documentedOfferSdp(), session: JSON.stringify({ type: 'realtime', include: ['item.everything'] }) }),
      });
      expect(refused.status).toBe(400);
    } finally {
      await scripted.stop();
    }
  });

  it('resetConversation() ends the live call and the next call starts from the greeting', async () => {
    const kiosk = await kioskPeer(emulator.baseUrl, emulator.apiKey);
    await kiosk.waitFor((event) => event.type === 'input_audio_buffer.committed');
    await emulator.resetConversation();
    expect(emulator.calls.find((call) => call.id === kiosk.callId)!.state).toBe('closed');
    const fresh = await kioskPeer(emulator.baseUrl, emulator.apiKey);
    expect((await fresh.waitFor((event) => event.type === 'response.output_audio_transcript.delta')).delta).toBe('Hello ');
    await kiosk.close();
    await fresh.close();
  });

  it('after a dropped peer, a fresh call accepts seeded items and continues the interview where it was', async () => {
    const resumed = await startRealtimeEmulator({ script: { paceMs: 10 } });
    try {
      const first = await kioskPeer(resumed.baseUrl, resumed.apiKey);
      await first.waitFor((event) => event.type === 'conversation.item.input_audio_transcription.failed');
      resumed.dropPeer(first.callId);
      expect(resumed.calls[0]!.state).toBe('dropped');
      const turnAtDrop = resumed.conversation.turnIndex;
      expect(turnAtDrop).toBeGreaterThanOrEqual(3);

      const second = await kioskPeer(resumed.baseUrl, resumed.apiKey);
      await second.waitFor((event) => event.type === 'session.created');
      second.channel.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Earlier I said I build distributed systems.' }] } }));
      const added = await second.waitFor((event) => event.type === 'conversation.item.added' && (event.item as { role: string }).role === 'user');
      expect((added.item as { content: Array<{ text: string }> }).content[0]!.text).toContain('distributed systems');
      const firstAnswer = await second.waitFor((event) => event.type === 'response.output_audio_transcript.done', 20_000);
      // The greeting is not repeated: the new call's first answer is the interviewer turn after the drop.
      const remainingInterviewerLines = defaultInterviewTurns.slice(turnAtDrop).filter((turn) => turn.speaker === 'interviewer').map((turn) => turn.text);
      expect(remainingInterviewerLines[0]).toContain(firstAnswer.transcript as string);
      expect(firstAnswer.transcript).not.toContain('Hello and welcome');
      expect(resumed.conversation.seededItems).toHaveLength(1);
      expect(resumed.calls).toHaveLength(2);
      await first.close();
      await second.close();
    } finally {
      await resumed.stop();
    }
  });
});
