// Electron glue: serves the built renderer on the app's own scheme, with the CSP on every page.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, mimeTypeFor, rendererFileFor } from './renderer-protocol';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function serveRenderer(rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).href).catch(() => null);
    if (!response || !response.ok) return new Response('Not found', { status: 404 });
    const headers = new Headers({ 'content-type': mimeTypeFor(file), 'x-content-type-options': 'nosniff' });
    if (file.endsWith('.html')) headers.set('content-security-policy', csp);
    return new Response(response.body, { status: 200, headers });
  });
}
