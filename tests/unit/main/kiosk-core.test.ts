import { describe, expect, it } from 'vitest';
import { ipcChannels } from '../../../src/shared/ipc-contract';
import { createUnconfiguredNodePlatform } from '../../../src/host/node-platform';
import { createKioskCore } from '../../../src/main/kiosk-core';
import { isProctorPage } from '../../../src/main/window/renderer-protocol';

const appUrl = 'kiosk-app://renderer/index.html';
const core = () =>
  createKioskCore({
    appInfo: { name: 'interview-kiosk', version: '0.0.0-test', platform: 'linux', shell: 'electron' },
    appUrl,
    isTrustedSender: (url) => url?.startsWith('kiosk-app://renderer/') ?? false,
    isProctorSender: isProctorPage,
    platform: createUnconfiguredNodePlatform(),
  });

describe('kiosk core', () => {
  it('has a real handler for every contract channel', async () => {
    const kiosk = core();
    for (const channel of ipcChannels) {
      expect(typeof kiosk.handlers[channel], channel).toBe('function');
      const envelope = await kiosk.dispatch(channel, undefined, appUrl);
      expect(envelope.ok ? 'ok' : envelope.error.code, channel).not.toBe('ipc.not_available');
    }
    await kiosk.dispose();
  });

  it('lets only the proctor window act as the proctor', async () => {
    const kiosk = core();
    const fromKioskWindow = await kiosk.dispatch('proctor.signIn', { email: 'proctor@demo.example', password: 'x' }, appUrl);
    expect(fromKioskWindow).toMatchObject({ ok: false, error: { code: 'proctor.forbidden' } });
    const fromProctorWindow = await kiosk.dispatch('proctor.quit', { pin: '123456' }, 'kiosk-app://renderer/proctor/index.html');
    // Past the guard: without a tenant config the PIN cannot be checked.
    expect(fromProctorWindow).toMatchObject({ ok: false, error: { code: 'config.missing' } });
    const tooShort = await kiosk.dispatch('proctor.quit', { pin: '2468' }, 'kiosk-app://renderer/proctor/index.html');
    expect(tooShort).toMatchObject({ ok: false, error: { code: 'proctor.pin_format' } });
    await kiosk.dispose();
  });

  it('answers config.missing, with a message a person can act on, when its platform names no tenant configuration', async () => {
    const kiosk = core();
    const envelope = await kiosk.dispatch('config.get', undefined, appUrl);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'config.missing' } });
    expect(envelope.ok ? '' : envelope.error.message).toMatch(/tenant configuration/);
    await kiosk.dispose();
  });
});
