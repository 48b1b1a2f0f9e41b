// The processing worker (supabase/functions/_worker/processing-worker.ts) as a real Deno child
// process: started against a stack's database, stopped politely or killed outright (to test a worker
// that dies mid-job).
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { denoBinary } from '../../scripts/deno-binary';
import { denoCacheDir, passThroughEnv } from './edge-functions-server';

export interface ProcessingWorkerProcess {
  /** Its JSON log lines (claimed, done, retry, failed…), newest last. */
  logs: string[];
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** SIGTERM: finishes the job in hand, then exits. */
  stop(): Promise<void>;
  /** SIGKILL: dies where it stands, claims left running. */
  kill(): Promise<void>;
}

const liveWorkers = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveWorkers) child.kill('SIGKILL');
});

/** `env` needs SUPABASE_DB_URL (a login that may `set role service_role`); the rest has defaults. */
export function startProcessingWorker(env: Record<string, string>): ProcessingWorkerProcess {
  const child = spawn(
    denoBinary(),
    [
      'run', '--quiet', '--no-prompt',
      '--config', resolve('supabase/functions/deno.json'),
      '--allow-net', '--allow-env', '--allow-read', '--allow-sys',
      resolve('supabase/functions/_worker/processing-worker.ts'),
    ],
    {
      env: { ...passThroughEnv(), DENO_DIR: denoCacheDir, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  liveWorkers.add(child);
  const logs: string[] = [];
  const remember = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(line);
    if (logs.length > 1000) logs.splice(0, logs.length - 1000);
  };
  child.stdout!.on('data', remember);
  child.stderr!.on('data', remember);
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => {
      liveWorkers.delete(child);
      resolveExit(code);
    }),
  );
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { logs, exited, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}
