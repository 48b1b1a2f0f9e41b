// The installers cannot be built here (electron-builder downloads Electron), so this suite checks the
// configuration the way electron-builder itself reads, validates and applies it.
import { FuseV1Options, FuseVersion, getCurrentFuseWire, flipFuses } from '@electron/fuses';
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants.js';
import { PlatformPackager } from 'app-builder-lib';
import * as fileMatcherModule from 'app-builder-lib/out/fileMatcher.js';
import type { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { mkdtempSync, readdirSync, readFileSync, rmSync, type Stats, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedChannelFor, updateChannelSchema } from '../../../src/main/updates/update-policy';

const projectDir = resolve(import.meta.dirname, '../../..');
const testBuildConfigFile = 'electron-builder.test-build.ts';

let release: Configuration;
let testBuild: Configuration;

beforeAll(async () => {
  // No path given: electron-builder must find the release configuration on its own, as `npm run dist` does.
  release = (await getConfig(projectDir, null, null)) as Configuration;
  testBuild = (await getConfig(projectDir, testBuildConfigFile, null)) as Configuration;
});

function targetNames(targets: unknown): string[] {
  const list = Array.isArray(targets) ? targets : [targets];
  return list.map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
}

describe('electron-builder configuration', () => {
  it('is found by electron-builder without a --config flag and passes its schema', async () => {
    expect(release.appId).toBe('app.interviewkiosk.kiosk');
    await expect(validateConfiguration(release, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration(testBuild, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('has a schema check that would catch a misspelt option', async () => {
    const misspelt = { ...release, linux: { ...release.linux, targets: ['AppImage'] } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/configuration\.linux/);
  });

  it('names the product and builds the installers each OS needs', () => {
    expect(release.productName).toBe('Interview Kiosk');
    expect(release.executableName).toBe('interview-kiosk');
    expect(targetNames(release.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(release.win?.target)).toEqual(['nsis']);
    // dmg to install; zip because that is what electron-updater downloads on macOS.
    expect(targetNames(release.mac?.target).sort()).toEqual(['dmg', 'zip']);
  });

  it('refuses to start on a macOS older than the bundled Electron supports, and the docs say the same', () => {
    // Electron's own README lists its platforms: "macOS (Ventura and up)" for Electron 45.
    const readme = readFileSync(join(projectDir, 'node_modules/electron/README.md'), 'utf8');
    const named = /\* macOS \((\w+) and up\)/.exec(readme)?.[1];
    const releases: Record<string, string> = { 'Big Sur': '11.0', Monterey: '12.0', Ventura: '13.0', Sonoma: '14.0', Sequoia: '15.0', Tahoe: '26.0' };
    expect(named && releases[named]).toBe(release.mac?.minimumSystemVersion);
    const major = release.mac?.minimumSystemVersion?.split('.')[0];
    expect(readFileSync(join(projectDir, 'docs/operator.md'), 'utf8')).toContain(`| macOS ${major} or later |`);
  });

  it('turns off file:// extra privileges, which only matter to pages loaded from file://, and loads none', () => {
    expect(release.electronFuses?.grantFileProtocolExtraPrivileges).toBe(false);
    const mainSources = readdirSync(join(projectDir, 'src/main'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    for (const file of mainSources) {
      const text = readFileSync(join(projectDir, 'src/main', file), 'utf8');
      expect(text, file).not.toMatch(/\.loadFile\(|loadURL\(\s*['"`]file:/);
    }
  });

  it('asks macOS for camera and microphone with usage strings and matching entitlements', () => {
    const info = release.mac?.extendInfo as Record<string, string>;
    expect(info.NSCameraUsageDescription).toMatch(/\w{3,}.*\w{3,}/);
    expect(info.NSMicrophoneUsageDescription).toMatch(/\w{3,}.*\w{3,}/);
    expect(release.mac?.hardenedRuntime).toBe(true);

    const plist = readFileSync(join(projectDir, release.mac?.entitlements ?? 'missing'), 'utf8');
    expect(plist).toContain('<!DOCTYPE plist');
    const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]).sort();
    expect(granted).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.device.audio-input',
      'com.apple.security.device.camera',
    ]);
    expect(release.mac?.entitlementsInherit).toBe(release.mac?.entitlements);
  });

  it('rebuilds better-sqlite3 for Electron and keeps its addon outside the archive', () => {
    expect(release.npmRebuild).toBe(true);
    expect(release.buildDependenciesFromSource).toBe(false);
    const unpack = matchers('asarUnpack');
    expect(unpack('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpack('node_modules/better-sqlite3/lib/database.js')).toBe(false);
    expect(unpack('out/main/index.js')).toBe(false);
  });

  it('packs only the built app: out/** without source maps, plus package.json', () => {
    const include = mainFileFilter();
    const candidates = [
      ...walk(projectDir),
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index.js',
      'out/main/index.js.map',
      '.env',
    ];
    const packed = candidates.filter((file) => include(file)).sort();
    expect(packed).toEqual(
      ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/assets/index.js', 'out/renderer/index.html', 'package.json'].sort(),
    );
  });

  it('publishes to a generic feed with the alpha ⊂ beta ⊂ latest files every tenant ring reads', () => {
    const publish = (Array.isArray(release.publish) ? release.publish : [release.publish]) as Array<{ provider: string; url: string }>;
    expect(publish).toHaveLength(1);
    expect(publish[0]?.provider).toBe('generic');
    expect(publish[0]?.url).toMatch(/^https:\/\//);
    expect(release.generateUpdatesFilesForAllChannels).toBe(true);
    expect(release.detectUpdateChannel).toBe(true);
    // Artefact names become feed URLs: no spaces.
    for (const name of [release.artifactName, release.nsis?.artifactName]) expect(name).toMatch(/^[\w.${}-]+$/);
    // electron-builder only cascades these three names; a ring mapped elsewhere would never get stable builds.
    for (const ring of updateChannelSchema.options) expect(['alpha', 'beta', 'latest']).toContain(feedChannelFor(ring));
  });

  it('installs per user on Windows and registers start at login, kept across updates', () => {
    expect(release.nsis?.perMachine).toBe(false);
    const include = readFileSync(join(projectDir, release.nsis?.include ?? 'missing'), 'utf8');
    const install = /!macro customInstall\b([\s\S]*?)!macroend/.exec(include)?.[1] ?? '';
    const uninstall = /!macro customUnInstall\b([\s\S]*?)!macroend/.exec(include)?.[1] ?? '';
    expect(install).toMatch(/WriteRegStr HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Run"/);
    expect(uninstall).toMatch(/\$\{ifNot\} \$\{isUpdated\}[\s\S]*DeleteRegValue HKCU/);
  });

  it('keeps the test build apart: never published, its own app id and output', () => {
    expect(testBuild.publish).toBeNull();
    expect(testBuild.appId).not.toBe(release.appId);
    expect(testBuild.directories?.output).not.toBe(release.directories?.output);
    // Electron's data folder (tenant config, outbox) is named after package.json's name.
    expect(release.extraMetadata?.name).toBeUndefined();
    expect(testBuild.extraMetadata?.name).toBe('interview-kiosk-test-build');
  });
});

describe('fuses', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-fuses-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A stand-in for Electron's binary at the only place fuses touch it: the sentinel and the fuse wire,
   * laid out as Electron ships them (RunAsNode, NODE_OPTIONS, inspect and file:// privileges on).
   */
  function electronStandIn(name: string): string {
    const shipped = [
      FuseState.ENABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE,
      FuseState.DISABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.ENABLE,
    ];
    const wire = Buffer.from([Number(FuseVersion.V1), shipped.length, ...shipped]);
    const file = join(dir, name);
    writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), wire, Buffer.alloc(4096, 7)]));
    return file;
  }

  async function flipAsElectronBuilderDoes(config: Configuration, binary: string): Promise<Record<string, FuseState>> {
    // electron-builder's own translation of `electronFuses` into @electron/fuses' wire config.
    const generate = (PlatformPackager.prototype as unknown as { generateFuseConfig(f: unknown): Promise<Parameters<typeof flipFuses>[1]> })
      .generateFuseConfig;
    await flipFuses(binary, await generate(config.electronFuses));
    const wire = await getCurrentFuseWire(binary);
    return Object.fromEntries(
      Object.keys(FuseV1Options)
        .filter((key) => Number.isNaN(Number(key)))
        .map((key) => [key, wire[FuseV1Options[key as keyof typeof FuseV1Options]] as FuseState]),
    );
  }

  it('locks a release binary down: no run-as-node, NODE_OPTIONS or inspector; ASAR integrity; encrypted cookies', async () => {
    const fuses = await flipAsElectronBuilderDoes(release, electronStandIn('release'));
    expect(fuses).toEqual({
      RunAsNode: FuseState.DISABLE,
      EnableCookieEncryption: FuseState.ENABLE,
      EnableNodeOptionsEnvironmentVariable: FuseState.DISABLE,
      EnableNodeCliInspectArguments: FuseState.DISABLE,
      EnableEmbeddedAsarIntegrityValidation: FuseState.ENABLE,
      OnlyLoadAppFromAsar: FuseState.ENABLE,
      LoadBrowserProcessSpecificV8Snapshot: FuseState.DISABLE,
      GrantFileProtocolExtraPrivileges: FuseState.DISABLE,
    });
  });

  it('leaves only the inspector on in the test build, for Playwright', async () => {
    const releaseFuses = await flipAsElectronBuilderDoes(release, electronStandIn('release-2'));
    const testFuses = await flipAsElectronBuilderDoes(testBuild, electronStandIn('test-build'));
    expect(testFuses.EnableNodeCliInspectArguments).toBe(FuseState.ENABLE);
    expect({ ...testFuses, EnableNodeCliInspectArguments: FuseState.DISABLE }).toEqual(releaseFuses);
  });

  it('sets every fuse explicitly, so a new Electron default cannot slip in unnoticed', async () => {
    const generate = (PlatformPackager.prototype as unknown as { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> })
      .generateFuseConfig;
    const wireConfig = await generate(release.electronFuses);
    const fuseCount = Object.keys(FuseV1Options).filter((key) => !Number.isNaN(Number(key))).length;
    for (let index = 0; index < fuseCount; index += 1) expect(typeof wireConfig[index]).toBe('boolean');
  });
});

// --- electron-builder's own file matching, fed the configuration under test ---------------------------

const fakeFile = { isDirectory: () => false, isFile: () => true, isSymbolicLink: () => false } as unknown as Stats;
type FileFilter = (file: string, stat: Stats) => boolean;

function matchers(name: 'asarUnpack'): (file: string) => boolean {
  const found = fileMatcherModule.getFileMatchers(release, name, projectDir, {
    macroExpander: (pattern) => pattern,
    customBuildOptions: {},
    globalOutDir: join(projectDir, 'release'),
    defaultSrc: projectDir,
  });
  const filters = (found ?? []).map((matcher) => matcher.createFilter() as FileFilter);
  return (file) => filters.some((filter) => filter(join(projectDir, file), fakeFile));
}

function mainFileFilter(): (file: string) => boolean {
  const { getMainFileMatchers } = fileMatcherModule as unknown as {
    getMainFileMatchers(...args: unknown[]): FileMatcher[];
  };
  const packagerInfo = {
    projectDir,
    buildResourcesDir: release.directories?.buildResources ?? 'build',
    isPrepackedAppAsar: false,
    config: release,
    debugLogger: new DebugLogger(false),
  };
  const [matcher] = getMainFileMatchers(
    projectDir,
    '/app',
    (pattern: string) => pattern,
    {},
    { info: packagerInfo },
    join(projectDir, 'release'),
    false,
  );
  const filter = matcher!.createFilter() as FileFilter;
  return (file) => filter(join(projectDir, file), fakeFile);
}

const notWalked = new Set(['node_modules', '.git', 'out', 'release', 'dist', '.local', 'test-results', 'playwright-report']);

function walk(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (notWalked.has(entry.name)) return [];
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(root, full) : [relative(root, full)];
  });
}
