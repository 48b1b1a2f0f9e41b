// Builds `window.kiosk` from the contract over any transport: Electron's ipcRenderer in the preload,
// a WebSocket in the browser host. Callers see one function per channel and typed errors.
import { ipcChannels, ipcEventNames, type IpcEnvelope, type IpcEventName } from './ipc-contract';
import { channelPath, KioskIpcError, type KioskApi } from './kiosk-api';

export interface KioskTransport {
  invoke(channel: string, payload: unknown): Promise<IpcEnvelope<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export function buildKioskApi(transport: KioskTransport): KioskApi {
  const api: Record<string, unknown> = {};
  for (const channel of ipcChannels) {
    const [group, method] = channelPath(channel);
    const target = (api[group] ??= {}) as Record<string, unknown>;
    target[method] = async (request?: unknown) => {
      const envelope = await transport.invoke(channel, request);
      if (envelope.ok) return envelope.value;
      throw new KioskIpcError(envelope.error.code, envelope.error.message);
    };
  }
  const knownEvents = new Set<string>(ipcEventNames);
  api.on = (event: IpcEventName, listener: (payload: unknown) => void) => {
    if (!knownEvents.has(event)) throw new KioskIpcError('ipc.unknown_event', `No such event: ${String(event)}`);
    return transport.subscribe(event, listener);
  };
  return api as KioskApi;
}
