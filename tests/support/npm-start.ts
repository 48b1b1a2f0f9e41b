// `npm start -- --browser` as a newcomer runs it, for the e2e specs that drive the whole local stack:
// every port free, its own process group (so Ctrl+C goes to the group, as a terminal sends it), its
// output read either as the human lines (`--pretty`) or as one JSON record a line (`--json`).
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from '@playwright/test';
import pg from 'pg';

export interface RunningStart {
  child: ChildProcess;
  output(): string;
  /** A URL of the ready summary, by its label ("Proctor panel", "Postgres (local only)", …). */
  url(label: string): string;
  /** Ctrl+C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function npmStart(options: { dataDir: string; mode: 'pretty' | 'json'; readyTimeoutMs?: number }): Promise<RunningStart> {
  const ports = ['SUPABASE_PORT', 'PROXY_PORT', 'EMULATOR_PORT', 'KIOSK_PORT', 'PROCTOR_PORT', 'REVIEW_PORT'];
  const child = spawn('npm', ['start', '--', '--browser', `--${options.mode}`], {
    env: { ...process.env, KIOSK_LOCAL_DIR: options.dataDir, ...Object.fromEntries(ports.map((name) => [name, '0'])) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': npm may exit on the signal before start.ts has finished stopping; the output
  // pipe closes only once every process of the group that holds it is gone.
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const stop = async () => {
    process.kill(-child.pid!, 'SIGINT');
    return exited;
  };
  const records = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { name?: string; msg?: string; urls?: Record<string, string> });
  const ready = () =>
    options.mode === 'pretty' ? /INFO \(start\): ready/.test(output) : records().some((record) => record.name === 'start' && record.msg === 'ready');
  try {
    await expect.poll(ready, { timeout: options.readyTimeoutMs ?? 180_000, message: 'npm start did not say it was ready' }).toBe(true);
  } catch (error) {
    // Never leave a half-started stack (Postgres, functions, worker) behind a failed test.
    await Promise.race([stop(), new Promise((done) => setTimeout(done, 15_000))]);
    throw error;
  }
  return {
    child,
    output: () => output,
    url(label) {
      if (options.mode === 'json') {
        const value = records().find((record) => record.msg === 'ready')!.urls![label];
        if (!value) throw new Error(`npm start's ready record has no "${label}":\n${output}`);
        return value;
      }
      const match = new RegExp(`${label.replace(/[()]/g, '\\$&')}\\s+(\\S+)`).exec(output);
      if (!match) throw new Error(`npm start printed no "${label}" line:\n${output}`);
      return match[1]!;
    },
    stop,
  };
}

/** One query on the stack's Postgres, with a connection of its own. */
export async function queryPostgres<Row extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}
