// An error code must reach the page across contextBridge, which keeps only an error's message: the
// bridge carries result envelopes and the page builds the typed errors itself.
import { describe, expect, it, vi } from 'vitest';
import { acrossContextBridge } from '../../../src/shared/context-bridge-boundary';
import type { IpcEnvelope } from '../../../src/shared/ipc-contract';
import { KioskIpcError } from '../../../src/shared/kiosk-api';
import { buildKioskApi, type KioskTransport } from '../../../src/shared/kiosk-api-builder';
import { TranscriptHandoff } from '../../../src/renderer/realtime/transcript-handoff';
import type { TranscriptEntry } from '../../../src/shared/domain/transcript';

const ended: IpcEnvelope<unknown> = { ok: false, error: { code: 'interview.ended', message: 'The interview has ended; nothing more can be added.' } };

function transportAnswering(envelope: IpcEnvelope<unknown>): KioskTransport & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    invoke: async (channel) => {
      calls.push(channel);
      return envelope;
    },
    subscribe: () => () => undefined,
  };
}

const entry: TranscriptEntry = {
  id: '0194f3a2-7c1e-7a00-8000-000000000001',
  seq: 1,
  speaker: 'candidate',
  text: 'Late words.',
  timestamp: '2026-12-04T09:00:00.000Z',
  status: 'final',
};

describe('the contextBridge boundary', () => {
  it('keeps only the message of an error that crosses it, as Electron does', async () => {
    class CodedError extends Error {
      code = 'x.y';
    }
    const exposed = acrossContextBridge({ fail: async () => Promise.reject(new CodedError('why')), throwNow: () => { throw new CodedError('now'); } });
    const rejected = await exposed.fail().catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(Error);
    expect(rejected).not.toBeInstanceOf(CodedError);
    expect(rejected).toMatchObject({ message: 'why' });
    expect((rejected as { code?: string }).code).toBeUndefined();
    expect(() => exposed.throwNow()).toThrow(/^now$/);
    // Plain data crosses as a copy.
    const data = { nested: { list: [1, 2] } };
    const echoed = acrossContextBridge({ echo: (value: unknown) => value }).echo(data) as typeof data;
    expect(echoed).toEqual(data);
    expect(echoed).not.toBe(data);
  });

  it('attack on the old shape: a typed API built behind the bridge loses interview.ended on its way to the page', async () => {
    const exposedApi = acrossContextBridge(buildKioskApi(transportAnswering(ended)));
    const error = await exposedApi.app.info().catch((caught: unknown) => caught);
    expect((error as { code?: string }).code).toBeUndefined();
  });

  it('the page builds the typed error from the envelope the bridge carried, with its code', async () => {
    const kiosk = buildKioskApi(acrossContextBridge(transportAnswering(ended)));
    const error = await kiosk.app.info().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KioskIpcError);
    expect(error).toMatchObject({ code: 'interview.ended', message: ended.ok ? '' : ended.error.message });
  });

  it('lets the transcript handoff stop on interview.ended instead of retrying for ever', async () => {
    const transport = transportAnswering(ended);
    const kiosk = buildKioskApi(acrossContextBridge(transport));
    const onRejected = vi.fn();
    const onError = vi.fn();
    const handoff = new TranscriptHandoff({
      append: (entries) => kiosk.transcript.append({ interviewSessionId: '0194f3a2-7c1e-7a00-8000-0000000000aa', entries }),
      onSaved: () => undefined,
      onRejected,
      onError,
      retryDelayMs: () => 1,
    });
    handoff.push([entry]);
    expect(await handoff.flush(1_000)).toBe(true);
    expect(onRejected).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
    expect(transport.calls).toEqual(['transcript.append']);
  });
});
