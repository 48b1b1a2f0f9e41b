// A GPT-Live interview whose call drops mid-interview: the renderer's RealtimeSession (on a werift peer)
// re-offers through the real SDP proxy with the transcript so far — as the kiosk's own reader and
// assembler made it from the Live events — and the emulator's Live endpoint receives it as the new
// session's `input`; nothing GA-only is sent on the new call, and the interview carries on.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { ProviderEventReader } from '../../../src/renderer/realtime/provider-events';
import { gptLiveWriter, type ProviderWriter } from '../../../src/renderer/realtime/provider-writer';
import { openSignal } from '../../../src/renderer/realtime/proxy-signal';
import { RealtimeSession, type ConnectionStatus } from '../../../src/renderer/realtime/realtime-session';
import { TranscriptAssembler } from '../../../src/renderer/realtime/transcript-assembler';
import { startTestProxy, type TestProxy } from '../../support/proxy-process';
import { defaultInterviewTurns, startRealtimeEmulator, type RealtimeEmulator } from '../../support/realtime-emulator';
import { createWeriftPeerConnection, fakeMicrophone } from '../../support/werift-browser-peer';

let emulator: RealtimeEmulator;
let proxy: TestProxy;
const createSocket = (url: string, protocols: string[]) => new NodeWebSocket(url, protocols) as unknown as WebSocket;

beforeAll(async () => {
  emulator = await startRealtimeEmulator({ script: { paceMs: 20 } });
  proxy = await startTestProxy({ emulator, env: { REALTIME_API: 'live' } });
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

describe('a GPT-Live call dropped mid-interview', () => {
  it('re-offers with the transcript so far as history, which GPT-Live receives as session.input', { timeout: 90_000 }, async () => {
    const sessionId = randomUUID();
    const microphone = fakeMicrophone();
    const reader = new ProviderEventReader();
    const assembler = new TranscriptAssembler({ nextSeq: 0 });
    const statuses: ConnectionStatus[] = [];
    const audit: Array<{ kind: string; data: Record<string, unknown> }> = [];
    const recovered: Array<{ reason: string; writer: ProviderWriter }> = [];
    const credentials = {
      url: proxy.signalUrl,
      token: await proxy.signProxyToken({ sessionId }),
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      sessionConfigToken: await proxy.signSessionConfig(sessionId, { instructions: 'Interview for the QA Lead role.' }),
    };
    const session: RealtimeSession = new RealtimeSession({
      credentials,
      microphone: microphone.stream,
      createPeerConnection: createWeriftPeerConnection,
      openSignal: (url, token) => openSignal({ url, token, createSocket }),
      audit: (kind, data) => audit.push({ kind, data }),
      onEvent: (event) => assembler.apply(reader.read(event)),
      onStatus: (status) => {
        statuses.push(status);
        // As the interview controller does: the broken call will never finish the turns in flight.
        if (status === 'reconnecting') {
          assembler.apply(reader.closeAllLiveTurns());
          assembler.closeAll();
        }
      },
      transcriptSoFar: () => assembler.committedEntries(),
      onRecovered: (reason, writer) => {
        recovered.push({ reason, writer });
        // As the controller seeds: whatever the writer says goes on the new call's channel.
        const seed = writer.seedHistory(assembler.committedEntries());
        if (seed !== 'with-offer') for (const event of seed.events) session.send(event);
        const request = writer.requestResponse();
        if (request) session.send(request);
      },
      policy: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3, disconnectGraceMs: 100 },
      statsIntervalMs: 0,
    });
    try {
      await session.start();
      expect(session.state).toBe('live');
      expect(session.writer).toBe(gptLiveWriter);
      const first = emulator.calls.at(-1)!;
      expect(first.api).toBe('live');
      // The first call of an interview carries no history.
      expect(first.liveInput).toBeNull();

      // Drop once the candidate's first answer is over and the interviewer has begun the next question.
      const answer = defaultInterviewTurns[1]!.text;
      await vi.waitFor(
        () => {
          const inputs = first.serverEvents.filter((event) => event.type === 'session.input_transcript.delta').map((event) => event.delta).join('');
          expect(inputs.trim()).toBe(answer);
          expect(first.serverEvents.at(-1)!.type).toBe('session.output_transcript.delta');
        },
        { timeout: 20_000, interval: 10 },
      );
      emulator.dropPeer(first.id);
      // The provider vanishes without a goodbye; the kiosk's peer notices by its ICE consent checks
      // (RFC 7675: consent expires 30 s after the last answer), as a browser notices a provider outage.
      await vi.waitFor(() => expect(recovered).toHaveLength(1), { timeout: 60_000, interval: 50 });
      expect(statuses).toContain('reconnecting');
      expect(session.state).toBe('live');
      expect(recovered[0]!.writer).toBe(gptLiveWriter);

      const second = emulator.calls.at(-1)!;
      expect(second.id).not.toBe(first.id);
      const said = assembler.committedEntries().filter((entry) => entry.text);
      expect(said.slice(0, 2).map(({ speaker, text }) => ({ speaker, text }))).toEqual([
        { speaker: 'interviewer', text: defaultInterviewTurns[0]!.text },
        { speaker: 'candidate', text: answer },
      ]);
      // What the new GPT-Live session was created with is exactly the transcript so far, in order.
      expect(second.liveInput).toEqual(
        said.map((entry) =>
          entry.speaker === 'candidate'
            ? { type: 'message', role: 'user', content: [{ type: 'input_text', text: entry.text }] }
            : { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: entry.text }] },
        ),
      );
      // Nothing GPT-Live refuses went on the new call's channel, and it carries the interview on.
      await vi.waitFor(() => expect(second.serverEvents.some((event) => event.type === 'session.output_transcript.delta')).toBe(true), { timeout: 20_000, interval: 20 });
      expect(second.clientEvents).toEqual([]);
      expect(second.serverEvents.filter((event) => event.type === 'error')).toEqual([]);
      expect(second.serverEvents.find((event) => event.type === 'session.output_transcript.delta')!.delta).not.toBe('Hello ');
      // The session log counts the history it re-offered, and holds none of its words.
      const offers = audit.filter((entry) => entry.kind === 'sdp_offer').map((entry) => entry.data);
      expect(offers.map((offer) => offer.history_items)).toEqual([undefined, said.length]);
      expect(JSON.stringify(audit)).not.toContain(answer);
    } finally {
      session.close();
      microphone.stop();
    }
  });
});
