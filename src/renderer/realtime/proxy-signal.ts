// Proxy protocol v1 from the kiosk's side: one WebSocket per call attempt, authenticated by the
// subprotocols `kiosk-signal.v1` + `bearer.<token>`; the server says `ready`, the kiosk sends one
// `offer`, the server answers (or errors). A reconnecting kiosk opens a new socket and re-offers.
import type { OfferHistoryEntry, ProviderApi } from './provider-writer';

export const SIGNAL_SUBPROTOCOL = 'kiosk-signal.v1';

export interface SignalAnswer {
  sdp: string;
  callId: string;
}

/** Why signalling failed; `retryable` tells recovery whether another attempt can help. */
export class SignalError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SignalError';
  }
}

/** Proxy error codes after which the same offer on a new socket may well succeed. */
const RETRYABLE = new Set(['session_busy', 'shutting_down', 'rate_limited', 'upstream_unavailable', 'timeout', 'socket_closed', 'unreachable', 'upstream_rejected']);

export function signalErrorFor(code: string, message: string): SignalError {
  return new SignalError(code, message, RETRYABLE.has(code));
}

export interface SignalChannel {
  readonly sessionId: string;
  readonly expiresAt: string;
  /** The provider behind the proxy, from `ready`; absent means Realtime GA (a proxy older than `api`). */
  readonly api?: ProviderApi;
  isOpen(): boolean;
  /** `history`: the interview so far, for a provider that takes it at session creation (GPT-Live). */
  offer(sdp: string, session?: string, history?: readonly OfferHistoryEntry[]): Promise<SignalAnswer>;
  /** Called once when the socket closes for any reason other than close(). */
  onClose(listener: (code: number, reason: string) => void): void;
  close(): void;
}

export type WebSocketFactory = (url: string, protocols: string[]) => WebSocket;

export interface OpenSignalOptions {
  url: string;
  token: string;
  timeoutMs?: number;
  createSocket?: WebSocketFactory;
  newId?: () => string;
}

type ServerMessage =
  | { type: 'ready'; sessionId: string; expiresAt: string; api: ProviderApi }
  | { type: 'answer'; id: string; sdp: string; callId: string }
  | { type: 'error'; id?: string | null; code: string; message: string };

function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message = JSON.parse(data) as Record<string, unknown>;
    if (message.type === 'ready' && typeof message.sessionId === 'string') {
      return { type: 'ready', sessionId: message.sessionId, expiresAt: String(message.expiresAt ?? ''), api: message.api === 'live' ? 'live' : 'realtime' };
    }
    if (message.type === 'answer' && typeof message.id === 'string' && typeof message.sdp === 'string') {
      return { type: 'answer', id: message.id, sdp: message.sdp, callId: String(message.callId ?? '') };
    }
    if (message.type === 'error' && typeof message.code === 'string') {
      return { type: 'error', id: typeof message.id === 'string' ? message.id : null, code: message.code, message: String(message.message ?? message.code) };
    }
  } catch {
    return null;
  }
  return null;
}

/** Opens the signalling socket and resolves once the proxy has accepted the token (`ready`). */
export function openSignal(options: OpenSignalOptions): Promise<SignalChannel> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const createSocket = options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
  const newId = options.newId ?? (() => crypto.randomUUID());
  return new Promise<SignalChannel>((resolve, reject) => {
    let socket: WebSocket;
    try {
      socket = createSocket(options.url, [SIGNAL_SUBPROTOCOL, `bearer.${options.token}`]);
    } catch (error) {
      reject(signalErrorFor('unreachable', error instanceof Error ? error.message : 'Cannot open the connection.'));
      return;
    }
    let ready = false;
    let closedByUs = false;
    const waiting = new Map<string, { resolve: (answer: SignalAnswer) => void; reject: (error: SignalError) => void; timer: ReturnType<typeof setTimeout> }>();
    const closeListeners: Array<(code: number, reason: string) => void> = [];
    const readyTimer = setTimeout(() => {
      closedByUs = true;
      socket.close();
      reject(signalErrorFor('timeout', 'The interview service did not answer in time.'));
    }, timeoutMs);

    const channel: SignalChannel = {
      sessionId: '',
      expiresAt: '',
      api: 'realtime',
      isOpen: () => socket.readyState === socket.OPEN,
      offer(sdp, session, history) {
        return new Promise<SignalAnswer>((resolveOffer, rejectOffer) => {
          if (socket.readyState !== socket.OPEN) {
            rejectOffer(signalErrorFor('socket_closed', 'The connection to the interview service is closed.'));
            return;
          }
          const id = newId();
          const timer = setTimeout(() => {
            waiting.delete(id);
            rejectOffer(signalErrorFor('timeout', 'The interview service did not answer in time.'));
          }, timeoutMs);
          waiting.set(id, { resolve: resolveOffer, reject: rejectOffer, timer });
          const frame: Record<string, unknown> = { type: 'offer', id, sdp };
          if (session !== undefined) frame.session = session;
          if (history && history.length > 0) frame.history = history;
          socket.send(JSON.stringify(frame));
        });
      },
      onClose(listener) {
        closeListeners.push(listener);
      },
      close() {
        closedByUs = true;
        socket.close(1000, 'done');
      },
    };

    socket.addEventListener('message', (event: MessageEvent) => {
      const message = parseServerMessage(event.data);
      if (!message) return;
      if (message.type === 'ready') {
        if (ready) return;
        ready = true;
        clearTimeout(readyTimer);
        Object.assign(channel, { sessionId: message.sessionId, expiresAt: message.expiresAt, api: message.api });
        resolve(channel);
        return;
      }
      const pending = message.id ? waiting.get(message.id) : waiting.size === 1 ? [...waiting.values()][0] : undefined;
      if (message.type === 'error' && !ready) {
        clearTimeout(readyTimer);
        reject(signalErrorFor(message.code, message.message));
        return;
      }
      if (!pending) return;
      clearTimeout(pending.timer);
      for (const [id, entry] of waiting) if (entry === pending) waiting.delete(id);
      if (message.type === 'answer') pending.resolve({ sdp: message.sdp, callId: message.callId });
      else pending.reject(signalErrorFor(message.code, message.message));
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      clearTimeout(readyTimer);
      const error = event.code === 1008 || event.code === 4401 || event.code === 4403
        ? signalErrorFor('unauthorized', 'The interview pass was not accepted.')
        : signalErrorFor('socket_closed', 'The connection to the interview service closed.');
      if (!ready) reject(error);
      for (const entry of waiting.values()) {
        clearTimeout(entry.timer);
        entry.reject(error);
      }
      waiting.clear();
      if (ready && !closedByUs) for (const listener of closeListeners) listener(event.code, event.reason);
    });
    socket.addEventListener('error', () => {
      // A close event always follows; it carries the outcome.
    });
  });
}
