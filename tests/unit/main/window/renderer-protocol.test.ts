import { describe, expect, it } from 'vitest';
import { isProctorPage, rendererFileFor } from '../../../../src/main/window/renderer-protocol';

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
});
