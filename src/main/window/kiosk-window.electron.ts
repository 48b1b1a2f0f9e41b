// Electron glue: the locked kiosk window. Every rule is a pure decision in src/main/window or
// src/main/lockdown; this file only wires them to Electron's events.
import { BrowserWindow } from 'electron';
import type { LockdownLog } from '../lockdown/lockdown-log';
import { KIOSK_ALWAYS_ON_TOP_LEVEL, kioskModeOnShow, kioskWindowOptions } from './kiosk-window-options';
import { createCrashTracker, giveUpPageUrl } from './renderer-crash-policy';
import { hardenWindow, windowHardening } from './window-hardening';

export interface KioskWindowInput {
  preloadPath: string;
  rendererUrl: string;
  kiosk: boolean;
  lockdown: () => LockdownLog | null;
  /** Closing is allowed only once the proctor entered the PIN. */
  mayClose: () => boolean;
  /** The page kept crashing and main showed its give-up page instead (see renderer-crash-policy). */
  onGiveUp: (crashesInWindow: number) => void;
  /** The proctor chord was pressed (see PROCTOR_CHORD). */
  onProctorChord: () => void;
}

export function createKioskWindow(input: KioskWindowInput): BrowserWindow {
  const window = new BrowserWindow(kioskWindowOptions({ preloadPath: input.preloadPath, kiosk: input.kiosk }));
  const contents = window.webContents;
  hardenWindow(window, windowHardening('kiosk'), {
    appUrl: input.rendererUrl,
    platform: process.platform,
    lockdown: input.lockdown,
    onProctorChord: input.onProctorChord,
  });
  if (input.kiosk) {
    window.setAlwaysOnTop(true, KIOSK_ALWAYS_ON_TOP_LEVEL);
    window.setContentProtection(true);
    window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
  }

  if (input.kiosk) {
    window.on('blur', () => {
      input.lockdown()?.record('focus_lost');
      // The proctor window may legitimately take focus; everything else gives it back.
      setTimeout(() => {
        const focused = BrowserWindow.getFocusedWindow();
        if (!window.isDestroyed() && (focused === null || focused === window)) {
          window.moveTop();
          window.focus();
        }
      }, 150);
    });
  }
  window.on('close', (event) => {
    if (input.kiosk && !input.mayClose()) event.preventDefault();
  });

  const crashes = createCrashTracker();
  contents.on('render-process-gone', (_event, details) => {
    const decision = crashes.crashed(Date.now());
    input.lockdown()?.record('renderer_gone', {
      reason: details.reason,
      exitCode: details.exitCode,
      crashesInWindow: decision.crashesInWindow,
      action: decision.action,
    });
    // The reloaded page asks main for `interview.current` and resumes the same interview.
    if (decision.action === 'reload') {
      contents.reload();
      return;
    }
    // loadURL from main is not a page navigation, so the navigation policy does not stand in its way.
    void window.loadURL(giveUpPageUrl());
    input.onGiveUp(decision.crashesInWindow);
  });

  window.once('ready-to-show', () => {
    window.show();
    // Set only now: a window created in kiosk or full-screen mode ignores `show: false`.
    if (kioskModeOnShow(input).kiosk) window.setKiosk(true);
  });
  void window.loadURL(input.rendererUrl);
  return window;
}
