// `window.kioskBridge` for the browser host: the contract's transport carried over a WebSocket to main's
// services running in Node, handed over through the same boundary contextBridge is in the desktop app
// (errors keep only their message). Loaded only when no Electron preload is present.
import { BRIDGE_PATH } from '../../shared/bridge-path';
import type { IpcEnvelope } from '../../shared/ipc-contract';
import { acrossContextBridge } from '../../shared/context-bridge-boundary';
import type { KioskTransport } from '../../shared/kiosk-api-builder';
import { fromWireJson, toWireJson } from '../../shared/wire-json';

type HostMessage =
  | { type: 'reply'; id: number; envelope: IpcEnvelope<unknown> }
  | { type: 'event'; event: string; payload: unknown };

export async function installBrowserBridge(url = bridgeUrl()): Promise<KioskTransport> {
  const socket = await open(url);
  let nextId = 1;
  const pending = new Map<number, (envelope: IpcEnvelope<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  socket.addEventListener('message', (message) => {
    const data = fromWireJson(String(message.data)) as HostMessage;
    if (data.type === 'reply') {
      pending.get(data.id)?.(data.envelope);
      pending.delete(data.id);
    } else {
      listeners.get(data.event)?.forEach((listener) => listener(data.payload));
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'bridge.offline', message: 'The kiosk service stopped answering.' } });
    }
    pending.clear();
  });

  const transport: KioskTransport = {
    invoke: (channel, payload) =>
      new Promise((resolve) => {
        if (socket.readyState !== WebSocket.OPEN) {
          resolve({ ok: false, error: { code: 'bridge.offline', message: 'The kiosk service is not reachable.' } });
          return;
        }
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(toWireJson({ id, channel, payload }));
      }),
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  window.kioskBridge = acrossContextBridge(transport);
  return window.kioskBridge;
}

function bridgeUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BRIDGE_PATH}`;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.addEventListener('open', () => resolve(socket), { once: true });
    socket.addEventListener('error', () => reject(new Error(`Cannot reach the kiosk service at ${url}`)), { once: true });
  });
}
