import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import config from '../../../../electron.vite.config';
import {
  contentSecurityPolicy,
  metaContentSecurityPolicy,
  metaPoliciesOf,
  withMetaPolicy,
} from '../../../../src/main/lockdown/content-security-policy';

const directives = (csp: string) => new Map(csp.split('; ').map((part) => [part.split(' ')[0]!, part.split(' ').slice(1)]));

describe('content security policy', () => {
  it('allows scripts from the app only, and no plugins, frames or form posts', () => {
    const csp = directives(contentSecurityPolicy({ allowedOrigins: [] }));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('lets the renderer reach the tenant’s proxy over WebSocket', () => {
    const csp = directives(contentSecurityPolicy({ allowedOrigins: ['https://proxy.example.com'] }));
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://proxy.example.com', 'wss://proxy.example.com']);
  });

  it('opens inline script only for the development server', () => {
    expect(directives(contentSecurityPolicy({ allowedOrigins: [], devServerUrl: 'http://localhost:5173' })).get('script-src')).toContain("'unsafe-inline'");
  });
});

describe('meta policy', () => {
  const csp = contentSecurityPolicy({ allowedOrigins: ['https://proxy.example.com'] });
  const loose = `default-src 'self'; connect-src 'self' ws: wss: http: https:`;

  it('is the header policy without the directives a meta cannot carry', () => {
    const meta = metaContentSecurityPolicy(csp);
    expect(meta).not.toContain('frame-ancestors');
    expect(meta.split('; ')).toEqual(csp.split('; ').filter((directive) => !directive.startsWith('frame-ancestors')));
  });

  it.each([
    `<meta http-equiv="Content-Security-Policy" content="${loose}" />`,
    `<META CONTENT="${loose}" HTTP-EQUIV="content-security-policy">`,
    `<meta http-equiv='Content-Security-Policy' content="${loose}">`,
    `<meta http-equiv=Content-Security-Policy content="${loose}">`,
  ])('attack: a page keeps its own looser meta %s beside the header policy', (own) => {
    const page = `<!doctype html><html><head><meta charset="UTF-8" />${own}${own}<title>t</title></head></html>`;
    const served = withMetaPolicy(page, csp);
    expect(metaPoliciesOf(served)).toEqual([metaContentSecurityPolicy(csp)]);
    // First after the charset, so it governs every script and stylesheet the head names.
    expect(served).toMatch(/^<!doctype html><html><head><meta charset="UTF-8" \/><meta http-equiv="Content-Security-Policy" content="[^"]+" \/><title>/);
  });

  it('gives a page without one its meta, and reads back what it wrote', () => {
    expect(metaPoliciesOf(withMetaPolicy('<!doctype html><title>t</title>', csp))).toEqual([metaContentSecurityPolicy(csp)]);
    expect(metaPoliciesOf(withMetaPolicy('<p>bare</p>', csp))).toEqual([metaContentSecurityPolicy(csp)]);
    expect(metaPoliciesOf('<head><meta name="viewport" content="width=device-width"></head>')).toEqual([]);
  });
});

describe("the renderer build's meta policy", () => {
  const plugin = [config.renderer?.plugins ?? []].flat(3).find((entry) => (entry as Plugin | null)?.name === 'kiosk-meta-csp') as Plugin | undefined;
  const transform = (html: string): string => {
    const hook = plugin?.transformIndexHtml;
    const handler = typeof hook === 'function' ? hook : hook?.handler;
    if (!handler) throw new Error('the renderer build has no kiosk-meta-csp plugin');
    return handler.call({} as never, html, { path: '/index.html', filename: 'index.html' }) as string;
  };
  const sources = ['src/renderer/index.html', 'src/renderer/proctor/index.html'];

  it.each(sources)('attack: %s is built with a meta CSP other than the header policy', (source) => {
    const strictest = metaContentSecurityPolicy(contentSecurityPolicy({ allowedOrigins: [] }));
    expect(plugin?.apply).toBe('build');
    expect(metaPoliciesOf(transform(readFileSync(resolve(source), 'utf8')))).toEqual([strictest]);
    // A meta someone adds to the source again is replaced, not kept beside it.
    const reintroduced = readFileSync(resolve(source), 'utf8').replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="connect-src *">`);
    expect(metaPoliciesOf(transform(reintroduced))).toEqual([strictest]);
  });

  it.each(sources)('%s keeps no hand-written meta CSP to drift from the header policy', (source) => {
    expect(metaPoliciesOf(readFileSync(resolve(source), 'utf8'))).toEqual([]);
  });
});
