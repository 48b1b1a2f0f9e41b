// Electron glue: the proctor's small window (sign in, today's interviews, device check, PIN to quit).
import { BrowserWindow } from 'electron';
import { PROCTOR_WORKSPACES, proctorWindowOptions } from './kiosk-window-options';
import type { LockdownLog } from '../lockdown/lockdown-log';
import { hardenWindow, windowHardening } from './window-hardening';

import type { ProctorView } from './proctor-entry';

export type { ProctorView };

export interface ProctorWindowInput {
  preloadPath: string;
  proctorUrl: string;
  rendererUrl: string;
  lockdown: () => LockdownLog | null;
  /** The proctor chord pressed in the proctor window itself. */
  onProctorChord: () => void;
}

export function createProctorWindowOpener(input: ProctorWindowInput) {
  let window: BrowserWindow | null = null;
  const opener = {
    open(view: ProctorView) {
      return opener.openUrl(`${input.proctorUrl}#${view}`);
    },
    /** Another of the app's own pages in the proctor's window (the site check). */
    openUrl(url: string) {
      if (window && !window.isDestroyed()) {
        void window.loadURL(url);
        window.show();
        window.focus();
        return window;
      }
      window = new BrowserWindow(proctorWindowOptions({ preloadPath: input.preloadPath }));
      window.setAlwaysOnTop(true, 'screen-saver', 1);
      window.setVisibleOnAllWorkspaces(true, PROCTOR_WORKSPACES);
      // The same menu, shortcut, navigation and window.open rules as the kiosk window: the proctor's
      // window sits above the candidate's, and Ctrl+R or devtools there is as bad as anywhere.
      hardenWindow(window, windowHardening('proctor'), {
        appUrl: input.rendererUrl,
        platform: process.platform,
        lockdown: input.lockdown,
        onProctorChord: input.onProctorChord,
      });
      window.once('ready-to-show', () => window?.show());
      window.on('closed', () => {
        window = null;
      });
      void window.loadURL(url);
      return window;
    },
    current: () => (window && !window.isDestroyed() ? window : null),
  };
  return opener;
}
