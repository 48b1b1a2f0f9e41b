import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../../src/main/lockdown/content-security-policy';

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
