import { describe, expect, it, vi } from 'vitest';
import { createIpcDispatcher, type IpcHandlers } from '../../../../src/main/ipc/ipc-dispatcher';
import { createSenderPolicy } from '../../../../src/main/ipc/sender-policy';
import { KioskError } from '../../../../src/shared/kiosk-error';

const appUrl = 'http://127.0.0.1:5173/';
const info = { name: 'interview-kiosk', version: '1.2.3', platform: 'linux', shell: 'electron' } as const;

function dispatcherWith(handler: IpcHandlers['app.info'], onInternalError = vi.fn()) {
  const dispatch = createIpcDispatcher({
    handlers: { 'app.info': handler } as IpcHandlers,
    isTrustedSender: createSenderPolicy(appUrl),
    onInternalError,
  });
  return { dispatch, onInternalError };
}

describe('IPC dispatcher', () => {
  it('answers a valid call from the app frame with the handler result', async () => {
    const { dispatch } = dispatcherWith(() => info);
    await expect(dispatch('app.info', undefined, `${appUrl}index.html`)).resolves.toEqual({ ok: true, value: info });
  });

  it('rejects a payload that fails its schema with a clear error and never runs the handler', async () => {
    const handler = vi.fn(() => info);
    const { dispatch } = dispatcherWith(handler);
    const reply = await dispatch('app.info', { sneaky: 'payload' }, appUrl);
    expect(reply).toMatchObject({ ok: false, error: { code: 'ipc.bad_request' } });
    expect(reply.ok === false && reply.error.message).toMatch(/Invalid request for "app.info"/);
    expect(handler).not.toHaveBeenCalled();
  });

  it.each([
    ['another origin', 'https://evil.example/'],
    ['another port on the same host', 'http://127.0.0.1:5174/'],
    ['a frame with no URL', undefined],
    ['a local file', 'file:///tmp/index.html'],
  ])('refuses a call from %s', async (_label, senderUrl) => {
    const handler = vi.fn(() => info);
    const { dispatch } = dispatcherWith(handler);
    const reply = await dispatch('app.info', undefined, senderUrl);
    expect(reply).toMatchObject({ ok: false, error: { code: 'ipc.forbidden_sender' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a channel that is not in the contract', async () => {
    const { dispatch } = dispatcherWith(() => info);
    await expect(dispatch('fs.readFile', '/etc/passwd', appUrl)).resolves.toMatchObject({
      ok: false,
      error: { code: 'ipc.unknown_channel' },
    });
  });

  it('passes a domain error through with its code and message', async () => {
    const { dispatch, onInternalError } = dispatcherWith(() => {
      throw new KioskError('config.missing', 'No tenant configuration is installed.');
    });
    await expect(dispatch('app.info', undefined, appUrl)).resolves.toEqual({
      ok: false,
      error: { code: 'config.missing', message: 'No tenant configuration is installed.' },
    });
    expect(onInternalError).not.toHaveBeenCalled();
  });

  it('hides an unexpected failure behind a generic message and reports it once', async () => {
    const { dispatch, onInternalError } = dispatcherWith(() => {
      throw new Error('ENOENT /secret/path');
    });
    const reply = await dispatch('app.info', undefined, appUrl);
    expect(reply).toMatchObject({ ok: false, error: { code: 'ipc.internal' } });
    expect(JSON.stringify(reply)).not.toContain('/secret/path');
    expect(onInternalError).toHaveBeenCalledTimes(1);
  });

  it('refuses to send a reply that breaks the contract', async () => {
    const { dispatch, onInternalError } = dispatcherWith(() => ({ ...info, platform: 'amiga' }) as never);
    await expect(dispatch('app.info', undefined, appUrl)).resolves.toMatchObject({ ok: false, error: { code: 'ipc.bad_response' } });
    expect(onInternalError).toHaveBeenCalledTimes(1);
  });
});
