// CI cannot run Docker here, so this runs what the image's build stage runs (`npm run build --workspace
// proxy`, the esbuild bundle) and starts the bundle as the runtime stage's CMD does.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployedNodeFlags } from '../../support/proxy-process';

const dockerfile = readFileSync(resolve('proxy/Dockerfile'), 'utf8');

describe('proxy/Dockerfile', () => {
  it('builds and runs every stage on Node 24 LTS', () => {
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]);
    expect(bases).toHaveLength(3);
    for (const base of bases) expect(base).toMatch(/^node:24[-.]/);
    expect(JSON.parse(readFileSync(resolve('proxy/package.json'), 'utf8')).scripts.build).toContain('--target=node24');
  });

  it('the build stage command bundles the proxy, and the bundle starts as CMD runs it', () => {
    expect(dockerfile).toContain('RUN npm run build --workspace proxy');
    const build = spawnSync('npm', ['run', 'build', '--workspace', 'proxy'], { encoding: 'utf8', timeout: 60_000 });
    expect(build.status, build.stderr).toBe(0);
    // Without its settings the bundled server must stop with the config line, which proves it loaded.
    const cmd = JSON.parse(/^CMD\s+(\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd).toEqual(['node', ...deployedNodeFlags, 'dist/server.mjs']);
    const run = spawnSync(process.execPath, [...deployedNodeFlags, resolve('proxy/dist/server.mjs')], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^sdp-proxy: configuration error: TENANT_ID is required but not set/);
  });
});
