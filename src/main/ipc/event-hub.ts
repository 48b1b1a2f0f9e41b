// Events main pushes to the renderer. Payloads are checked against the contract before they leave,
// so a shell (Electron window or browser host) only forwards what the renderer is promised.
import { ipcEvents, type IpcEventName, type IpcEventPayload } from '../../shared/ipc-contract';

export type EventSink = (event: IpcEventName, payload: unknown) => void;

export interface EventHub {
  publish<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void;
  subscribe(sink: EventSink): () => void;
}

export function createEventHub(): EventHub {
  const sinks = new Set<EventSink>();
  return {
    publish(event, payload) {
      const checked = (ipcEvents[event] as { parse(value: unknown): unknown }).parse(payload);
      for (const sink of sinks) sink(event, checked);
    },
    subscribe(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
  };
}
