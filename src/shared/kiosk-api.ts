// The shape of `window.kiosk`, derived from the contract: channel `group.method` becomes
// `kiosk.group.method(request)`, and events are subscribed with `kiosk.on(name, listener)`.
import type { IpcChannel, IpcEventName, IpcEventPayload, IpcRequest, IpcResponse } from './ipc-contract';

type GroupOf<C extends string> = C extends `${infer G}.${string}` ? G : never;
type MethodOf<C extends string, G extends string> = C extends `${G}.${infer M}` ? M : never;
type Call<C extends IpcChannel> = undefined extends IpcRequest<C>
  ? (request?: IpcRequest<C>) => Promise<IpcResponse<C>>
  : (request: IpcRequest<C>) => Promise<IpcResponse<C>>;

export type KioskApi = {
  [G in GroupOf<IpcChannel>]: { [M in MethodOf<IpcChannel, G>]: Call<`${G}.${M}` & IpcChannel> };
} & {
  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
};

/** Where a channel lives on `window.kiosk`. */
export function channelPath(channel: string): [group: string, method: string] {
  const dot = channel.indexOf('.');
  return [channel.slice(0, dot), channel.slice(dot + 1)];
}

/** The renderer-side error for a failed call: the stable code from main plus its message. */
export class KioskIpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'KioskIpcError';
  }
}
