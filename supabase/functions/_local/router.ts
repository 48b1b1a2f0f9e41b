// One Deno process serving every function for the local stack and the tests: /<name>/… goes to
// supabase/functions/<name>/index.ts's default handler, exactly the module Supabase deploys.
type Handler = (request: Request) => Promise<Response> | Response;

const functionsDir = new URL('../', import.meta.url);
const handlers = new Map<string, Handler>();
for await (const entry of Deno.readDir(functionsDir)) {
  if (!entry.isDirectory || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
  const module = await import(new URL(`${entry.name}/index.ts`, functionsDir).href);
  if (typeof module.default !== 'function') throw new Error(`${entry.name}/index.ts has no default handler`);
  handlers.set(entry.name, module.default as Handler);
}

function notFound(name: string): Response {
  return new Response(JSON.stringify({ error: { code: 'function_not_found', message: `No function named ${name}.` } }), {
    status: 404,
    headers: { 'content-type': 'application/json' },
  });
}

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 0),
    onListen: ({ port }) => console.log(JSON.stringify({ listening: port, functions: [...handlers.keys()].sort() })),
  },
  (request) => {
    const name = new URL(request.url).pathname.split('/')[1] ?? '';
    const handler = handlers.get(name);
    return handler ? handler(request) : notFound(name);
  },
);
