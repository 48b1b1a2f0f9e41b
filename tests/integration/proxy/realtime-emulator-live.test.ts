// The emulator's GPT-Live endpoint behaves as GPT-Live where the kiosk can tell: it refuses history
// (`session.input`) in shapes GPT-Live refuses, records what it took, and a real WebRTC peer (werift on
// the kiosk's side) hears the interview as Live timeline fragments rather than GA events, is told off
// for GA-style seeding, and a new session after a drop starts its own timeline where the interview was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultInterviewTurns, startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { liveTimeline } from '../../support/realtime-emulator/live-timeline';
import { emulatorKioskPeer } from '../../support/emulator-kiosk-peer';
import { documentedOfferSdp } from './doc-examples';


let emulator: RealtimeEmulator;

function liveRequest(base: RealtimeEmulator, body: unknown) {
  return fetch(`${base.baseUrl}/live/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${base.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A kiosk-side werift peer on the Live endpoint (JSON `{session, transport}`), `input` as its history. */
function liveKiosk(base: RealtimeEmulator, input?: unknown[]) {
  return emulatorKioskPeer(async (offerSdp) => {
    const session = { model: 'gpt-live-1', instructions: 'Interview for the QA Lead role.', ...(input ? { input } : {}) };
    const response = await liveRequest(base, { session, transport: { type: 'webrtc', sdp: offerSdp } });
    expect(response.status).toBe(201);
    const answer = (await response.json()) as { session: { id: string }; transport: { sdp: string } };
    return { callId: answer.session.id, answerSdp: answer.transport.sdp };
  });
}

const message = (role: string, type: string, text: string) => ({ type: 'message', role, content: [{ type, text }] });

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ script: { paceMs: 10 } });
});

afterAll(async () => {
  await emulator?.stop();
});

describe('session.input as GPT-Live takes it', () => {
  const sdp = documentedOfferSdp();
  const bad: Array<[string, unknown]> = [
    ['not a list', message('user', 'input_text', 'hi')],
    ['an unknown role', [message('system', 'input_text', 'hi')]],
    ['a user message in output_text', [message('user', 'output_text', 'hi')]],
    ['an assistant message in input_text', [message('assistant', 'input_text', 'hi')]],
    ['two text parts', [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_text', text: 'b' }] }]],
    ['no text part', [{ type: 'message', role: 'user', content: [] }]],
    ['an item that is not a message', [{ ...message('user', 'input_text', 'hi'), type: 'function_call' }]],
    ['an unknown item field', [{ ...message('user', 'input_text', 'hi'), previous_item_id: 'item_1' }]],
    ['129 messages', Array.from({ length: 129 }, () => message('user', 'input_text', 'yes'))],
    ['more than 8,192 tokens', Array.from({ length: 5 }, () => message('user', 'input_text', 'w'.repeat(8_000)))],
  ];

  it.each(bad)('refuses %s with the provider’s 400 naming session.input', async (_name, input) => {
    const calls = emulator.calls.length;
    const response = await liveRequest(emulator, { session: { model: 'gpt-live-1', input }, transport: { type: 'webrtc', sdp } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; code: string; param: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.param).toMatch(/^session\.input/);
    expect(emulator.calls).toHaveLength(calls);
  });

  it('takes developer, user and assistant messages (text or output_text) with optional id and status', async () => {
    const input = [
      message('developer', 'input_text', 'The call was reconnected.'),
      { role: 'user', content: [{ text: 'No type on the part.' }], id: 'mine', status: 'completed' },
      message('assistant', 'text', 'Plain text part.'),
      message('assistant', 'output_text', 'Output text part.'),
    ];
    const offline = await startRealtimeEmulator({ peer: false });
    try {
      const response = await liveRequest(offline, { session: { model: 'gpt-live-1', input }, transport: { type: 'webrtc', sdp } });
      expect(response.status).toBe(201);
      expect(offline.calls[0]!.liveInput).toEqual(input);
    } finally {
      await offline.stop();
    }
  });
});

describe('a GPT-Live call with a real peer', () => {
  it('plays the interview as timeline fragments: no GA events, an inaudible answer yields none, a barge-in overlaps the cut answer', async () => {
    await emulator.resetConversation();
    const kiosk = await liveKiosk(emulator);
    const closingLine = defaultInterviewTurns.at(-1)!.text.split(' ').at(-1)!;
    await kiosk.waitFor((event) => event.type === 'session.output_transcript.delta' && event.delta === closingLine, 30_000);
    const types = new Set(kiosk.events.map((event) => event.type));
    expect(kiosk.events[0]!.type).toBe('session.started');
    expect([...types].sort()).toEqual(['session.input_transcript.delta', 'session.output_transcript.delta', 'session.started']);

    // Fragments cut into turns where the speaker changes or the timeline has a gap; within a turn each
    // fragment starts where the one before it ended.
    const turns: Array<{ speaker: string; text: string; start: number; end: number }> = [];
    for (const event of kiosk.events.filter((candidate) => candidate.type !== 'session.started')) {
      const speaker = event.type === 'session.input_transcript.delta' ? 'candidate' : 'interviewer';
      const last = turns.at(-1);
      if (last?.speaker === speaker && event.start_ms === last.end) {
        last.text += event.delta as string;
        last.end = event.end_ms as number;
      } else turns.push({ speaker, text: event.delta as string, start: event.start_ms as number, end: event.end_ms as number });
    }
    // The inaudible answer (a failed transcription on GA) leaves no candidate turn: two interviewer turns meet.
    expect(turns.map((turn) => turn.speaker)).toEqual(['interviewer', 'candidate', 'interviewer', 'interviewer', 'candidate', 'interviewer']);
    expect(turns[1]!.text.trim()).toBe(defaultInterviewTurns[1]!.text);
    expect(turns[0]!.start).toBe(0);
    for (const [index, turn] of turns.entries()) if (index > 0) expect(turn.start).toBeGreaterThan(turns[index - 1]!.start);
    // The answer cut while playing was generated in full, and the candidate started inside its audio.
    const cut = turns[3]!;
    expect(defaultInterviewTurns[4]).toMatchObject({ interrupted: 'while_playing' });
    expect(cut.text.trim()).toBe(defaultInterviewTurns[4]!.text);
    expect(turns[4]!.start).toBeGreaterThan(cut.start);
    expect(turns[4]!.start).toBeLessThan(cut.end);
    // Every other turn starts after the one before it ended.
    expect(turns[1]!.start).toBeGreaterThan(turns[0]!.end);
    expect(turns[5]!.start).toBeGreaterThan(turns[4]!.end);
    await kiosk.close();
  });

  it('cuts a reply interrupted while generating halfway, the candidate starting before its generated audio ends', async () => {
    const text = 'One two three four five six seven eight nine ten.';
    const cutting = await startRealtimeEmulator({
      script: { paceMs: 5, turns: [{ speaker: 'interviewer', text, interrupted: 'while_generating' }, { speaker: 'candidate', text: 'Sorry to cut in.' }] },
    });
    try {
      const kiosk = await liveKiosk(cutting);
      await kiosk.waitFor((event) => event.type === 'session.input_transcript.delta');
      const out = kiosk.events.filter((event) => event.type === 'session.output_transcript.delta');
      expect(out.map((event) => event.delta).join('')).toBe('One two three four five ');
      const firstIn = kiosk.events.find((event) => event.type === 'session.input_transcript.delta')!;
      expect(firstIn.start_ms).toBe((out.at(-1)!.end_ms as number) - liveTimeline.bargeInOverlapMs);
      await kiosk.close();
    } finally {
      await cutting.stop();
    }
  });

  it('answers GA-style seeding with an error event, and a new session after a drop takes its history in session.input and continues', async () => {
    await emulator.resetConversation();
    const first = await liveKiosk(emulator);
    await first.waitFor((event) => event.type === 'session.input_transcript.delta');
    await first.waitFor((event) => event.type === 'session.output_transcript.delta' && (event.start_ms as number) > 0 && event.delta === 'Thank ');
    emulator.dropPeer(first.callId);
    const turnAtDrop = emulator.conversation.turnIndex;

    const input = [message('assistant', 'output_text', defaultInterviewTurns[0]!.text), message('user', 'input_text', defaultInterviewTurns[1]!.text)];
    const second = await liveKiosk(emulator, input);
    expect(emulator.calls.at(-1)!.liveInput).toEqual(input);
    await second.waitFor((event) => event.type === 'session.started');
    second.channel.send(JSON.stringify({ type: 'conversation.item.create', event_id: 'seed-1', item: message('user', 'input_text', 'Earlier I said I build distributed systems.') }));
    const refused = await second.waitFor((event) => event.type === 'error');
    expect(refused.error).toMatchObject({ type: 'invalid_request_error', client_event_id: 'seed-1' });
    expect(emulator.conversation.seededItems).toHaveLength(0);

    const resumed = await second.waitFor((event) => event.type === 'session.output_transcript.delta');
    // A new session's timeline starts again at 0; the interview does not: no greeting again.
    expect(resumed.start_ms).toBe(0);
    const nextInterviewerLine = defaultInterviewTurns.slice(turnAtDrop).find((turn) => turn.speaker === 'interviewer')!.text;
    expect(nextInterviewerLine.startsWith(resumed.delta as string)).toBe(true);
    expect(resumed.delta).not.toBe('Hello ');
    await first.close();
    await second.close();
  });
});
