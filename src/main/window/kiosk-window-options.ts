// Window options as data, so the lockdown settings are unit-tested without Electron.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface KioskWindowInput {
  preloadPath: string;
  /** Full-screen kiosk lockdown; off only for a developer's unpackaged runs. */
  kiosk: boolean;
}

const lockedWebPreferences = (preloadPath: string, devTools: boolean): BrowserWindowConstructorOptions['webPreferences'] => ({
  preload: preloadPath,
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  // A middle click would open a link in a new window; nothing on these pages should.
  disableBlinkFeatures: 'Auxclick',
  safeDialogs: true,
  spellcheck: false,
  devTools,
  // The interviewer's voice must play without a click on the page.
  autoplayPolicy: 'no-user-gesture-required',
});

/**
 * The window is created hidden and in no full-screen state: a window constructed with `fullscreen` (or
 * `kiosk`, which implies it) is shown at once whatever `show: false` says, before the page has painted
 * and before the lockdown handlers are attached. `kioskModeOnShow` says what the glue turns on when
 * the page is ready to show.
 */
export function kioskWindowOptions(input: KioskWindowInput): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 1280,
    height: 800,
    kiosk: false,
    fullscreen: false,
    fullscreenable: true,
    alwaysOnTop: input.kiosk,
    closable: !input.kiosk,
    minimizable: !input.kiosk,
    maximizable: !input.kiosk,
    resizable: !input.kiosk,
    movable: !input.kiosk,
    skipTaskbar: input.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#0f172a',
    webPreferences: lockedWebPreferences(input.preloadPath, !input.kiosk),
  };
}

/** Turned on with `setKiosk(true)` once the page is ready to show (see kioskWindowOptions). */
export function kioskModeOnShow(input: Pick<KioskWindowInput, 'kiosk'>): { kiosk: boolean } {
  return { kiosk: input.kiosk };
}

/** The proctor's small window (sign-in, today's interviews, PIN): same sandbox, shown above the kiosk. */
export function proctorWindowOptions(input: { preloadPath: string }): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 520,
    height: 640,
    resizable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    alwaysOnTop: true,
    autoHideMenuBar: true,
    title: 'Proctor',
    backgroundColor: '#ffffff',
    webPreferences: lockedWebPreferences(input.preloadPath, false),
  };
}

/** Above every normal window, even other always-on-top ones. */
export const KIOSK_ALWAYS_ON_TOP_LEVEL = 'screen-saver' as const;

/**
 * The proctor window's place on macOS: the kiosk is a native full-screen window in a Space of its own,
 * and a window without `visibleOnFullScreen` opens on the desktop Space behind it, where nobody at the
 * kiosk sees it (the proctor chord would seem to do nothing). `skipTransformProcessType`: the kiosk
 * window's own call already did the process-type switch, which hides the app's windows for a moment
 * each time it runs (Electron's VisibleOnAllWorkspacesOptions).
 */
export const PROCTOR_WORKSPACES = { visibleOnFullScreen: true, skipTransformProcessType: true } as const;
