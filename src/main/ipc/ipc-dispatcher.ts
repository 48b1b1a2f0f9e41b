// The single path every IPC call takes in main, whatever the shell (Electron or the browser host):
// check the sender, parse the request, run the handler, check the response, answer in an envelope.
import {
  IPC_ERROR,
  ipcContract,
  type IpcChannel,
  type IpcEnvelope,
  type IpcResponse,
} from '../../shared/ipc-contract';
import { KioskError } from '../../shared/kiosk-error';
import type { z } from 'zod';

export interface IpcCallContext {
  senderUrl: string;
  /**
   * The page instance calling (a browser-host socket, an Electron webContents); the proctor's sign-in
   * belongs to the page that signed in. Callers that name none are identified by their URL.
   */
  page: string;
}

export type IpcHandlers = {
  [C in IpcChannel]: (
    request: z.output<(typeof ipcContract)[C]['request']>,
    context: IpcCallContext,
  ) => Promise<IpcResponse<C>> | IpcResponse<C>;
};

export interface IpcDispatcherOptions {
  handlers: IpcHandlers;
  isTrustedSender: (senderUrl: string | undefined) => boolean;
  /** Called once for each call that failed unexpectedly (not for validation or domain errors). */
  onInternalError?: (channel: string, error: unknown) => void;
}

export type IpcDispatch = (channel: string, payload: unknown, senderUrl: string | undefined, page?: string) => Promise<IpcEnvelope<unknown>>;

function fail(code: string, message: string): IpcEnvelope<never> {
  return { ok: false, error: { code, message } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(payload)'}: ${issue.message}`)
    .join('; ');
}

function isChannel(channel: string): channel is IpcChannel {
  return Object.hasOwn(ipcContract, channel);
}

export function createIpcDispatcher(options: IpcDispatcherOptions): IpcDispatch {
  return async (channel, payload, senderUrl, page) => {
    if (!options.isTrustedSender(senderUrl)) {
      return fail(IPC_ERROR.forbiddenSender, `Refused "${channel}": the calling frame (${senderUrl ?? 'unknown'}) is not the kiosk app.`);
    }
    if (!isChannel(channel)) return fail(IPC_ERROR.unknownChannel, `No such channel: ${channel}`);
    const schemas = ipcContract[channel];
    const parsed = schemas.request.safeParse(payload);
    if (!parsed.success) {
      return fail(IPC_ERROR.badRequest, `Invalid request for "${channel}": ${describeIssues(parsed.error)}`);
    }
    let value: unknown;
    try {
      const handler = options.handlers[channel] as (request: unknown, context: IpcCallContext) => unknown;
      value = await handler(parsed.data, { senderUrl: senderUrl ?? '', page: page ?? `url:${senderUrl ?? ''}` });
    } catch (error) {
      if (error instanceof KioskError) return fail(error.code, error.message);
      options.onInternalError?.(channel, error);
      return fail(IPC_ERROR.internal, `"${channel}" failed unexpectedly; the kiosk log has the details.`);
    }
    const checked = schemas.response.safeParse(value);
    if (!checked.success) {
      options.onInternalError?.(channel, checked.error);
      return fail(IPC_ERROR.badResponse, `"${channel}" produced a reply that breaks the contract.`);
    }
    return { ok: true, value: checked.data };
  };
}
