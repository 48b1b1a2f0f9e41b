import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { npmCommand, packageBin } from '../../../scripts/child-commands';

describe('child commands of the start script', () => {
  it('runs a tool’s own bin script with this Node, never through an npx shim', () => {
    const build = packageBin('electron-vite', ['build']);
    expect(build.command).toBe(process.execPath);
    expect(build.args[0]).toMatch(/node_modules[\\/]electron-vite[\\/]bin[\\/]electron-vite\.js$/);
    expect(build.args.slice(1)).toEqual(['build']);
    expect(build.shell).toBe(false);
    // It really starts: the resolved script answers --version like `npx electron-vite --version`.
    const version = spawnSync(build.command, [build.args[0]!, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
  });

  it('picks a named bin of a package with several (electron-builder install-app-deps)', () => {
    expect(packageBin('electron-builder', [], { bin: 'install-app-deps' }).args[0]).toMatch(/install-app-deps\.js$/);
    expect(() => packageBin('electron-builder', [], { bin: 'nope' })).toThrow(/no bin named nope/);
  });

  it('runs npm’s own CLI script under npm start, on Windows too, without a shell', () => {
    const env = { npm_execpath: 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js' };
    expect(npmCommand(['rebuild', 'better-sqlite3'], { env, platform: 'win32', nodePath: 'node.exe' })).toEqual({
      command: 'node.exe',
      args: [env.npm_execpath, 'rebuild', 'better-sqlite3'],
      shell: false,
    });
  });

  it('falls back to the npm shim outside npm: through a shell only on Windows, where .cmd needs one', () => {
    expect(npmCommand(['rebuild'], { env: {}, platform: 'win32' })).toEqual({ command: 'npm.cmd', args: ['rebuild'], shell: true });
    expect(npmCommand(['rebuild'], { env: {}, platform: 'linux' })).toEqual({ command: 'npm', args: ['rebuild'], shell: false });
    // pnpm or yarn put a non-JS launcher there: not something to run with node.
    expect(npmCommand(['rebuild'], { env: { npm_execpath: '/usr/bin/pnpm' }, platform: 'linux' }).command).toBe('npm');
  });
});
