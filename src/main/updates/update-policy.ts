// When and how the kiosk updates itself: pure decisions, so the rules are tested without Electron.
import { z } from 'zod';
import { KioskError } from '../../shared/kiosk-error';

/** The rollout ring a tenant sits in, as the tenant config names it. */
export const updateChannelSchema = z.enum(['internal', 'beta', 'stable']);
export type UpdateChannel = z.infer<typeof updateChannelSchema>;

/**
 * electron-builder only cascades the feed files alpha ⊂ beta ⊂ latest (a stable release also writes
 * beta.yml and alpha.yml, a beta writes alpha.yml), so our rings ride on those names: internal kiosks
 * get every build, beta kiosks get betas and stable builds, stable kiosks only stable builds.
 */
const feedChannelByRing = { internal: 'alpha', beta: 'beta', stable: 'latest' } as const satisfies Record<
  UpdateChannel,
  string
>;
export type FeedChannel = (typeof feedChannelByRing)[UpdateChannel];

export function feedChannelFor(channel: UpdateChannel): FeedChannel {
  return feedChannelByRing[channel];
}

const stability: Record<UpdateChannel, number> = { internal: 0, beta: 1, stable: 2 };
const semverPattern = /^\d+\.\d+\.\d+(?:-([0-9A-Za-z-]+)(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The ring a build was released to, read from its version's pre-release tag (`1.4.0-beta.2` → beta). */
export function channelOfVersion(version: string): UpdateChannel {
  const match = semverPattern.exec(version);
  if (!match) throw new KioskError('UPDATE_BAD_VERSION', `"${version}" is not a release version (x.y.z[-tag.n]).`);
  const tag = match[1];
  if (tag === undefined) return 'stable';
  if (tag === 'beta') return 'beta';
  // alpha and any unknown tag are treated as the least stable ring, so such a build is never kept by mistake.
  return 'internal';
}

/**
 * electron-updater turns allowDowngrade on whenever a channel is set, which would let a beta kiosk fall
 * back to an older stable build each time a stable hotfix lands after a beta. A downgrade is only
 * right when the installed build is less stable than the tenant's ring, i.e. the tenant left a ring.
 */
export function allowsDowngrade(installedVersion: string, channel: UpdateChannel): boolean {
  return stability[channelOfVersion(installedVersion)] < stability[channel];
}

export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready' | 'installing';

export interface UpdateTiming {
  /** How often to ask the feed while idle. */
  checkIntervalMs: number;
  /** How often to look again while an interview runs. */
  busyRetryMs: number;
  /** Calm needed after the last interview before the app restarts to install. */
  quietPeriodMs: number;
}

export const defaultUpdateTiming: UpdateTiming = {
  checkIntervalMs: 4 * 60 * 60 * 1000,
  busyRetryMs: 60 * 1000,
  quietPeriodMs: 5 * 60 * 1000,
};

export interface UpdateSituation {
  phase: UpdatePhase;
  interviewRunning: boolean;
  now: number;
  lastCheckAt: number | null;
  /** Last moment an interview was seen running, or null if none was since start. */
  lastInterviewAt: number | null;
  timing: UpdateTiming;
}

export type UpdateStep = { kind: 'check' } | { kind: 'install' } | { kind: 'wait'; ms: number };

export function nextUpdateStep(s: UpdateSituation): UpdateStep {
  const { timing } = s;
  if (s.phase === 'checking' || s.phase === 'downloading' || s.phase === 'installing') {
    return { kind: 'wait', ms: timing.busyRetryMs };
  }
  if (s.interviewRunning) return { kind: 'wait', ms: timing.busyRetryMs };
  if (s.phase === 'ready') {
    const calmFor = s.lastInterviewAt === null ? Infinity : s.now - s.lastInterviewAt;
    if (calmFor >= timing.quietPeriodMs) return { kind: 'install' };
    // A clock that stepped back must not stretch the wait beyond one quiet period.
    return { kind: 'wait', ms: Math.min(timing.quietPeriodMs, timing.quietPeriodMs - calmFor) };
  }
  if (s.lastCheckAt === null) return { kind: 'check' };
  const sinceCheck = s.now - s.lastCheckAt;
  if (sinceCheck >= timing.checkIntervalMs) return { kind: 'check' };
  return { kind: 'wait', ms: Math.min(timing.checkIntervalMs, timing.checkIntervalMs - sinceCheck) };
}

export interface InstallKind {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** Set by the AppImage runtime to the AppImage's own path; absent for a deb install. */
  appImagePath: string | undefined;
}

/**
 * Whether this install updates itself. A deb lives in /opt and changes only through the system's package
 * manager, which would need a root prompt no kiosk user can answer; an unpackaged app has no feed.
 */
export function selfUpdates(install: InstallKind): boolean {
  if (!install.isPackaged) return false;
  if (install.platform === 'linux') return Boolean(install.appImagePath);
  return install.platform === 'win32' || install.platform === 'darwin';
}

/**
 * How the app comes back after installing. electron-updater's AppImage install with `isForceRunAfter`
 * starts the new AppImage at once, while this process still holds the single-instance lock (it closes
 * its database before it exits), so the new copy finds the lock taken and quits. An AppImage therefore
 * installs without the forced run and relaunches itself with `app.relaunch`, which Electron starts only
 * after the current instance has exited. Windows' NSIS installer and Squirrel.Mac wait for the app to
 * exit before they start the new version, so they keep the forced run.
 */
export function installRestart(install: Pick<InstallKind, 'platform' | 'appImagePath'>): { forceRunAfter: boolean; relaunchAfterExit: boolean } {
  const appImage = install.platform === 'linux' && Boolean(install.appImagePath);
  return { forceRunAfter: !appImage, relaunchAfterExit: appImage };
}
