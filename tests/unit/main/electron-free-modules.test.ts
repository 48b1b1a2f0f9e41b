// Main runs under plain Node except for its Electron glue: no module in src/main outside
// `index.ts` and the `*.electron.ts` files may reach `electron` (or electron-updater, which loads it)
// at run time, directly or through another local module it imports. `import type` is erased by the
// build, so a decision typed with Electron's own option types stays Electron-free.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const mainDir = resolve('src/main');
const importPattern =
  /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const electronRuntime = (specifier: string) => specifier === 'electron' || specifier.startsWith('electron/') || specifier === 'electron-updater';
const isGlue = (file: string) => file.endsWith('.electron.ts') || file === join(mainDir, 'index.ts');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(text: string): string[] {
  return [...text.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4]!);
}

function reachesElectron(file: string, seen = new Set<string>()): string | null {
  if (seen.has(file)) return null;
  seen.add(file);
  for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
    if (electronRuntime(specifier)) return file;
    if (specifier.startsWith('.')) {
      const target = resolve(dirname(file), specifier);
      const candidate = [`${target}.ts`, join(target, 'index.ts')].find((path) => {
        try {
          return statSync(path).isFile();
        } catch {
          return false;
        }
      });
      if (candidate) {
        const hit = reachesElectron(candidate, seen);
        if (hit) return hit;
      }
    }
  }
  return null;
}

describe('main modules outside the Electron glue', () => {
  const files = listFiles(mainDir).filter((file) => !isGlue(file));
  it('exist', () => {
    expect(files.length).toBeGreaterThan(40);
  });
  it.each(files.map((file) => [relative(mainDir, file), file]))('%s does not import electron', (_name, file) => {
    expect(reachesElectron(file)).toBeNull();
  });
  it('the check itself notices an electron import, and one of electron-updater', () => {
    expect(importsOf(`import { app } from 'electron';`).some(electronRuntime)).toBe(true);
    expect(importsOf(`import x from 'a';\nimport electronUpdater from 'electron-updater';`).some(electronRuntime)).toBe(true);
  });
  it('the check lets a type-only import through, since the build erases it', () => {
    expect(importsOf(`import type { Session } from 'electron';`)).toEqual([]);
  });
});
