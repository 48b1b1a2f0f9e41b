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

let current: KioskApi | undefined;

export function setKiosk(api: KioskApi): void {
  current = api;
}

export function kiosk(): KioskApi {
  if (!current) throw new Error('The kiosk bridge is not connected yet.');
  return current;
}
