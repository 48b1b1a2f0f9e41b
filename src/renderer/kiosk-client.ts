// The renderer's only door to main. Under Electron the preload has set `window.kiosk`; in the browser
// host the bridge installs an equivalent over a WebSocket before the app renders.
import type { KioskApi } from '../shared/kiosk-api';

declare global {
  interface Window {
    kiosk?: KioskApi;
  }
}

export async function connectKiosk(): Promise<KioskApi> {
  if (window.kiosk) return window.kiosk;
  const { installBrowserBridge } = await import('./bridge/browser-bridge');
  return installBrowserBridge();
}

