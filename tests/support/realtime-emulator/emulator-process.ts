// Starts the realtime emulator in a child process (cli.ts) and hands back where it listens. Scripted
// failures and call records are only available in-process (startRealtimeEmulator).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface EmulatorProcess {
  baseUrl: string;
  apiKey: string;
  pid: number;
  stop(): Promise<void>;
}

export async function spawnRealtimeEmulator(options: { peer?: boolean; port?: number; paceMs?: number } = {}): Promise<EmulatorProcess> {
  const args = ['--import', 'tsx', fileURLToPath(new URL('./cli.ts', import.meta.url))];
  if (options.peer === false) args.push('--no-peer');
  if (options.port !== undefined) args.push('--port', String(options.port));
  if (options.paceMs !== undefined) args.push('--pace', String(options.paceMs));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));
  const ready = await new Promise<{ baseUrl: string; apiKey: string }>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the emulator process did not start in 15 s')), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n')[0];
      if (text.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { baseUrl: string; apiKey: string });
      }
    });
    void exited.then(() => reject(new Error('the emulator process exited before it was ready')));
  });
  return {
    ...ready,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
