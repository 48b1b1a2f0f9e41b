import { describe, expect, it } from 'vitest';
import { createSenderPolicy } from '../../../../src/main/ipc/sender-policy';

describe('sender policy for a packaged (file:) renderer', () => {
  const trusted = createSenderPolicy('file:///opt/kiosk/resources/app.asar/out/renderer/index.html');

  it('trusts documents inside the renderer folder', () => {
    expect(trusted('file:///opt/kiosk/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(trusted('file:///opt/kiosk/resources/app.asar/out/renderer/index.html#/room')).toBe(true);
  });

  it('refuses files outside it, including a path that climbs out with ..', () => {
    expect(trusted('file:///opt/kiosk/resources/app.asar/out/renderer-evil/index.html')).toBe(false);
    expect(trusted('file:///opt/kiosk/resources/app.asar/out/renderer/../preload/x.html')).toBe(false);
    expect(trusted('file:///tmp/index.html')).toBe(false);
  });

  it('refuses web origins, garbage and missing URLs', () => {
    expect(trusted('https://example.com/out/renderer/index.html')).toBe(false);
    expect(trusted('not a url')).toBe(false);
    expect(trusted('')).toBe(false);
    expect(trusted(undefined)).toBe(false);
  });
});

describe('sender policy for a served (http) renderer', () => {
  const trusted = createSenderPolicy('http://localhost:5173/');

  it('trusts the same origin only', () => {
    expect(trusted('http://localhost:5173/index.html')).toBe(true);
    expect(trusted('https://localhost:5173/')).toBe(false);
    expect(trusted('http://localhost.evil.example:5173/')).toBe(false);
    expect(trusted('http://localhost:5173@evil.example/')).toBe(false);
  });
});

describe('sender policy for the app scheme', () => {
  it('trusts IPC only from the app scheme’s own host', () => {
    const trusted = createSenderPolicy('kiosk-app://renderer/index.html');
    expect(trusted('kiosk-app://renderer/proctor/index.html')).toBe(true);
    expect(trusted('kiosk-app://evil/index.html')).toBe(false);
    expect(trusted('other-app://renderer/index.html')).toBe(false);
  });
});
