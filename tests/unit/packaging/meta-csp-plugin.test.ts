// `electron-vite dev` serves the renderer through Vite, whose React plugin puts an inline refresh
// preamble into the page. A meta CSP with `script-src 'self'` is enforced beside the header, whatever
// the header allows, and blocks that preamble: a blank window. The built pages must carry the strict
// meta; the dev pages must carry none and get the header (which allows the preamble) as their only one.
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer, resolveConfig, type IndexHtmlTransformHook, type Plugin } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { metaPolicyPlugin } from '../../../electron.vite.config';
import { contentSecurityPolicy, metaPoliciesOf } from '../../../src/main/lockdown/content-security-policy';

const root = resolve('src/renderer');
const sourcePage = readFileSync(resolve(root, 'index.html'), 'utf8');
const servers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

const pluginNames = async (command: 'build' | 'serve') =>
  (await resolveConfig({ root, configFile: false, logLevel: 'silent', plugins: [metaPolicyPlugin()] }, command)).plugins.map((plugin) => plugin.name);

describe('the meta CSP build plugin', () => {
  it('runs for `electron-vite build` and not for the dev server', async () => {
    expect(await pluginNames('build')).toContain('kiosk-meta-csp');
    expect(await pluginNames('serve')).not.toContain('kiosk-meta-csp');
  });

  it('writes the strict header policy (no inline script) into a built page', async () => {
    const hook = metaPolicyPlugin().transformIndexHtml as { handler: IndexHtmlTransformHook };
    const built = (await hook.handler.call({} as never, sourcePage, { path: '/index.html', filename: resolve(root, 'index.html') })) as string;
    const [meta, ...others] = metaPoliciesOf(built);
    expect(others).toEqual([]);
    expect(meta).toMatch(/script-src 'self'(;|$)/);
    expect(meta).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('leaves the dev server page without a meta CSP, so the header lets React’s inline preamble run', async () => {
    const server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: { middlewareMode: true, ws: false },
      plugins: [react(), metaPolicyPlugin() as Plugin],
    });
    servers.push(server);
    const served = await server.transformIndexHtml('/index.html', sourcePage);
    // The preamble the React plugin adds in development: an inline module script.
    expect(served).toMatch(/<script type="module">[^<]*@react-refresh/);
    expect(metaPoliciesOf(served)).toEqual([]);
    const header = contentSecurityPolicy({ allowedOrigins: [], devServerUrl: 'http://localhost:5173/' });
    expect(header).toMatch(/script-src 'self' 'unsafe-inline'/);
  });
});
