// Electron glue: the proctor's small window (sign in, today's interviews, device check, PIN to quit).
import { BrowserWindow } from 'electron';
import { proctorWindowOptions } from './kiosk-window-options';
import type { LockdownLog } from '../lockdown/lockdown-log';
import { hardenWindow, windowHardening } from './window-hardening';

export type ProctorView = 'sign-in' | 'interviews' | 'device-check' | 'quit';

export interface ProctorWindowInput {
  preloadPath: string;
  proctorUrl: string;
  rendererUrl: string;
  lockdown: () => LockdownLog | null;
}

export function createProctorWindowOpener(input: ProctorWindowInput) {
  let window: BrowserWindow | null = null;
  return {
    open(view: ProctorView) {
      const url = `${input.proctorUrl}#${view}`;
      if (window && !window.isDestroyed()) {
        void window.loadURL(url);
        window.show();
        window.focus();
        return window;
      }
      window = new BrowserWindow(proctorWindowOptions({ preloadPath: input.preloadPath }));
      window.setAlwaysOnTop(true, 'screen-saver', 1);
      // The same menu, shortcut, navigation and window.open rules as the kiosk window: the proctor's
      // window sits above the candidate's, and Ctrl+R or devtools there is as bad as anywhere.
      hardenWindow(window, windowHardening('proctor'), { appUrl: input.rendererUrl, platform: process.platform, lockdown: input.lockdown });
      window.once('ready-to-show', () => window?.show());
      window.on('closed', () => {
        window = null;
      });
      void window.loadURL(url);
      return window;
    },
    current: () => (window && !window.isDestroyed() ? window : null),
  };
}
