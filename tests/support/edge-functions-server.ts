// Runs every edge function in one real Deno process (supabase/functions/_local/router.ts imports each
// function's index.ts). npm packages are cached in node_modules/.cache/deno (or DENO_DIR), so only the
// first run on a machine downloads them.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { denoBinary } from '../../scripts/deno-binary';

export interface EdgeFunctionsServer {
  /** Base URL; a function is served at `${url}/<name>`. */
  url: string;
  functions: string[];
  /** Recent stdout/stderr lines of the Deno process (one JSON line per request). */
  logs: string[];
  stop(): Promise<void>;
}

// A Deno child outlives a crashed test process unless it is told to go.
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export const denoCacheDir = resolve(process.env.DENO_DIR ?? 'node_modules/.cache/deno');

export async function startEdgeFunctions(env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<EdgeFunctionsServer> {
  mkdirSync(denoCacheDir, { recursive: true });
  const child: ChildProcess = spawn(
    denoBinary(),
    [
      'run',
      '--quiet',
      '--no-prompt',
      '--config', resolve('supabase/functions/deno.json'),
      '--allow-net', '--allow-env', '--allow-read', '--allow-sys',
      resolve('supabase/functions/_local/router.ts'),
    ],
    {
      env: { ...passThroughEnv(), DENO_DIR: denoCacheDir, NO_COLOR: '1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  const logs: string[] = [];
  const remember = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) logs.push(line);
    }
    if (logs.length > 500) logs.splice(0, logs.length - 500);
  };
  child.stderr!.on('data', remember);

  const ready = await new Promise<{ port: number; functions: string[] }>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Deno did not start the edge functions within ${options.startTimeoutMs ?? 60_000} ms:\n${logs.slice(-20).join('\n')}`));
    }, options.startTimeoutMs ?? 60_000);
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n').slice(0, -1)) {
        try {
          const parsed = JSON.parse(line) as { listening?: number; functions?: string[] };
          if (typeof parsed.listening === 'number') {
            clearTimeout(timer);
            child.stdout!.off('data', onData);
            child.stdout!.on('data', remember);
            resolveReady({ port: parsed.listening, functions: parsed.functions ?? [] });
            return;
          }
        } catch {
          // Not the readiness line.
        }
        logs.push(line);
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Deno exited (code ${code}, signal ${signal}) before serving the edge functions:\n${logs.slice(-20).join('\n')}`));
    });
  });

  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    functions: ready.functions,
    logs,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (exited) return resolveStop();
        const force = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(force);
          resolveStop();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Only what Deno needs to reach the npm registry; the functions see nothing else of this process's env. */
export function passThroughEnv(): Record<string, string> {
  const names = [
    'PATH', 'HOME', 'TMPDIR', 'NPM_CONFIG_REGISTRY', 'npm_config_registry',
    'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy',
    // A machine behind a TLS-inspecting proxy trusts its CA through these; Deno reads NODE_EXTRA_CA_CERTS too.
    'DENO_CERT', 'DENO_TLS_CA_STORE', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  ];
  return Object.fromEntries(names.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]!]));
}
