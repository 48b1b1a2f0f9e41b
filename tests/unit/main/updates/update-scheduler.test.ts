// The scheduler driving the real electron-updater (its Linux AppImage updater and generic provider)
// against a real HTTP feed laid out as electron-builder publishes it. Only Electron's own pieces are
// replaced: its `app` (an AppAdapter) and its `net` stack (Node's http), plus the final quit-and-install,
// which would restart the process.
import electronUpdater, { type AppUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type ClientRequest, type RequestOptions, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UpdateChannel } from '../../../../src/main/updates/update-policy';
import {
  createUpdateScheduler,
  type SchedulerClock,
  type UpdateScheduler,
  type UpdaterPort,
} from '../../../../src/main/updates/update-scheduler';
import { createQuitGuard } from '../../../../src/main/lockdown/quit-guard';

// Compile-time proof that electron-updater's AppUpdater fits the port the composition root hands in.
const _fits: (updater: AppUpdater) => UpdaterPort = (updater) => updater;
void _fits;

const minute = 60_000;
const timing = { checkIntervalMs: 240 * minute, busyRetryMs: minute, quietPeriodMs: 5 * minute };

/** Timers that fire only when the test moves time on. */
function manualClock(start = Date.UTC(2026, 10, 27, 8)): SchedulerClock & { advance(ms: number): void; pending(): number } {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout(run, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now && timers.delete(id)) timer.run();
      }
    },
    pending: () => timers.size,
  };
}

