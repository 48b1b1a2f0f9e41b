// The kiosk window's options as data, so the lockdown settings are unit-tested without Electron.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface KioskWindowInput {
  preloadPath: string;
  /** Full-screen kiosk lockdown; off for the proctor's development runs. */
  kiosk: boolean;
}

export function kioskWindowOptions(input: KioskWindowInput): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 1280,
    height: 800,
    kiosk: input.kiosk,
    fullscreen: input.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: input.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}
