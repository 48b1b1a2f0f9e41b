// The one IPC contract between the renderer and main: channel → request/response schemas, and the
// events main pushes to the renderer. Preload, main's handler registry and the renderer client are
// all typed from these maps; nothing else names a channel.
import { z } from 'zod';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['aix', 'android', 'darwin', 'freebsd', 'haiku', 'linux', 'openbsd', 'sunos', 'win32', 'cygwin', 'netbsd', 'browser']),
  shell: z.enum(['electron', 'browser-host']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const noPayload = z.undefined();

export const ipcContract = {
  'app.info': { request: noPayload, response: appInfoSchema },
} as const satisfies Record<`${string}.${string}`, { request: z.ZodType; response: z.ZodType }>;

export const ipcEvents = {} as const satisfies Record<`${string}.${string}`, z.ZodType>;

export type IpcContract = typeof ipcContract;
export type IpcChannel = keyof IpcContract;
export type IpcRequest<C extends IpcChannel> = z.input<IpcContract[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<IpcContract[C]['response']>;
export type IpcEvents = typeof ipcEvents;
export type IpcEventName = keyof IpcEvents;
export type IpcEventPayload<E extends IpcEventName> = z.output<IpcEvents[E]>;

export const ipcChannels = Object.keys(ipcContract) as IpcChannel[];
export const ipcEventNames = Object.keys(ipcEvents) as IpcEventName[];

/** Every reply crosses the boundary in this envelope so an error keeps its stable code. */
export const ipcErrorSchema = z.object({ code: z.string(), message: z.string() });
export type IpcErrorBody = z.infer<typeof ipcErrorSchema>;
export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: IpcErrorBody };

/** Error codes the IPC layer itself produces; handlers add their own domain codes. */
export const IPC_ERROR = {
  badRequest: 'ipc.bad_request',
  badResponse: 'ipc.bad_response',
  forbiddenSender: 'ipc.forbidden_sender',
  unknownChannel: 'ipc.unknown_channel',
  internal: 'ipc.internal',
} as const;
