import { describe, expect, it } from 'vitest';
import { createNavigationPolicy, windowOpenDecision } from '../../../../src/main/lockdown/navigation-policy';

describe('navigation policy', () => {
  const packaged = createNavigationPolicy('kiosk-app://renderer/index.html');

  it('allows the app’s own pages', () => {
    expect(packaged('kiosk-app://renderer/index.html#/consent')).toEqual({ allow: true });
    expect(packaged('kiosk-app://renderer/proctor/index.html')).toEqual({ allow: true });
  });

  it.each(['https://example.com/', 'file:///etc/passwd', 'kiosk-app://elsewhere/index.html', 'javascript:alert(1)', 'chrome://settings', 'not a url'])(
    'refuses %s',
    (url) => {
      expect(packaged(url).allow).toBe(false);
    },
  );

  it('accepts an explicitly allowed origin and nothing near it', () => {
    const policy = createNavigationPolicy('http://localhost:5173/', { extraAllowedOrigins: ['https://help.example.com'] });
    expect(policy('https://help.example.com/page').allow).toBe(true);
    expect(policy('https://help.example.com.evil.net/').allow).toBe(false);
    expect(policy('http://help.example.com/').allow).toBe(false);
  });

  it('keeps a file: app inside its folder', () => {
    const policy = createNavigationPolicy('file:///opt/kiosk/renderer/index.html');
    expect(policy('file:///opt/kiosk/renderer/other.html').allow).toBe(true);
    expect(policy('file:///opt/kiosk/renderer/../secrets.html').allow).toBe(false);
  });

  it("keeps the candidate's window off the proctor page, in packaged and development builds", () => {
    for (const appUrl of ['kiosk-app://renderer/index.html', 'http://localhost:5173/']) {
      const kioskWindow = createNavigationPolicy(appUrl, { forbiddenPathPrefixes: ['/proctor/'] });
      const origin = new URL(appUrl).origin === 'null' ? 'kiosk-app://renderer' : new URL(appUrl).origin;
      expect(kioskWindow(`${origin}/proctor/index.html`).allow).toBe(false);
      expect(kioskWindow(`${origin}/index.html`).allow).toBe(true);
    }
  });

  it('keeps the candidate off the proctor page reached through percent-encoding, case or backslashes', () => {
    const kioskWindow = createNavigationPolicy('kiosk-app://renderer/index.html', { forbiddenPathPrefixes: ['/proctor/'] });
    for (const path of ['/%70roctor/index.html', '/%2Fproctor/index.html', '/Proctor/index.html', '/PROCTOR/index.html', '/%5Cproctor%5Cindex.html']) {
      expect(kioskWindow(`kiosk-app://renderer${path}`).allow, path).toBe(false);
    }
    expect(kioskWindow('kiosk-app://renderer/%E0%A4%A/index.html')).toEqual({ allow: false, reason: 'malformed path' });
    expect(kioskWindow('kiosk-app://renderer/assets/room%20screen.js').allow).toBe(true);
  });

  it.each(['/%2570roctor/index.html', '/%252Fproctor/index.html', '/x/%252e%252e/proctor/index.html', '/%5C%2570roctor%5Cindex.html'])(
    'attack: double-encoded %s does not pass the proctor ban',
    (path) => {
      const kioskWindow = createNavigationPolicy('kiosk-app://renderer/index.html', { forbiddenPathPrefixes: ['/proctor/'] });
      expect(kioskWindow(`kiosk-app://renderer${path}`)).toEqual({ allow: false, reason: 'malformed path' });
    },
  );

  it('dot segments, encoded or with backslashes, in mixed case, do not pass the proctor ban either', () => {
    const kioskWindow = createNavigationPolicy('kiosk-app://renderer/index.html', { forbiddenPathPrefixes: ['/proctor/'] });
    for (const path of ['/x/%2e%2e/proctor/index.html', '/x/..%2fPROCTOR/index.html', '/x/..%5cProctor%5cindex.html', '/x\\..\\proctor\\index.html', '//proctor//index.html']) {
      expect(kioskWindow(`kiosk-app://renderer${path}`).allow, path).toBe(false);
    }
    expect(kioskWindow('kiosk-app://renderer/proctor/..%2findex.html').allow).toBe(true);
  });

  it('denies every window.open', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });
});
