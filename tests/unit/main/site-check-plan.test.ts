import { describe, expect, it } from 'vitest';
import { siteCheckPageUrl, siteCheckProxyUrl } from '../../../src/main/site-check/site-check-plan';

describe('site check plan from the tray', () => {
  it('opens the page beside the proctor page, in the app scheme or the dev server', () => {
    expect(siteCheckPageUrl('app://kiosk/proctor/index.html')).toBe('app://kiosk/site-check/index.html');
    expect(siteCheckPageUrl('http://localhost:5173/proctor/index.html')).toBe('http://localhost:5173/site-check/index.html');
  });

  it("tests the last interview's proxy, else the first allowed origin's signalling socket, else nothing", () => {
    expect(siteCheckProxyUrl({ allowedOrigins: ['https://p.fly.dev'] }, 'wss://q.fly.dev/v1/signal')).toBe('wss://q.fly.dev/v1/signal');
    expect(siteCheckProxyUrl({ allowedOrigins: ['https://p.fly.dev'] }, null)).toBe('wss://p.fly.dev/v1/signal');
    expect(siteCheckProxyUrl({ allowedOrigins: ['http://127.0.0.1:8080'] }, null)).toBe('ws://127.0.0.1:8080/v1/signal');
    expect(siteCheckProxyUrl({ allowedOrigins: [] }, null)).toBeNull();
  });
});
