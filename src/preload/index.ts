// The preload exposes exactly `window.kioskBridge`: the contract's transport (invoke → result envelope,
// subscribe), never ipcRenderer itself. contextBridge keeps only the message of an error that crosses
// it, so nothing typed is built here: the page builds `window.kiosk` and its typed errors from the
// envelopes in its own world (src/renderer/kiosk-client.ts).
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcEnvelope } from '../shared/ipc-contract';
import type { KioskTransport } from '../shared/kiosk-api-builder';

const transport: KioskTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<IpcEnvelope<unknown>>,
  subscribe: (event, listener) => {
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => ipcRenderer.removeListener(event, forward);
  },
};

contextBridge.exposeInMainWorld('kioskBridge', transport);
