import { describe, expect, it } from 'vitest';
import type { Session } from 'electron';
import { readFileSync } from 'node:fs';
import { createPermissionCheckPolicy, createPermissionPolicy, DISPLAY_MEDIA_REFUSAL, displayCaptureAllowed } from '../../../../src/main/lockdown/permission-policy';

type DisplayMediaHandler = NonNullable<Parameters<Session['setDisplayMediaRequestHandler']>[0]>;
type DisplayMediaAnswer = Parameters<Parameters<DisplayMediaHandler>[1]>[0];

describe('permission policy', () => {
  const app = createPermissionPolicy('kiosk-app://renderer/index.html');

  it('grants camera and microphone to the app itself', () => {
    expect(app({ permission: 'media', requestingUrl: 'kiosk-app://renderer/index.html', mediaTypes: ['audio', 'video'] })).toBe(true);
    expect(app({ permission: 'media', requestingUrl: 'kiosk-app://renderer/', mediaTypes: ['audio'] })).toBe(true);
  });

  it.each([
    ['another origin', { permission: 'media', requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] }],
    ['another host on the app scheme', { permission: 'media', requestingUrl: 'kiosk-app://other/index.html', mediaTypes: ['audio'] }],
    ['an unknown media type', { permission: 'media', requestingUrl: 'kiosk-app://renderer/', mediaTypes: ['screen'] }],
    ['notifications', { permission: 'notifications', requestingUrl: 'kiosk-app://renderer/' }],
    ['geolocation', { permission: 'geolocation', requestingUrl: 'kiosk-app://renderer/' }],
    ['display capture', { permission: 'display-capture', requestingUrl: 'kiosk-app://renderer/' }],
    ['clipboard', { permission: 'clipboard-read', requestingUrl: 'kiosk-app://renderer/' }],
    ['a garbage URL', { permission: 'media', requestingUrl: 'not a url', mediaTypes: ['audio'] }],
  ])('denies %s', (_name, request) => {
    expect(app(request)).toBe(false);
  });

  it('matches by origin for an http app', () => {
    const dev = createPermissionPolicy('http://localhost:5173/');
    expect(dev({ permission: 'media', requestingUrl: 'http://localhost:5173/x', mediaTypes: ['video'] })).toBe(true);
    expect(dev({ permission: 'media', requestingUrl: 'http://localhost:5174/', mediaTypes: ['video'] })).toBe(false);
  });

  it('answers permission checks for media only, and only for the app', () => {
    const check = createPermissionCheckPolicy('kiosk-app://renderer/index.html');
    expect(check('media', 'kiosk-app://renderer/')).toBe(true);
    expect(check('media', 'https://evil.example')).toBe(false);
    expect(check('hid', 'kiosk-app://renderer/')).toBe(false);
  });

  it('never allows display capture', () => {
    expect(displayCaptureAllowed).toBe(false);
  });

  it('refuses a display-media request with null, Electron’s refusal, never with an empty streams object', () => {
    const answer: DisplayMediaAnswer = DISPLAY_MEDIA_REFUSAL;
    expect(answer).toBeNull();
    const glue = readFileSync('src/main/lockdown/session-lockdown.electron.ts', 'utf8');
    expect(glue).toContain('callback(DISPLAY_MEDIA_REFUSAL)');
    expect(glue).not.toMatch(/callback\(\s*\{\s*\}\s*\)/);
  });
});
