import type { VisibleOnAllWorkspacesOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { kioskModeOnShow, kioskWindowOptions, PROCTOR_WORKSPACES, proctorWindowOptions } from '../../../../src/main/window/kiosk-window-options';

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

  it('locks the window in kiosk mode: on top, not closable or movable, kiosk (full screen) once shown', () => {
    expect(locked).toMatchObject({ alwaysOnTop: true, closable: false, minimizable: false, movable: false, resizable: false });
    expect(kioskModeOnShow({ kiosk: true })).toEqual({ kiosk: true });
    expect(kioskModeOnShow({ kiosk: false })).toEqual({ kiosk: false });
  });

  it('creates the window really hidden: no kiosk or full screen at construction, which would show it at once', () => {
    for (const kiosk of [true, false]) {
      const options = kioskWindowOptions({ preloadPath: '/p', kiosk });
      expect(options).toMatchObject({ show: false, kiosk: false, fullscreen: false, fullscreenable: true });
    }
  });

  it('leaves a developer window normal but just as sandboxed', () => {
    const dev = kioskWindowOptions({ preloadPath: '/p', kiosk: false });
    expect(dev).toMatchObject({ kiosk: false, closable: true });
    expect(dev.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: true });
  });

  it('sandboxes the proctor window the same way', () => {
    expect(proctorWindowOptions({ preloadPath: '/p' }).webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick', devTools: false });
  });

  it('puts the proctor window over the full-screen kiosk on macOS, without another process-type flicker', () => {
    const options: VisibleOnAllWorkspacesOptions = PROCTOR_WORKSPACES;
    expect(options).toEqual({ visibleOnFullScreen: true, skipTransformProcessType: true });
  });
});
