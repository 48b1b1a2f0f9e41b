import { BrowserWindow } from 'electron';
import { kioskWindowOptions } from '../window/kiosk-window-options';

export function createKioskWindow(preloadPath: string, rendererUrl: string): BrowserWindow {
  const window = new BrowserWindow(kioskWindowOptions({ preloadPath, kiosk: false }));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl);
  return window;
}
