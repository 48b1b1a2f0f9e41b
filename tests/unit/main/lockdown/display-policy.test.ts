import { describe, expect, it } from 'vitest';
import { decideDisplays, rendererRecovery, shouldBlockPowerSave } from '../../../../src/main/lockdown/display-policy';
import { isProctorPage, rendererFileFor } from '../../../../src/main/window/renderer-protocol';
import { createSenderPolicy } from '../../../../src/main/ipc/sender-policy';

describe('display rules', () => {
  it('pauses the interview when an extra display is connected', () => {
    expect(decideDisplays({ count: 1 }, { allowExtraDisplays: false })).toEqual({ paused: false });
    const decision = decideDisplays({ count: 2 }, { allowExtraDisplays: false });
    expect(decision.paused).toBe(true);
    expect(decision.paused && decision.reason).toMatch(/2 displays/);
  });
  it('allows extra displays where the tenant allows them, or when they only mirror', () => {
    expect(decideDisplays({ count: 3 }, { allowExtraDisplays: true })).toEqual({ paused: false });
    expect(decideDisplays({ count: 2, allMirrored: true }, { allowExtraDisplays: false })).toEqual({ paused: false });
  });
  it('keeps the display awake only during an interview', () => {
    expect(shouldBlockPowerSave('00000000-0000-4000-8000-000000000501')).toBe(true);
    expect(shouldBlockPowerSave(null)).toBe(false);
  });
  it('reloads a crashed renderer but stops after a crash loop', () => {
    expect(rendererRecovery(1)).toBe('reload');
    expect(rendererRecovery(4)).toBe('give-up');
  });
});

describe('renderer protocol', () => {
  const root = '/opt/kiosk/out/renderer';
  it('maps app URLs to files in the renderer folder', () => {
    expect(rendererFileFor('kiosk-app://renderer/index.html', root)).toBe(`${root}/index.html`);
    expect(rendererFileFor('kiosk-app://renderer/assets/app.js', root)).toBe(`${root}/assets/app.js`);
    expect(rendererFileFor('kiosk-app://renderer/proctor/', root)).toBe(`${root}/proctor/index.html`);
  });
  it.each(['kiosk-app://renderer/../../etc/passwd', 'kiosk-app://renderer/%2e%2e/%2e%2e/etc/passwd', 'kiosk-app://renderer/..%2f..%2fetc%2fpasswd'])(
    'keeps %s inside the renderer folder',
    (url) => {
      const file = rendererFileFor(url, root);
      expect(file === null || file.startsWith(`${root}/`)).toBe(true);
    },
  );
  it.each([
    'kiosk-app://renderer/a%00.js',
    'kiosk-app://other/index.html',
    'file:///etc/passwd',
  ])('refuses %s', (url) => {
    expect(rendererFileFor(url, root)).toBeNull();
  });
  it('recognises the proctor page', () => {
    expect(isProctorPage('kiosk-app://renderer/proctor/index.html#quit')).toBe(true);
    expect(isProctorPage('kiosk-app://renderer/index.html')).toBe(false);
  });
  it('trusts IPC only from the app scheme’s own host', () => {
    const trusted = createSenderPolicy('kiosk-app://renderer/index.html');
    expect(trusted('kiosk-app://renderer/proctor/index.html')).toBe(true);
    expect(trusted('kiosk-app://evil/index.html')).toBe(false);
    expect(trusted('other-app://renderer/index.html')).toBe(false);
  });
});
