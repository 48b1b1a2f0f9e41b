// Renders build/icon.svg to the 1024 px PNG that electron-builder turns into the .icns, .ico and Linux
// icons at package time, so no binary icon is kept in git. Run by `npm run dist`.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderedIconPath } from '../electron-builder';

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const iconSourcePath = resolve(projectDir, 'build/icon.svg');
/** electron-builder wants at least 512 px for macOS and 256 px for Windows; 1024 serves Retina docks. */
export const iconSize = 1024;

export interface RenderedIcon {
  png: Buffer;
  width: number;
  height: number;
  /** RGBA, row by row. */
  pixels: Buffer;
}

export function renderIcon(svg: string, size = iconSize): RenderedIcon {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render();
  return { png: image.asPng(), width: image.width, height: image.height, pixels: image.pixels };
}

function main(): void {
  const target = resolve(projectDir, process.argv[2] ?? renderedIconPath);
  const icon = renderIcon(readFileSync(iconSourcePath, 'utf8'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, icon.png);
  console.log(`icon: ${icon.width}×${icon.height} PNG, ${icon.png.length} bytes → ${target}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
