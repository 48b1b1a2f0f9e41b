// The realtime provider as tests meet it: an HTTP server on loopback behind both provider endpoints
// (`POST /v1/realtime/calls`, `POST /v1/live/sessions`) that checks requests as the provider does and
// answers with a real werift peer (see emulated-call.ts). Use `baseUrl` as OPENAI_BASE_URL.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseMultipartForm, readRequestBody } from '../request-body';
import { ConversationState, EmulatedCall, type CallRecord } from './emulated-call';
import { defaultInterviewScript, type InterviewScript } from './interview-script';
import {
  checkOffer,
  invalidKeyError,
  liveSessionRequestSchema,
  providerError,
  realtimeSessionSchema,
  zodToProviderError,
  type ProviderError,
} from './provider-requests';

export type { CallRecord } from './emulated-call';
export { defaultInterviewScript, defaultInterviewTurns, type InterviewScript, type ScriptTurn } from './interview-script';

export type FailureKind = 'reject' | 'hang' | '5xx';

export interface RealtimeEmulatorOptions {
  apiKey?: string;
  script?: Partial<InterviewScript>;
  port?: number;
  /**
   * `false` answers with an SDP built from the offer without starting a peer: for load tests of the
   * signalling path only, where nobody connects media. Requests are still checked in full.
   */
  peer?: boolean;
  /**
   * Rewrites each answer SDP before it is sent (the network lab points its ICE candidates at an
   * impairing relay). Called once per call with the call's id.
   */
  rewriteAnswer?: (sdp: string, callId: string) => Promise<string>;
  /**
   * Rewrites each offer before the peer reads it. The lab strips the kiosk's candidates (Chromium
   * shows real host addresses once it has microphone permission), so the peer learns the kiosk only
   * from checks that came through the relay.
   */
  rewriteOffer?: (sdp: string) => string;
}

