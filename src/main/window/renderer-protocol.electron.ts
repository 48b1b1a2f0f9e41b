// Electron glue: serves the built renderer on the app's own scheme, with the CSP on every page.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, rendererFileFor, rendererResponse } from './renderer-protocol';

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
    const { body, headers } = rendererResponse(file, new Uint8Array(await response.arrayBuffer()), csp);
    return new Response(body, { status: 200, headers });
  });
}
