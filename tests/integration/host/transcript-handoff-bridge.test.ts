// The transcript handoff stops on `interview.ended` when it runs through the browser host's real bridge:
// main's dispatcher turns the interview service's error into an envelope, the host sends it over the
// WebSocket, the page's bridge hands it across the contextBridge-like boundary (errors there keep only
// their message) and the page builds the typed error with its code. Before the envelope design the code
// was lost on the way and the handoff retried for ever.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WsWebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../src/host/browser-host';
import { BROWSER_HOST_APP_INFO } from '../../../src/host/node-core';
import { createUnconfiguredNodePlatform } from '../../../src/host/node-platform';
import { INTERVIEW_ERROR } from '../../../src/main/interviews/interview-service';
import { createIpcDispatcher } from '../../../src/main/ipc/ipc-dispatcher';
import { createKioskCore } from '../../../src/main/kiosk-core';
import { installBrowserBridge } from '../../../src/renderer/bridge/browser-bridge';
import { TranscriptHandoff } from '../../../src/renderer/realtime/transcript-handoff';
import type { TranscriptEntry } from '../../../src/shared/domain/transcript';
import { KioskError } from '../../../src/shared/kiosk-error';
import { buildKioskApi } from '../../../src/shared/kiosk-api-builder';

let host: BrowserHost;
const appended: string[] = [];
const interviewSessionId = '0194f3a2-7c1e-7a00-8000-0000000000aa';

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><meta charset="UTF-8" /><title>kiosk</title></head></html>');
  host = await startBrowserHost({
    rendererDir,
    createCore: (policy) => {
      const core = createKioskCore({ ...policy, appInfo: BROWSER_HOST_APP_INFO, platform: createUnconfiguredNodePlatform() });
      // The real dispatcher and handlers, with transcript.append answering as the interview service
      // does for an interview that has already ended (interview-service.ts, `record.state === 'ended'`).
      const handlers = {
        ...core.handlers,
        'transcript.append': async ({ entries }: { entries: TranscriptEntry[] }) => {
          appended.push(...entries.map((entry) => entry.id));
          throw new KioskError(INTERVIEW_ERROR.ended, 'That interview has already ended; nothing more can be added to it.');
        },
      } as typeof core.handlers;
      return { ...core, handlers, dispatch: createIpcDispatcher({ handlers, isTrustedSender: policy.isTrustedSender }) };
    },
  });
  // The page's globals: a browser WebSocket that sends the page's Origin, and its window.
  const pageOrigin = new URL(host.url).origin;
  class PageWebSocket extends WsWebSocket {
    constructor(url: string) {
      super(url, { origin: pageOrigin });
    }
  }
  vi.stubGlobal('WebSocket', PageWebSocket);
  vi.stubGlobal('window', {});
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await host.close();
});

const entry: TranscriptEntry = {
  id: '0194f3a2-7c1e-7a00-8000-000000000001',
  seq: 1,
  speaker: 'candidate',
  text: 'Words after the end.',
  timestamp: '2026-12-04T09:00:00.000Z',
  status: 'final',
};

describe('the transcript handoff through the browser host', () => {
  it('gets interview.ended with its code across the bridge and stops, reporting the entries refused', async () => {
    const bridgeUrl = `${new URL(host.url).origin.replace('http', 'ws')}/bridge`;
    const kiosk = buildKioskApi(await installBrowserBridge(bridgeUrl));
    const direct = await kiosk.transcript.append({ interviewSessionId, entries: [entry] }).catch((error: unknown) => error);
    expect(direct).toMatchObject({ code: 'interview.ended' });

    appended.length = 0;
    const onRejected = vi.fn();
    const onError = vi.fn();
    const handoff = new TranscriptHandoff({
      append: (entries) => kiosk.transcript.append({ interviewSessionId, entries }),
      onSaved: () => undefined,
      onRejected,
      onError,
      retryDelayMs: () => 1,
    });
    handoff.push([entry]);
    expect(await handoff.flush(5_000)).toBe(true);
    expect(onRejected).toHaveBeenCalledTimes(1);
    expect(onRejected.mock.calls[0]![1]).toMatchObject({ code: 'interview.ended' });
    expect(onError).not.toHaveBeenCalled();
    // One call, no retries.
    expect(appended).toEqual([entry.id]);
  });
});
