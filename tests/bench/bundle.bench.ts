// What the kiosk window downloads and parses before its first screen: the entry script, the modules it
// preloads and its stylesheet, gzipped, from a fresh production build. The browser-host bridge and the
// later screens are lazy chunks and do not count.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Benchmark } from './bench-kit';

const TARGET_KB = 250;
const rendererDir = resolve('out/renderer');

function initialAssets(page: string): { scripts: string[]; styles: string[] } {
  const html = readFileSync(join(rendererDir, page), 'utf8');
  const attr = (pattern: RegExp) => [...html.matchAll(pattern)].map((match) => match[1]!);
  return {
    scripts: [...attr(/<script[^>]*type="module"[^>]*src="([^"]+)"/g), ...attr(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)],
    styles: attr(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g),
  };
}

const gzippedKb = (files: string[]) => files.reduce((sum, file) => sum + gzipSync(readFileSync(join(rendererDir, file))).byteLength, 0) / 1024;

const benchmark: Benchmark = {
  title: 'renderer bundle',
  async run() {
    const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('electron-vite build failed');
    const { scripts, styles } = initialAssets('index.html');
    if (scripts.length === 0) throw new Error('found no entry script in out/renderer/index.html');
    const js = gzippedKb(scripts);
    return [
      { name: 'kiosk window initial JS (gzipped)', value: js, unit: 'KB', target: `≤ ${TARGET_KB} KB`, met: js <= TARGET_KB },
      { name: 'kiosk window initial CSS (gzipped)', value: gzippedKb(styles), unit: 'KB', target: 'report', met: true },
    ];
  },
};

export default benchmark;
