// The renderer's only door to main. Under Electron the preload has exposed `window.kioskBridge` (the
// contract's transport); in the browser host the bridge module provides the same over a WebSocket,
// behind the same boundary. Either way `window.kiosk` and its typed errors are built here, in the
// page's own world, because an error crossing contextBridge keeps only its message.
import type { KioskApi } from '../shared/kiosk-api';
import { buildKioskApi, type KioskTransport } from '../shared/kiosk-api-builder';

declare global {
  interface Window {
    kiosk?: KioskApi;
    kioskBridge?: KioskTransport;
  }
}

export async function connectKiosk(): Promise<KioskApi> {
  if (window.kiosk) return window.kiosk;
  let transport = window.kioskBridge;
  if (!transport) {
    const { installBrowserBridge } = await import('./bridge/browser-bridge');
    transport = await installBrowserBridge();
  }
  window.kiosk = buildKioskApi(transport);
  return window.kiosk;
}
