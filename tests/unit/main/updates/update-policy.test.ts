import { describe, expect, it } from 'vitest';
import {
  allowsDowngrade,
  channelOfVersion,
  defaultUpdateTiming,
  feedChannelFor,
  nextUpdateStep,
  installRestart,
  selfUpdates,
  updateChannelSchema,
  type UpdateSituation,
} from '../../../../src/main/updates/update-policy';

const hour = 60 * 60 * 1000;
const timing = { checkIntervalMs: 4 * hour, busyRetryMs: 60_000, quietPeriodMs: 5 * 60_000 };

function situation(overrides: Partial<UpdateSituation>): UpdateSituation {
  return { phase: 'idle', interviewRunning: false, now: 10 * hour, lastCheckAt: null, lastInterviewAt: null, timing, ...overrides };
}

describe('update rings', () => {
  it('accepts the three rings of the rollout and nothing else', () => {
    expect(updateChannelSchema.options).toEqual(['internal', 'beta', 'stable']);
    expect(updateChannelSchema.safeParse('latest').success).toBe(false);
    expect(updateChannelSchema.safeParse('').success).toBe(false);
    expect(updateChannelSchema.safeParse(undefined).success).toBe(false);
  });

  it('reads each ring from the feed file electron-builder cascades into it', () => {
    expect(feedChannelFor('internal')).toBe('alpha');
    expect(feedChannelFor('beta')).toBe('beta');
    expect(feedChannelFor('stable')).toBe('latest');
  });

  it('tells which ring a build was released to from its version', () => {
    expect(channelOfVersion('1.4.0')).toBe('stable');
    expect(channelOfVersion('1.4.0+build.7')).toBe('stable');
    expect(channelOfVersion('1.4.0-beta.2')).toBe('beta');
    expect(channelOfVersion('1.4.0-alpha.9')).toBe('internal');
    // An unknown tag is treated as least stable, never as a release.
    expect(channelOfVersion('1.4.0-rc.1')).toBe('internal');
  });

  it('refuses versions that are not releases, with a stable code', () => {
    for (const bad of ['', '1.4', 'v1.4.0', '1.4.0-', '1.4.0 beta', 'latest']) {
      expect(() => channelOfVersion(bad)).toThrow(expect.objectContaining({ code: 'UPDATE_BAD_VERSION' }));
    }
  });

  it('allows a downgrade only when the tenant moved to a more stable ring than the installed build', () => {
    expect(allowsDowngrade('1.5.0-beta.1', 'stable')).toBe(true);
    expect(allowsDowngrade('1.5.0-alpha.3', 'beta')).toBe(true);
    expect(allowsDowngrade('1.5.0-alpha.3', 'stable')).toBe(true);
    // A stable hotfix published after a beta must not pull beta kiosks back.
    expect(allowsDowngrade('1.5.0-beta.1', 'beta')).toBe(false);
    expect(allowsDowngrade('1.4.2', 'stable')).toBe(false);
    expect(allowsDowngrade('1.4.2', 'beta')).toBe(false);
    expect(allowsDowngrade('1.4.2', 'internal')).toBe(false);
  });
});

