// Electron glue: the locked kiosk window. Every rule is a pure decision in src/main/window or
// src/main/lockdown; this file only wires them to Electron's events.
import { BrowserWindow } from 'electron';
import type { LockdownLog } from '../lockdown/lockdown-log';
import { rendererRecovery } from '../lockdown/display-policy';
import { KIOSK_ALWAYS_ON_TOP_LEVEL, kioskWindowOptions } from './kiosk-window-options';
import { createNavigationPolicy, windowOpenDecision } from '../lockdown/navigation-policy';
import { decideShortcut } from '../lockdown/shortcut-policy';

export interface KioskWindowInput {
  preloadPath: string;
  rendererUrl: string;
  kiosk: boolean;
  lockdown: () => LockdownLog | null;
  /** Closing is allowed only once the proctor entered the PIN. */
  mayClose: () => boolean;
  onGiveUp?: () => void;
}

export function createKioskWindow(input: KioskWindowInput): BrowserWindow {
  const window = new BrowserWindow(kioskWindowOptions({ preloadPath: input.preloadPath, kiosk: input.kiosk }));
  const contents = window.webContents;
  // The proctor's page carries proctor authority; the candidate's window must never load it.
  const mayNavigate = createNavigationPolicy(input.rendererUrl, { forbiddenPathPrefixes: ['/proctor/'] });
  if (input.kiosk) {
    window.setAlwaysOnTop(true, KIOSK_ALWAYS_ON_TOP_LEVEL);
    window.setContentProtection(true);
    window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
  }

  const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
    const decision = mayNavigate(url);
    if (!decision.allow) {
      event.preventDefault();
      input.lockdown()?.record('navigation_blocked', { url, reason: decision.reason });
    }
  };
  contents.on('will-navigate', (event, url) => refuseNavigation(event, url));
  contents.on('will-redirect', (event, url) => refuseNavigation(event, url));
  contents.on('will-frame-navigate', (event) => refuseNavigation(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    input.lockdown()?.record('window_open_blocked', { url });
    return windowOpenDecision();
  });
  contents.on('before-input-event', (event, keys) => {
    const decision = decideShortcut(keys, process.platform);
    if (decision.block) {
      event.preventDefault();
      input.lockdown()?.record('shortcut_blocked', { action: decision.action, key: keys.key });
    }
  });

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

  const crashes: number[] = [];
  contents.on('render-process-gone', (_event, details) => {
    const now = Date.now();
    crashes.push(now);
    while (crashes.length && crashes[0]! < now - 60_000) crashes.shift();
    input.lockdown()?.record('renderer_gone', { reason: details.reason, exitCode: details.exitCode });
    // The reloaded page asks main for `interview.current` and resumes the same interview.
    if (rendererRecovery(crashes.length) === 'reload') contents.reload();
    else input.onGiveUp?.();
  });

  window.once('ready-to-show', () => window.show());
  void window.loadURL(input.rendererUrl);
  return window;
}
