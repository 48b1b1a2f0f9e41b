import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { contentSecurityPolicy, withMetaPolicy } from './src/main/lockdown/content-security-policy';

/**
 * Writes the header policy (no tenant origins: the strictest one) into every built page as its meta
 * CSP, so the pages carry no hand-kept copy that could drift from it. Both shells rewrite the meta with
 * the policy they send as the header; built pages opened any other way get only their own origin.
 * Development pages (served by Vite) have none: the dev server's header policy is their only one.
 * That is what `apply: 'build'` is for: a meta policy is enforced beside the header (a page must
 * satisfy both), so a `script-src 'self'` meta would block the React plugin's inline refresh preamble
 * in `electron-vite dev` and leave a blank window, whatever the header allows
 * (tests/unit/packaging/meta-csp-plugin.test.ts).
 */
export function metaPolicyPlugin(): Plugin {
  return {
    name: 'kiosk-meta-csp',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: (html) => withMetaPolicy(html, contentSecurityPolicy({ allowedOrigins: [] })) },
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve('src/main/index.ts') } },
    },
  },
  preload: {
    // A sandboxed preload can only `require` Electron's own modules, so everything else is bundled
    // and the output is CommonJS.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), metaPolicyPlugin()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html'), proctor: resolve('src/renderer/proctor/index.html'), 'site-check': resolve('src/renderer/site-check/index.html') } },
    },
  },
});