describe('next update step', () => {
  it('checks at once on the first look when no interview runs', () => {
    expect(nextUpdateStep(situation({}))).toEqual({ kind: 'check' });
  });

  it('never checks while an interview runs, and looks again soon', () => {
    expect(nextUpdateStep(situation({ interviewRunning: true }))).toEqual({ kind: 'wait', ms: timing.busyRetryMs });
    expect(nextUpdateStep(situation({ interviewRunning: true, lastCheckAt: 0 }))).toEqual({ kind: 'wait', ms: timing.busyRetryMs });
  });

  it('waits out the check interval, then checks', () => {
    const now = 10 * hour;
    expect(nextUpdateStep(situation({ now, lastCheckAt: now - hour }))).toEqual({ kind: 'wait', ms: 3 * hour });
    expect(nextUpdateStep(situation({ now, lastCheckAt: now - 4 * hour }))).toEqual({ kind: 'check' });
  });

  it('never installs while an interview runs', () => {
    expect(nextUpdateStep(situation({ phase: 'ready', interviewRunning: true }))).toEqual({ kind: 'wait', ms: timing.busyRetryMs });
  });

  it('installs a ready update only after a quiet period since the last interview', () => {
    const now = 10 * hour;
    expect(nextUpdateStep(situation({ phase: 'ready', now, lastInterviewAt: now - 60_000 }))).toEqual({
      kind: 'wait',
      ms: 4 * 60_000,
    });
    expect(nextUpdateStep(situation({ phase: 'ready', now, lastInterviewAt: now - 5 * 60_000 }))).toEqual({ kind: 'install' });
    expect(nextUpdateStep(situation({ phase: 'ready', now, lastInterviewAt: null }))).toEqual({ kind: 'install' });
  });

  it('does nothing new while a check, download or install is under way', () => {
    for (const phase of ['checking', 'downloading', 'installing'] as const) {
      expect(nextUpdateStep(situation({ phase }))).toEqual({ kind: 'wait', ms: timing.busyRetryMs });
    }
  });

  it('never waits longer than one interval when the clock steps back', () => {
    const step = nextUpdateStep(situation({ now: 0, lastCheckAt: 10 * hour }));
    expect(step).toEqual({ kind: 'wait', ms: timing.checkIntervalMs });
    const ready = nextUpdateStep(situation({ phase: 'ready', now: 0, lastInterviewAt: 10 * hour }));
    expect(ready).toEqual({ kind: 'wait', ms: timing.quietPeriodMs });
  });

  it('has defaults that check a few times a day and retry within minutes', () => {
    expect(defaultUpdateTiming.checkIntervalMs).toBeGreaterThanOrEqual(hour);
    expect(defaultUpdateTiming.busyRetryMs).toBeLessThanOrEqual(5 * 60_000);
  });
});

describe('which installs update themselves', () => {
  it('updates packaged Windows and macOS apps and Linux AppImages', () => {
    expect(selfUpdates({ platform: 'win32', isPackaged: true, appImagePath: undefined })).toBe(true);
    expect(selfUpdates({ platform: 'darwin', isPackaged: true, appImagePath: undefined })).toBe(true);
    expect(selfUpdates({ platform: 'linux', isPackaged: true, appImagePath: '/home/kiosk/Interview-Kiosk.AppImage' })).toBe(true);
  });

  it('leaves deb installs to the package manager and never updates a development run', () => {
    expect(selfUpdates({ platform: 'linux', isPackaged: true, appImagePath: undefined })).toBe(false);
    expect(selfUpdates({ platform: 'linux', isPackaged: true, appImagePath: '' })).toBe(false);
    expect(selfUpdates({ platform: 'win32', isPackaged: false, appImagePath: undefined })).toBe(false);
    expect(selfUpdates({ platform: 'freebsd', isPackaged: true, appImagePath: undefined })).toBe(false);
  });
});

describe('how the app comes back after an install', () => {
  it('relaunches an AppImage after it exits instead of starting the new copy beside it', () => {
    // A forced run would start the new AppImage while this one holds the single-instance lock.
    expect(installRestart({ platform: 'linux', appImagePath: '/opt/kiosk/interview-kiosk.AppImage' })).toEqual({ forceRunAfter: false, relaunchAfterExit: true });
  });

  it('lets the Windows and macOS installers start the new version themselves', () => {
    expect(installRestart({ platform: 'win32', appImagePath: undefined })).toEqual({ forceRunAfter: true, relaunchAfterExit: false });
    expect(installRestart({ platform: 'darwin', appImagePath: undefined })).toEqual({ forceRunAfter: true, relaunchAfterExit: false });
  });
});
