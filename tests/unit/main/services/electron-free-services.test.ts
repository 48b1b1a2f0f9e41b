// Services must run under plain Node: no module in src/main/services may reach `electron`,
// directly or through another local module it imports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const servicesDir = resolve('src/main/services');
const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

function reachesElectron(file: string, seen = new Set<string>()): string | null {
  if (seen.has(file)) return null;
  seen.add(file);
  for (const specifier of importsOf(file)) {
    if (specifier === 'electron' || specifier.startsWith('electron/')) return file;
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

describe('main services', () => {
  const files = listFiles(servicesDir);
  it('exist', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it.each(files.map((file) => [file.slice(servicesDir.length + 1), file]))('%s does not import electron', (_name, file) => {
    expect(reachesElectron(file)).toBeNull();
  });
  it('the check itself notices an electron import', () => {
    expect([...`import { app } from 'electron';`.matchAll(importPattern)][0]![1]).toBe('electron');
  });
});