/** Lets async work (HTTP, file writes) finish while firing timers that are due now. */
async function settle(clock: ReturnType<typeof manualClock>, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('scheduler did not settle');
    clock.advance(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** electron-updater's HTTP client with Electron's `net` swapped for Node's http, which speaks the same protocol. */
class NodeFeedClient extends ElectronHttpExecutor {
  override createRequest(options: RequestOptions, callback: (response: unknown) => void): ReturnType<ElectronHttpExecutor['createRequest']> {
    const sent: ClientRequest = request(options, callback);
    return sent as unknown as ReturnType<ElectronHttpExecutor['createRequest']>;
  }
}

// --- the feed: what `electron-builder --publish` leaves in the update folder after three releases ----------

let dir: string;
let server: Server;
let feedUrl: string;
const requested: string[] = [];
const artefacts = new Map<string, Buffer>();

function release(version: string): string {
  const file = `Interview-Kiosk-${version}.AppImage`;
  const bytes = Buffer.from(`kiosk build ${version}\n`.repeat(64));
  artefacts.set(file, bytes);
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  return [
    `version: ${version}`,
    'files:',
    `  - url: ${file}`,
    `    sha512: ${sha512}`,
    `    size: ${bytes.length}`,
    `path: ${file}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-11-20T10:00:00.000Z'",
    '',
  ].join('\n');
}

const feed = new Map<string, string>();
/** While set, downloads of builds wait for it: lets a test start an interview mid-download. */
let artefactGate: Promise<void> | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-updates-'));
  // Stable 1.5.0, then beta 1.6.0-beta.1, then internal 1.7.0-alpha.2: the cascade electron-builder writes.
  feed.set('/latest-linux.yml', release('1.5.0'));
  feed.set('/beta-linux.yml', release('1.6.0-beta.1'));
  feed.set('/alpha-linux.yml', release('1.7.0-alpha.2'));
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://feed').pathname;
    requested.push(path);
    const yml = feed.get(path);
    const bytes = artefacts.get(path.slice(1));
    if (yml !== undefined) res.writeHead(200, { 'content-type': 'text/yaml' }).end(yml);
    else if (bytes !== undefined) {
      void (artefactGate ?? Promise.resolve()).then(() => res.writeHead(200, { 'content-length': bytes.length }).end(bytes));
    }
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  writeFileSync(join(dir, 'current.AppImage'), 'installed build');
  vi.stubEnv('APPIMAGE', join(dir, 'current.AppImage'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

// --- a kiosk: real AppImageUpdater, with Electron's app and net stand-ins -------------------------------------

interface Kiosk {
  updater: AppUpdater;
  scheduler: UpdateScheduler;
  clock: ReturnType<typeof manualClock>;
  install: ReturnType<typeof vi.fn>;
  interview: { running: boolean };
  /** The locked kiosk's PIN quit guard, with its update permit handed to the scheduler. */
  guard: ReturnType<typeof createQuitGuard>;
}

const started: UpdateScheduler[] = [];
afterEach(() => {
  for (const scheduler of started.splice(0)) scheduler.stop();
  requested.length = 0;
});

function kiosk(installedVersion: string, channel: UpdateChannel, interviewRunning = false): Kiosk {
  const home = mkdtempSync(join(dir, 'kiosk-'));
  const configPath = join(home, 'app-update.yml');
  // The file electron-builder writes into the packaged app from the `publish` configuration.
  writeFileSync(configPath, `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: interview-kiosk-updater\n`);
  const app: AppAdapter = {
    version: installedVersion,
    name: 'Interview Kiosk',
    isPackaged: true,
    appUpdateConfigPath: configPath,
    userDataPath: home,
    baseCachePath: home,
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => {},
    onQuit: () => {},
  };
  const updater = new electronUpdater.AppImageUpdater(undefined, app);
  (updater as unknown as { httpExecutor: unknown }).httpExecutor = new NodeFeedClient();
  updater.logger = null;
  updater.disableDifferentialDownload = true;
  // Restarting into the new build ends the process: record the call instead.
  const install = vi.fn();
  updater.quitAndInstall = install;
  const interview = { running: interviewRunning };
  const clock = manualClock();
  const guard = createQuitGuard(true);
  const scheduler = createUpdateScheduler({
    autoUpdater: updater,
    channel,
    isInterviewRunning: () => interview.running,
    clock,
    timing,
    firstCheckDelayMs: minute,
    quitPermit: guard.updatePermit(),
  });
  started.push(scheduler);
  return { updater, scheduler, clock, install, interview, guard };
}

describe('update scheduler with electron-updater', () => {
  it('reads the feed file of the tenant ring and downloads that build', async () => {
    for (const [channel, file, version] of [
      ['stable', '/latest-linux.yml', '1.5.0'],
      ['beta', '/beta-linux.yml', '1.6.0-beta.1'],
      ['internal', '/alpha-linux.yml', '1.7.0-alpha.2'],
    ] as const) {
      requested.length = 0;
      const k = kiosk('1.4.0', channel);
      k.scheduler.start();
      k.clock.advance(minute);
      await settle(k.clock, () => k.scheduler.state().phase === 'ready');
      expect(requested[0]).toBe(file);
      expect(requested).toContain(`/Interview-Kiosk-${version}.AppImage`);
      expect(k.scheduler.state().readyVersion).toBe(version);
      k.scheduler.stop();
    }
  });

  it('does not contact the feed at all while an interview runs, and checks once it ends', async () => {
    const k = kiosk('1.4.0', 'stable', true);
    k.scheduler.start();
    for (let i = 0; i < 30; i += 1) k.clock.advance(minute);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requested).toEqual([]);
    expect(k.scheduler.state().lastCheckAt).toBeNull();

    k.interview.running = false;
    k.scheduler.interviewEnded();
    await settle(k.clock, () => k.scheduler.state().phase === 'ready');
    expect(requested[0]).toBe('/latest-linux.yml');
  });

  it('never installs while an interview runs; installs after it ends and the kiosk stays quiet', async () => {
    const k = kiosk('1.4.0', 'stable');
    k.scheduler.start();
    k.clock.advance(minute);
    await settle(k.clock, () => k.scheduler.state().phase === 'ready');
    // Downloaded at once because no interview had run since start: the install follows immediately.
    await settle(k.clock, () => k.install.mock.calls.length > 0);
    expect(k.install).toHaveBeenCalledWith(true, true);
    expect(k.scheduler.state().phase).toBe('installing');
  });

  it('does not start a download when an interview begins while the feed answers', async () => {
    const k = kiosk('1.4.0', 'stable');
    let markBusy = false;
    const check = k.updater.checkForUpdates.bind(k.updater);
    k.updater.checkForUpdates = async () => {
      const result = await check();
      if (markBusy) k.interview.running = true;
      return result;
    };
    markBusy = true;
    k.scheduler.start();
    k.clock.advance(minute);
    await settle(k.clock, () => requested.length > 0 && k.scheduler.state().phase === 'idle');
    expect(requested).toEqual(['/latest-linux.yml']);
    // Forgotten, so the next look between interviews checks again at once.
    expect(k.scheduler.state().lastCheckAt).toBeNull();
    markBusy = false;
    k.interview.running = false;
    k.scheduler.interviewEnded();
    await settle(k.clock, () => k.scheduler.state().phase === 'ready');
  });

  it('holds an update downloaded during an interview until it ends and the quiet period passes', async () => {
    const k = kiosk('1.4.0', 'beta');
    let open: () => void = () => {};
    artefactGate = new Promise((resolve) => (open = resolve));
    try {
      k.scheduler.start();
      k.clock.advance(minute);
      await settle(k.clock, () => requested.includes('/Interview-Kiosk-1.6.0-beta.1.AppImage'));
      expect(k.scheduler.state().phase).toBe('downloading');
      k.interview.running = true;
      open();
      await settle(k.clock, () => k.scheduler.state().phase === 'ready');
    } finally {
      artefactGate = null;
    }
    for (let i = 0; i < 90; i += 1) k.clock.advance(minute);
    expect(k.install).not.toHaveBeenCalled();

    k.interview.running = false;
    k.scheduler.interviewEnded();
    k.clock.advance(4 * minute);
    expect(k.install).not.toHaveBeenCalled();
    k.clock.advance(minute);
    expect(k.install).toHaveBeenCalledTimes(1);
    expect(k.install).toHaveBeenCalledWith(true, true);
  });

  it('does not pull a beta kiosk back to an older stable build', async () => {
    const k = kiosk('1.6.0-beta.3', 'beta');
    // The stable hotfix landed after this beta, so beta-linux.yml now names it.
    feed.set('/beta-linux.yml', release('1.5.1'));
    try {
      k.scheduler.start();
      expect(k.updater.allowDowngrade).toBe(false);
      k.clock.advance(minute);
      await settle(k.clock, () => k.scheduler.state().lastCheckAt !== null && k.scheduler.state().phase === 'idle');
      expect(requested).toEqual(['/beta-linux.yml']);
      expect(k.scheduler.state().readyVersion).toBeNull();
    } finally {
      feed.set('/beta-linux.yml', release('1.6.0-beta.1'));
    }
  });

  it('brings a kiosk whose tenant left the beta ring back to the stable build', async () => {
    const k = kiosk('1.6.0-beta.3', 'stable');
    k.scheduler.start();
    expect(k.updater.allowDowngrade).toBe(true);
    k.clock.advance(minute);
    await settle(k.clock, () => k.scheduler.state().phase === 'ready');
    expect(k.scheduler.state().readyVersion).toBe('1.5.0');
  });

  it('keeps going after the feed fails, and tries again at the next interval', async () => {
    const k = kiosk('1.4.0', 'stable');
    const saved = feed.get('/latest-linux.yml')!;
    feed.delete('/latest-linux.yml');
    try {
      k.scheduler.start();
      k.clock.advance(minute);
      await settle(k.clock, () => k.scheduler.state().lastError !== null);
      expect(k.scheduler.state()).toMatchObject({ phase: 'idle', lastError: { code: 'UPDATE_CHECK_FAILED' } });
    } finally {
      feed.set('/latest-linux.yml', saved);
    }
    requested.length = 0;
    k.clock.advance(timing.checkIntervalMs - 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(requested).toEqual([]);
    k.clock.advance(1);
    await settle(k.clock, () => k.scheduler.state().phase === 'ready');
    expect(k.scheduler.state().lastError).toBeNull();
  });

  it('lets the install past the PIN quit guard only from the moment it restarts to install', async () => {
    const k = kiosk('1.4.0', 'stable');
    const guardWhenInstalling: Array<string | null> = [];
    k.install.mockImplementation(() => guardWhenInstalling.push(k.guard.permit()));
    k.scheduler.start();
    k.clock.advance(minute);
    await settle(k.clock, () => k.scheduler.state().phase === 'ready');
    // Downloaded and waiting: a quit now (Cmd+Q, the tray) still needs the PIN.
    expect(k.guard.mayQuit()).toBe(false);
    await settle(k.clock, () => k.install.mock.calls.length > 0);
    expect(guardWhenInstalling).toEqual(['update']);
    expect(k.guard.mayQuit()).toBe(true);
  });

  it('withdraws the update permit when the install fails, so quitting needs the PIN again', async () => {
    const k = kiosk('1.4.0', 'stable');
    k.install.mockImplementation(() => {
      throw new Error('installer missing');
    });
    k.scheduler.start();
    k.clock.advance(minute);
    await settle(k.clock, () => k.install.mock.calls.length > 0);
    expect(k.guard.permit()).toBeNull();
  });

  it('stays ready and reports a coded error when the installer cannot start', async () => {
    const k = kiosk('1.4.0', 'stable');
    k.install.mockImplementation(() => {
      throw new Error('installer missing');
    });
    k.scheduler.start();
    k.clock.advance(minute);
    await settle(k.clock, () => k.install.mock.calls.length > 0);
    expect(k.scheduler.state()).toMatchObject({
      phase: 'ready',
      readyVersion: '1.5.0',
      lastError: { code: 'UPDATE_INSTALL_FAILED', message: 'installer missing' },
    });
    k.install.mockReset();
    k.clock.advance(timing.checkIntervalMs);
    expect(k.install).toHaveBeenCalledTimes(1);
  });

  it('leaves installs on quit and automatic downloads off, and stops cleanly', () => {
    const k = kiosk('1.4.0', 'stable');
    k.scheduler.start();
    expect(k.updater.autoInstallOnAppQuit).toBe(false);
    expect(k.updater.autoDownload).toBe(false);
    expect(k.updater.channel).toBe('latest');
    k.scheduler.stop();
    expect(k.clock.pending()).toBe(0);
    k.clock.advance(10 * timing.checkIntervalMs);
    expect(requested).toEqual([]);
  });
});
