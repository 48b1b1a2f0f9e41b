import { describe, expect, it, vi } from 'vitest';
import { buildKioskApi } from '../../../src/shared/kiosk-api-builder';
import { KioskIpcError } from '../../../src/shared/kiosk-api';

describe('window.kiosk built from the contract', () => {
  it('exposes one function per channel that sends the channel name and unwraps the reply', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: { version: '1' } }));
    const api = buildKioskApi({ invoke, subscribe: () => () => {} });
    await expect(api.app.info()).resolves.toEqual({ version: '1' });
    expect(invoke).toHaveBeenCalledWith('app.info', undefined);
  });

  it('turns an error envelope into a KioskIpcError carrying the code', async () => {
    const api = buildKioskApi({
      invoke: async () => ({ ok: false as const, error: { code: 'ipc.bad_request', message: 'nope' } }),
      subscribe: () => () => {},
    });
    const failure = await api.app.info().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KioskIpcError);
    expect(failure).toMatchObject({ code: 'ipc.bad_request', message: 'nope' });
  });

  it('refuses to subscribe to an event the contract does not name', () => {
    const api = buildKioskApi({ invoke: vi.fn(), subscribe: () => () => {} });
    expect(() => api.on('nope.event' as never, () => {})).toThrow(KioskIpcError);
  });
});
