// The preload exposes exactly `window.kiosk`, built from the contract; never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcEnvelope } from '../shared/ipc-contract';
import { buildKioskApi } from '../shared/kiosk-api-builder';

const kiosk = buildKioskApi({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<IpcEnvelope<unknown>>,
  subscribe: (event, listener) => {
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => ipcRenderer.removeListener(event, forward);
  },
});

contextBridge.exposeInMainWorld('kiosk', kiosk);
