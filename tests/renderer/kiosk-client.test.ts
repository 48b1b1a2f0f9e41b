// The page builds `window.kiosk` from the transport the preload exposed across contextBridge, so the
// error codes main sends arrive with their code (contextBridge would keep only an error's message).
import { afterEach, describe, expect, it } from 'vitest';
import { connectKiosk } from '../../src/renderer/kiosk-client';
import { acrossContextBridge } from '../../src/shared/context-bridge-boundary';
import { KioskIpcError } from '../../src/shared/kiosk-api';
import type { KioskTransport } from '../../src/shared/kiosk-api-builder';

afterEach(() => {
  delete window.kiosk;
  delete window.kioskBridge;
});

describe('the page’s door to main', () => {
  it('builds window.kiosk from the exposed transport, so interview.ended arrives as that code', async () => {
    const transport: KioskTransport = {
      invoke: async () => ({ ok: false, error: { code: 'interview.ended', message: 'The interview has ended.' } }),
      subscribe: () => () => undefined,
    };
    window.kioskBridge = acrossContextBridge(transport);
    const kiosk = await connectKiosk();
    expect(window.kiosk).toBe(kiosk);
    const error = await kiosk.app.info().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KioskIpcError);
    expect(error).toMatchObject({ code: 'interview.ended' });
  });
});
