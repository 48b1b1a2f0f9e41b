// The one IPC contract between the renderer and main: channel → request/response schemas, and the
// events main pushes to the renderer. Preload, main's handler registry and the renderer client are
// all typed from these maps; nothing else names a channel.
import { z } from 'zod';
import { MAX_IPC_BATCH } from './contract/limits';
import { deviceReportSchema, seatStatusSchema } from './domain/devices';
import { endReasonSchema, interviewLaunchSchema, interviewResumeSchema, proxyPassSchema, sessionEventSchema } from './domain/interview';
import { proctorOperationsSchema, proctorStatusSchema, scheduledInterviewSchema } from './domain/proctor';
import { syncStateSchema } from './domain/sync';
import { publicTenantConfigSchema } from './domain/tenant';
import { MAX_SEQ, transcriptEntrySchema } from './domain/transcript';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['aix', 'android', 'darwin', 'freebsd', 'haiku', 'linux', 'openbsd', 'sunos', 'win32', 'cygwin', 'netbsd', 'browser']),
  shell: z.enum(['electron', 'browser-host']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const noPayload = z.undefined();
const sessionId = z.uuid();
/** A recording chunk is about a second of WebM; 8 MiB leaves room for high-bitrate cameras. */
export const MAX_RECORDING_CHUNK_BYTES = 8 * 1024 * 1024;

export const ipcContract = {
  'app.info': { request: noPayload, response: appInfoSchema },
  'config.get': { request: noPayload, response: publicTenantConfigSchema },

  /** The interview this kiosk window should be running, e.g. after the renderer was reloaded. */
  'interview.current': { request: noPayload, response: interviewLaunchSchema.nullable() },
  /**
   * A fresh proxy token and session config from the backend for the next connection of the proxy socket.
   * Fails with `interview.ended` once the backend refuses (the interview ended there, or on this kiosk).
   */
  'interview.proxyPass': { request: z.object({ interviewSessionId: sessionId }), response: proxyPassSchema },
  /** The running interview with its room start and transcript so far: what a reloaded window resumes. */
  'interview.resume': { request: noPayload, response: interviewResumeSchema.nullable() },
  /** The candidate entered the room at `startedAt`; main keeps the first value it is told (idempotent). */
  'interview.roomOpened': {
    request: z.object({ interviewSessionId: sessionId, startedAt: z.iso.datetime({ offset: true }) }),
    response: z.object({ roomStartedAt: z.iso.datetime({ offset: true }) }),
  },
  /** Queues interview-end behind the interview's last entry; main ends the lockdown session. */
  'interview.finish': {
    request: z.object({ interviewSessionId: sessionId, lastSeq: z.number().int().min(-1).max(MAX_SEQ), reason: endReasonSchema }),
    response: z.object({ queued: z.literal(true) }),
  },

  /** Resolves only once every entry is durable in the outbox. */
  'transcript.append': {
    request: z.object({ interviewSessionId: sessionId, entries: z.array(transcriptEntrySchema).min(1).max(MAX_IPC_BATCH) }),
    response: z.object({ savedIds: z.array(z.uuid()) }),
  },
  /** WebRTC audit, telemetry and errors for the session log. */
  'session.events': {
    request: z.object({ interviewSessionId: sessionId, events: z.array(sessionEventSchema).min(1).max(MAX_IPC_BATCH) }),
    response: z.object({ saved: z.number().int().nonnegative() }),
  },

  /** What the device check found (every state but `waiting` final); main shows it to the proctor. */
  'devices.report': { request: deviceReportSchema, response: z.object({ reported: z.literal(true) }) },

  'recording.start': {
    request: z.object({ interviewSessionId: sessionId, mimeType: z.string().regex(/^video\/webm(;.*)?$/) }),
    response: z.object({ recordingId: z.uuid() }),
  },
  /** Appended to the recording file as it arrives; `index` lets main refuse a gap or a replay. */
  'recording.chunk': {
    request: z.object({
      recordingId: z.uuid(),
      index: z.number().int().nonnegative(),
      bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_RECORDING_CHUNK_BYTES, 'chunk too large'),
    }),
    response: z.object({ bytesWritten: z.number().int().nonnegative() }),
  },
  'recording.finish': {
    request: z.object({ recordingId: z.uuid(), durationMs: z.number().int().nonnegative() }),
    response: z.object({ bytes: z.number().int().nonnegative() }),
  },

  'sync.status': { request: noPayload, response: syncStateSchema },
  'sync.retryNow': { request: noPayload, response: syncStateSchema },

  'proctor.status': { request: noPayload, response: proctorStatusSchema },
  'proctor.signIn': {
    request: z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) }),
    response: proctorStatusSchema,
  },
  'proctor.signOut': { request: noPayload, response: proctorStatusSchema },
  /** The running interview's seat as the kiosk window last reported it; null when none runs. */
  'proctor.seat': { request: noPayload, response: seatStatusSchema.nullable() },
  'proctor.listInterviews': { request: noPayload, response: z.object({ interviews: z.array(scheduledInterviewSchema) }) },
  'proctor.startInterview': { request: z.object({ interviewSessionId: sessionId }), response: interviewLaunchSchema },
  /** Asks the kiosk window to end gracefully; main ends it itself if the window does not answer. */
  'proctor.endInterview': { request: noPayload, response: z.object({ ending: z.boolean() }) },
  /**
   * Quitting the kiosk needs the tenant's proctor PIN (checked against its KDF hash in main). Only its
   * size is bounded here: main answers `proctor.pin_format` for a PIN that is not 6+ digits.
   */
  'proctor.quit': { request: z.object({ pin: z.string().max(64) }), response: z.object({ quitting: z.literal(true) }) },
  /**
   * Proctor operations on the running interview, each written to its session log (kind `proctor`):
   * a break (the kiosk stops the clock, mutes the microphone, tells the interviewer), its end (with a
   * short re-greeting), extra time granted live, an incident note, the identity check at the start.
   */
  'proctor.pause': { request: noPayload, response: z.object({ paused: z.literal(true) }) },
  'proctor.resume': { request: noPayload, response: z.object({ resumed: z.literal(true) }) },
  'proctor.extraTime': { request: z.object({ minutes: z.number().int().min(1).max(120) }), response: z.object({ extraMinutes: z.number().int().nonnegative() }) },
  'proctor.incident': { request: z.object({ note: z.string().trim().min(1).max(4_000) }), response: z.object({ recorded: z.literal(true) }) },
  'proctor.confirmIdentity': {
    request: z.object({ interviewSessionId: sessionId, candidateName: z.string().trim().min(1).max(400) }),
    response: z.object({ confirmed: z.literal(true) }),
  },
  /** The running interview as the proctor steered it: on a break, extra minutes, identity confirmed. */
  'proctor.operations': { request: noPayload, response: proctorOperationsSchema.nullable() },
  /** How long wrong PINs lock the quit out (0: a PIN may be tried now). */
  'proctor.pinLockout': { request: noPayload, response: z.object({ lockedForMs: z.number().int().nonnegative() }) },
} as const satisfies Record<`${string}.${string}`, { request: z.ZodType; response: z.ZodType }>;

export const ipcEvents = {
  'interview.launched': interviewLaunchSchema,
  'interview.endRequested': z.object({ reason: endReasonSchema }),
  /** The proctor paused, resumed or granted extra time: the kiosk window's clock and call follow. */
  'interview.proctorControl': z.discriminatedUnion('action', [
    z.object({ action: z.literal('pause'), at: z.iso.datetime({ offset: true }) }),
    z.object({ action: z.literal('resume'), at: z.iso.datetime({ offset: true }) }),
    z.object({ action: z.literal('extra_time'), at: z.iso.datetime({ offset: true }), extraMs: z.number().int().positive() }),
  ]),
  'sync.state': syncStateSchema,
  'lockdown.changed': z.object({ paused: z.boolean(), reason: z.string().nullable() }),
  'proctor.status': proctorStatusSchema,
  'proctor.seat': seatStatusSchema.nullable(),
  'proctor.operations': proctorOperationsSchema.nullable(),
} as const satisfies Record<`${string}.${string}`, z.ZodType>;

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
  notAvailable: 'ipc.not_available',
  internal: 'ipc.internal',
} as const;
