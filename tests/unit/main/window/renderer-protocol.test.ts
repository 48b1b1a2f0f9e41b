import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, metaContentSecurityPolicy, metaPoliciesOf } from '../../../../src/main/lockdown/content-security-policy';
import { isProctorPage, rendererFileFor, rendererResponse } from '../../../../src/main/window/renderer-protocol';

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

  it.each(['kiosk-app://renderer/proctor/..%2findex.html', 'kiosk-app://renderer/proctor/..%5cindex.html', 'kiosk-app://renderer/proctor/..\\index.html'])(
    'attack: %s serves the candidate page, so it must not carry proctor authority',
    (url) => {
      expect(rendererFileFor(url, root)).toBe(`${root}/index.html`);
      expect(isProctorPage(url)).toBe(false);
    },
  );
  it.each(['kiosk-app://renderer/%2570roctor/index.html', 'kiosk-app://renderer/proctor/%252e%252e/index.html', 'kiosk-app://renderer/a%2500.js'])(
    'attack: double-encoded %s is refused rather than served one decoder away from its meaning',
    (url) => {
      expect(rendererFileFor(url, root)).toBeNull();
      expect(isProctorPage(url)).toBe(false);
    },
  );
  it('attack: every spelling of a URL gets proctor authority exactly when the protocol serves it from the proctor folder', () => {
    const spellings = [
      'proctor/index.html',
      '%70roctor/index.html',
      'PROCTOR/index.html',
      'Proctor/Index.html',
      '%5Cproctor%5Cindex.html',
      'x/%2e%2e/proctor/index.html',
      'x/..%2fproctor/index.html',
      'proctor/..%2findex.html',
      'proctor/%2E%2E/index.html',
      '%2570roctor/index.html',
      'assets/proctor-abc.js',
      'index.html',
    ];
    for (const spelling of spellings) {
      const url = `kiosk-app://renderer/${spelling}`;
      const file = rendererFileFor(url, root);
      // Case-folded because a Windows or macOS file system serves /PROCTOR/ from the proctor folder.
      const servedFromProctorFolder = file !== null && file.toLowerCase().startsWith(`${root}/proctor/`);
      expect(isProctorPage(url), spelling).toBe(servedFromProctorFolder);
    }
  });

  it('attack: a packaged page is served with a meta CSP other than its header', () => {
    const csp = contentSecurityPolicy({ allowedOrigins: ['https://proxy.example.com'] });
    const page = new TextEncoder().encode(
      `<!doctype html><head><meta http-equiv="Content-Security-Policy" content="connect-src 'self' ws: wss: http: https:"></head>`,
    );
    const served = rendererResponse(`${root}/proctor/index.html`, page, csp);
    expect(served.headers['content-security-policy']).toBe(csp);
    expect(metaPoliciesOf(served.body as string)).toEqual([metaContentSecurityPolicy(csp)]);
    const script = new TextEncoder().encode('export {};');
    expect(rendererResponse(`${root}/assets/app.js`, script, csp)).toEqual({
      body: script,
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'x-content-type-options': 'nosniff' },
    });
  });
});
