// Composition root: the only place that wires Electron objects into the Electron-free core.
import { app, ipcMain } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSenderPolicy } from './ipc/sender-policy';
import { registerElectronIpc } from './ipc/register-electron-ipc';
import { createKioskWindow } from './lifecycle/kiosk-window';
import { createKioskCore } from './kiosk-core';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    const devServerUrl = process.env.ELECTRON_RENDERER_URL;
    const rendererUrl = devServerUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
    const core = createKioskCore({
      appInfo: {
        name: app.getName(),
        version: app.getVersion(),
        platform: process.platform,
        shell: 'electron',
      },
      appUrl: rendererUrl,
      isTrustedSender: createSenderPolicy(rendererUrl),
      onInternalError: (channel, error) => console.error(`[ipc] ${channel} failed`, error),
    });
    registerElectronIpc(ipcMain, core.dispatch);
    const window = createKioskWindow(join(import.meta.dirname, '../preload/index.cjs'), rendererUrl);
    core.events.subscribe((event, payload) => {
      if (!window.isDestroyed()) window.webContents.send(event, payload);
    });
    app.on('window-all-closed', () => {
      void core.dispose().finally(() => app.quit());
    });
  });
}
