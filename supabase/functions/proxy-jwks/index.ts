// GET /functions/v1/proxy-jwks — the proxies' verification keys (docs/deploy.md, "Proxy token keys").
// Public, no caller: deploy with verify_jwt = false (supabase/config.toml).
import { serveProxyJwks } from '../_shared/proxy-jwks.ts';

const handler = (request: Request) => Promise.resolve(serveProxyJwks(request));

export default handler;

if (import.meta.main) Deno.serve(handler);