export interface RealtimeEmulator {
  /** e.g. http://127.0.0.1:PORT/v1 — use as OPENAI_BASE_URL. */
  baseUrl: string;
  apiKey: string;
  /** Every call request that got an answer, in order. */
  calls: CallRecord[];
  /** The script every call plays; a test may change its turns before the next interview starts. */
  script: InterviewScript;
  /** Requests refused before a call existed (auth, shape), with the provider's status. */
  rejected: Array<{ path: string; status: number; code: string | null }>;
  /** How many call requests arrived at all (answered, refused or failed on purpose). */
  requestCount(): number;
  failNext(kind: FailureKind, times?: number): void;
  /** Holds the next call request for `ms` before answering it normally (a slow provider). */
  delayNext(ms: number): void;
  /** Kills the live peer connection of `callId` (default: the latest call) mid-call. */
  dropPeer(callId?: string): void;
  /**
   * Which script turn the interview is at. It carries over between calls (a re-offer after a drop
   * continues the interview) until the script ends or `resetConversation()` starts a new interview.
   */
  conversation: ConversationState;
  /** Ends every live call and starts a new interview. */
  resetConversation(): Promise<void>;
  /** Refreshes `receiver` (the peer's counters of the kiosk's audio) on every live call. */
  refreshReceiverStats(): Promise<void>;
  stop(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;


function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: ProviderError): void {
  sendJson(response, error.status, error.body);
}

/** Answer for `peer: false`: same mids and codecs, fresh ICE/DTLS identity, and the answerer's DTLS role. */
function syntheticAnswer(offer: string): string {
  const ufrag = randomBytes(6).toString('hex');
  const pwd = randomBytes(16).toString('hex');
  const fingerprint = Array.from(randomBytes(32), (byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
  return (
    offer
      .split(/\r?\n/)
      .filter((line) => line !== '' && !line.startsWith('a=candidate:') && !line.startsWith('a=end-of-candidates'))
      .map((line) => {
        if (line.startsWith('a=ice-ufrag:')) return `a=ice-ufrag:${ufrag}`;
        if (line.startsWith('a=ice-pwd:')) return `a=ice-pwd:${pwd}`;
        if (line.startsWith('a=fingerprint:')) return `a=fingerprint:sha-256 ${fingerprint}`;
        if (line.startsWith('a=setup:')) return 'a=setup:active';
        if (line.startsWith('o=')) return `o=- ${Date.now()} 1 IN IP4 127.0.0.1`;
        return line;
      })
      .join('\r\n') + '\r\n'
  );
}

export async function startRealtimeEmulator(options: RealtimeEmulatorOptions = {}): Promise<RealtimeEmulator> {
  const apiKey = options.apiKey ?? `sk-emulator-${randomBytes(12).toString('hex')}`;
  const script: InterviewScript = { ...defaultInterviewScript, ...options.script };
  const usePeer = options.peer ?? true;
  const conversation = new ConversationState();
  const live = new Map<string, EmulatedCall>();
  const calls: CallRecord[] = [];
  const rejected: RealtimeEmulator['rejected'] = [];
  const failures: FailureKind[] = [];
  const delays: number[] = [];
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let requests = 0;

  async function answerCall(api: 'realtime' | 'live', session: Record<string, unknown>, offer: string): Promise<CallRecord> {
    const liveInput = api === 'live' ? ((session.input as Array<Record<string, unknown>> | undefined) ?? null) : undefined;
    if (!usePeer) {
      const record: CallRecord = {
        id: `rtc_${randomBytes(9).toString('base64url')}`,
        api,
        session,
        state: 'connected',
        offerSdp: offer,
        answerSdp: syntheticAnswer(offer),
        rtpPacketsReceived: 0,
        rtpPacketsSent: 0,
        clientEvents: [],
        serverEvents: [],
        truncations: [],
        liveInput,
      };
      calls.push(record);
      return record;
    }
    const call = new EmulatedCall(api, session, options.rewriteOffer ? options.rewriteOffer(offer) : offer, script, conversation);
    call.record.liveInput = liveInput;
    live.set(call.record.id, call);
    calls.push(call.record);
    await call.answer();
    if (options.rewriteAnswer) call.record.answerSdp = await options.rewriteAnswer(call.record.answerSdp, call.record.id);
    return call.record;
  }

  function authorised(request: IncomingMessage): string | null {
    const header = request.headers.authorization ?? '';
    const sent = header.startsWith('Bearer ') ? header.slice(7) : null;
    return sent === apiKey ? null : (sent ?? '');
  }

  function refuse(response: ServerResponse, path: string, error: ProviderError): void {
    rejected.push({ path, status: error.status, code: error.body.error.code });
    sendError(response, error);
  }

  // Scripted failures apply to the next call request, before the body is even looked at.
  async function scriptedFailure(response: ServerResponse): Promise<boolean> {
    const delay = delays.shift();
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const failure = failures.shift();
    if (!failure) return false;
    if (failure === 'hang') {
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
    } else if (failure === '5xx') {
      sendError(response, providerError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null));
    } else {
      sendError(response, providerError(400, "Invalid 'sdp': the offer was refused.", 'invalid_request_error', 'invalid_offer', 'sdp'));
    }
    return true;
  }

  async function realtimeCalls(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = '/v1/realtime/calls';
    const wrongKey = authorised(request);
    if (wrongKey !== null) return refuse(response, path, invalidKeyError(wrongKey));
    if (await scriptedFailure(response)) return;
    const contentType = request.headers['content-type'] ?? '';
    const body = await readRequestBody(request, maxBodyBytes);
    let offer: unknown;
    let session: Record<string, unknown> = { type: 'realtime' };
    if (contentType.startsWith('multipart/form-data')) {
      let form: FormData;
      try {
        form = await parseMultipartForm(body, contentType);
      } catch {
        return refuse(response, path, providerError(400, 'Could not parse multipart form data.', 'invalid_request_error', 'invalid_multipart'));
      }
      offer = form.get('sdp');
      const sessionPart = form.get('session');
      if (sessionPart !== null) {
        let parsedJson: unknown;
        try {
          parsedJson = JSON.parse(typeof sessionPart === 'string' ? sessionPart : await sessionPart.text());
        } catch {
          return refuse(response, path, providerError(400, "Invalid 'session': expected a JSON object.", 'invalid_request_error', 'invalid_value', 'session'));
        }
        const parsed = realtimeSessionSchema.safeParse(parsedJson);
        if (!parsed.success) return refuse(response, path, zodToProviderError(parsed.error, 'session'));
        session = parsed.data as Record<string, unknown>;
      }
    } else if (contentType.startsWith('application/sdp')) {
      offer = body.toString('utf8');
    } else {
      return refuse(response, path, providerError(400, 'Unsupported content type; send multipart/form-data or application/sdp.', 'invalid_request_error', 'unsupported_content_type'));
    }
    const badOffer = checkOffer(offer, 'sdp');
    if (badOffer) return refuse(response, path, badOffer);
    const record = await answerCall('realtime', session, offer as string);
    response.writeHead(201, { 'content-type': 'application/sdp', location: `/v1/realtime/calls/${record.id}` });
    response.end(record.answerSdp);
  }

  async function liveSessions(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = '/v1/live/sessions';
    const wrongKey = authorised(request);
    if (wrongKey !== null) return refuse(response, path, invalidKeyError(wrongKey));
    if (await scriptedFailure(response)) return;
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return refuse(response, path, providerError(400, 'Send the session as application/json.', 'invalid_request_error', 'unsupported_content_type'));
    }
    let json: unknown;
    try {
      json = JSON.parse((await readRequestBody(request, maxBodyBytes)).toString('utf8'));
    } catch {
      return refuse(response, path, providerError(400, 'The body is not valid JSON.', 'invalid_request_error', 'invalid_json'));
    }
    const parsed = liveSessionRequestSchema.safeParse(json);
    if (!parsed.success) return refuse(response, path, zodToProviderError(parsed.error, ''));
    const badOffer = checkOffer(parsed.data.transport.sdp, 'transport.sdp');
    if (badOffer) return refuse(response, path, badOffer);
    const record = await answerCall('live', parsed.data.session, parsed.data.transport.sdp);
    sendJson(response, 201, { session: { object: 'live.session', id: record.id, ...parsed.data.session }, transport: { type: 'webrtc', sdp: record.answerSdp } });
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://emulator.invalid');
    // Browsers may call the provider directly (the reference client in the connect benchmark does).
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-expose-headers', 'location');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'access-control-allow-headers': 'authorization, content-type', 'access-control-allow-methods': 'POST' });
      response.end();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/v1/realtime/calls') {
      requests++;
      return realtimeCalls(request, response);
    }
    if (request.method === 'POST' && url.pathname === '/v1/live/sessions') {
      requests++;
      return liveSessions(request, response);
    }
    const hangup = /^\/v1\/realtime\/calls\/([^/]+)\/hangup$/.exec(url.pathname);
    if (request.method === 'POST' && hangup) {
      const call = live.get(hangup[1]!);
      if (!call) return sendError(response, providerError(404, 'Call not found.', 'invalid_request_error', 'not_found'));
      await call.close();
      response.writeHead(200).end();
      return;
    }
    sendError(response, providerError(404, `Unknown endpoint ${request.method} ${url.pathname}.`, 'invalid_request_error', 'unknown_url'));
  }

  const server = createServer((request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) sendError(response, providerError(500, 'The emulator failed to answer.', 'server_error', null));
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    calls,
    rejected,
    conversation,
    script,
    requestCount: () => requests,
    failNext(kind, times = 1) {
      for (let i = 0; i < times; i++) failures.push(kind);
    },
    async resetConversation() {
      // The calls of the old interview end with it, so none of them moves the new one's script on.
      await Promise.all([...live.values()].map((call) => call.close()));
      conversation.reset();
    },
    async refreshReceiverStats() {
      await Promise.all([...live.values()].map((call) => call.refreshReceiverStats()));
    },
    delayNext(ms) {
      delays.push(ms);
    },
    dropPeer(callId) {
      const id = callId ?? calls.at(-1)?.id;
      const call = id ? live.get(id) : undefined;
      if (!call) throw new Error(callId ? `No call ${callId} on the emulator.` : 'The emulator has no call to drop.');
      call.drop();
    },
    async stop() {
      await Promise.all([...live.values()].map((call) => call.close()));
      for (const response of hanging) response.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
export { spawnRealtimeEmulator, type EmulatorProcess } from './emulator-process';
