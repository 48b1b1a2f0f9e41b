// How the start script runs npm and the project's own tools as child processes on every OS. On Windows
// `npm` and `npx` are `.cmd` shims: spawn() without a shell cannot start them (ENOENT; since Node's fix
// for CVE-2024-27980 a `.cmd` without `shell: true` is refused with EINVAL), and a shell would re-parse
// the arguments. Running each tool's JavaScript entry with this Node needs neither.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ChildCommand {
  command: string;
  args: string[];
  /** Only for the last-resort npm shim on Windows, where nothing else can start it. */
  shell: boolean;
}

/** A package's bin script run by this Node: `electron-vite build` → node …/bin/electron-vite.js build. */
export function packageBin(pkg: string, args: string[], options: { from?: string; bin?: string; nodePath?: string } = {}): ChildCommand {
  const require = createRequire(join(options.from ?? process.cwd(), 'package.json'));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[options.bin ?? pkg];
  if (!bin) throw new Error(`${pkg} has no bin named ${options.bin ?? pkg}`);
  return { command: options.nodePath ?? process.execPath, args: [join(dirname(manifestPath), bin), ...args], shell: false };
}

/**
 * npm itself. Under `npm start` npm names its own CLI script in `npm_execpath`, which this Node runs
 * directly; outside npm, `npm` on PATH (a shell on Windows, for its `.cmd` shim).
 */
export function npmCommand(args: string[], context: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform; nodePath?: string }): ChildCommand {
  const cli = context.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli)) return { command: context.nodePath ?? process.execPath, args: [cli, ...args], shell: false };
  const windows = context.platform === 'win32';
  return { command: windows ? 'npm.cmd' : 'npm', args, shell: windows };
}
