import { describe, expect, it } from 'vitest';
import { kioskWindowOptions, proctorWindowOptions } from '../../../../src/main/window/kiosk-window-options';

describe('kiosk window options', () => {
  const locked = kioskWindowOptions({ preloadPath: '/app/preload.cjs', kiosk: true });

  it('isolates the renderer from Node and Electron', () => {
    expect(locked.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
  });

  it('locks the window in kiosk mode: full screen, on top, not closable or movable', () => {
    expect(locked).toMatchObject({ kiosk: true, fullscreen: true, alwaysOnTop: true, closable: false, minimizable: false, movable: false, resizable: false });
  });

  it('leaves a developer window normal but just as sandboxed', () => {
    const dev = kioskWindowOptions({ preloadPath: '/p', kiosk: false });
    expect(dev).toMatchObject({ kiosk: false, closable: true });
    expect(dev.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: true });
  });

  it('sandboxes the proctor window the same way', () => {
    expect(proctorWindowOptions({ preloadPath: '/p' }).webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick', devTools: false });
  });
});
