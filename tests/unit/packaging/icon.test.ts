import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'electron-builder';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderedIconPath } from '../../../electron-builder';
import { iconSize, iconSourcePath, renderIcon } from '../../../scripts/render-icon';

const projectDir = resolve(import.meta.dirname, '../../..');

function alphaAt(pixels: Buffer, width: number, x: number, y: number): number {
  return pixels[(y * width + x) * 4 + 3] ?? -1;
}

describe('app icon', () => {
  const icon = renderIcon(readFileSync(iconSourcePath, 'utf8'));

  it('renders the SVG to a square PNG large enough for every platform', () => {
    expect(icon.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height as big-endian integers right after the chunk type.
    expect([icon.png.readUInt32BE(16), icon.png.readUInt32BE(20)]).toEqual([iconSize, iconSize]);
    expect(iconSize).toBeGreaterThanOrEqual(512);
  });

  it('draws a tile with transparent margins, so macOS and Linux docks show its shape', () => {
    expect(alphaAt(icon.pixels, icon.width, 10, 10)).toBe(0);
    expect(alphaAt(icon.pixels, icon.width, icon.width - 10, icon.height - 10)).toBe(0);
    expect(alphaAt(icon.pixels, icon.width, icon.width / 2, icon.height / 2)).toBe(255);
  });

  it('rejects a source that is not SVG', () => {
    expect(() => renderIcon('<html>not an icon</html>')).toThrow();
  });

  it('is what every installer points at, rendered before electron-builder runs', async () => {
    const config = (await getConfig(projectDir, null, null)) as Configuration;
    expect([config.linux?.icon, config.win?.icon, config.mac?.icon]).toEqual([renderedIconPath, renderedIconPath, renderedIconPath]);
    const dist = (JSON.parse(readFileSync(resolve(projectDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts.dist ?? '';
    expect(dist.indexOf('scripts/render-icon.ts')).toBeGreaterThan(-1);
    expect(dist.indexOf('scripts/render-icon.ts')).toBeLessThan(dist.indexOf('electron-builder'));
    // The rendered file is a build output: git must not be asked to keep it.
    expect(readFileSync(resolve(projectDir, '.gitignore'), 'utf8')).toMatch(new RegExp(`^${renderedIconPath.split('/')[0]}/$`, 'm'));
  });
});
