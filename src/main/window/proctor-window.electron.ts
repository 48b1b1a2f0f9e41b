// Electron glue: the proctor's small window (sign in, today's interviews, device check, PIN to quit).
import { BrowserWindow } from 'electron';
import { proctorWindowOptions } from './kiosk-window-options';
import { createNavigationPolicy, windowOpenDecision } from '../lockdown/navigation-policy';

export type ProctorView = 'sign-in' | 'interviews' | 'device-check' | 'quit';

export function createProctorWindowOpener(input: { preloadPath: string; proctorUrl: string; rendererUrl: string }) {
  let window: BrowserWindow | null = null;
  const mayNavigate = createNavigationPolicy(input.rendererUrl);
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
      window.webContents.on('will-navigate', (event, target) => {
        if (!mayNavigate(target).allow) event.preventDefault();
      });
      window.webContents.setWindowOpenHandler(() => windowOpenDecision());
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
