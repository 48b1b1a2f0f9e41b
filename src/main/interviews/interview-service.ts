// Runs interviews on this kiosk: lists and starts them for the signed-in proctor, keeps the active one
// in the local registry, accepts its transcript and events into the outbox, and queues its end.
import { z } from 'zod';
import { endReasonSchema, type EndReason, type InterviewLaunch, type InterviewResume, type ProxyPass, type SessionEvent } from '../../shared/domain/interview';
import type { ScheduledInterview } from '../../shared/domain/proctor';
import type { TranscriptEntry } from '../../shared/domain/transcript';
import { KioskError } from '../../shared/kiosk-error';
import type { AuthSession } from '../identity/auth-session';
import { BackendFailure, type BackendClient } from '../sync/backend-client';
import type { InterviewRegistry } from './interview-registry';
import type { Logger } from '../platform/logger';
import type { Outbox } from '../sync/outbox';

export const INTERVIEW_ERROR = {
  notSignedIn: 'proctor.not_signed_in',
  notActive: 'interview.not_active',
  ended: 'interview.ended',
  busy: 'interview.busy',
  badRoomStart: 'interview.bad_room_start',
} as const;

/** A room start this far ahead of main's clock is a broken clock or a forged call, not a start. */
const ROOM_START_SLACK_MS = 60_000;

const isoFromDb = z.string().transform((value, context) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    context.addIssue({ code: 'custom', message: 'not a date' });
    return z.NEVER;
  }
  return new Date(time).toISOString();
});

const sessionsReply = z.object({
  sessions: z.array(
    z.object({
      id: z.uuid(),
      candidate: z.object({ id: z.uuid(), name: z.string() }),
      position: z.object({ id: z.uuid(), title: z.string() }),
      scheduled_at: isoFromDb,
      status: z.enum(['scheduled', 'in_progress', 'completed', 'cancelled', 'failed']),
      // Older backends do not send it; they are read as "no reason known".
      end_reason: endReasonSchema.nullable().optional(),
    }),
  ),
});

const startReply = z.object({
  session: z.object({ id: z.uuid(), status: z.string(), started_at: isoFromDb }),
  candidate: z.object({ id: z.uuid(), name: z.string() }),
  position: z.object({ id: z.uuid(), title: z.string() }),
  proxy: z.object({ url: z.string(), token: z.string(), expires_at: isoFromDb }),
  session_config: z.string(),
  policies: z.object({ max_duration_minutes: z.number().int(), consent_text: z.string(), recording: z.boolean() }),
  next_seq: z.number().int().nonnegative(),
});

export type InterviewChange = { type: 'launched'; launch: InterviewLaunch } | { type: 'ended'; interviewSessionId: string; reason: EndReason };

export interface InterviewService {
  listInterviews(): Promise<ScheduledInterview[]>;
  start(interviewSessionId: string): Promise<InterviewLaunch>;
  current(): Promise<InterviewLaunch | null>;
  /**
   * A fresh proxy token and session config for the next connection of the running interview's proxy
   * socket, from interview-start (idempotent while it runs). The backend refuses once the interview has
   * ended there: that is `interview.ended`, never retried. Unreachable, the current pass is handed back
   * while it is still valid, so a short backend outage does not cut a live interview off its proxy.
   */
  proxyPass(interviewSessionId: string): Promise<ProxyPass>;
  /** The running interview with its room start and kept transcript, for a reloaded kiosk window. */
  resume(): Promise<InterviewResume | null>;
  /** Keeps when the room opened; the first report wins. Returns the value kept. */
  roomOpened(interviewSessionId: string, startedAt: string): string;
  appendTranscript(interviewSessionId: string, entries: readonly TranscriptEntry[]): string[];
  appendEvents(interviewSessionId: string, events: readonly SessionEvent[]): number;
  finish(interviewSessionId: string, lastSeq: number, reason: EndReason): void;
  /** Asks the kiosk window to end; ends it here if the window has not done so within the grace time. */
  requestEnd(reason: EndReason): boolean;
  activeId(): string | null;
  /** The running interview's launch as the backend issued it (its policies are the tenant's current ones). */
  activeLaunch(): InterviewLaunch | null;
  onChange(listener: (change: InterviewChange) => void): () => void;
  dispose(): void;
}

export interface InterviewServiceOptions {
  registry: InterviewRegistry;
  outbox: Outbox;
  proctor: AuthSession;
  /** Token for calls a restarted kiosk makes with nobody signed in (refreshing the proxy token). */
  deviceToken(): Promise<string>;
  /**
   * This kiosk's row (the tenant config's kioskId): sent with interview-start so an unassigned interview
   * is assigned to this kiosk (whose identity uploads it) and another kiosk's is refused.
   */
  kioskId?: string;
  backend: BackendClient;
  clock: { now(): number };
  logger: Logger;
  /** Sent to the renderer: asks the kiosk window to wrap up. */
  requestRendererEnd(reason: EndReason): void;
  /** Work was queued: the sync engine should look. */
  onQueued(): void;
  endGraceMs?: number;
  /**
   * Runs writes as one local transaction (the registry and the outbox share the kiosk database), so a
   * crash can never leave an interview marked ended without its queued end, or the reverse.
   */
  atomically?: <T>(work: () => T) => T;
}

export function createInterviewService(options: InterviewServiceOptions): InterviewService {
  const listeners = new Set<(change: InterviewChange) => void>();
  let endTimer: ReturnType<typeof setTimeout> | null = null;
  const emit = (change: InterviewChange) => {
    for (const listener of listeners) listener(change);
  };

  async function proctorToken(): Promise<string> {
    const token = await options.proctor.accessToken();
    if (!token) throw new KioskError(INTERVIEW_ERROR.notSignedIn, 'A proctor must sign in first.');
    return token;
  }

  async function callStart(interviewSessionId: string, token: string): Promise<InterviewLaunch> {
    const body = options.kioskId ? { interview_session_id: interviewSessionId, kiosk_id: options.kioskId } : { interview_session_id: interviewSessionId };
    const reply = await options.backend.invoke('interview-start', body, token, startReply);
    const known = options.registry.get(interviewSessionId);
    return {
      interviewSessionId: reply.session.id,
      candidate: reply.candidate,
      position: reply.position,
      proxy: { url: reply.proxy.url, token: reply.proxy.token, expiresAt: reply.proxy.expires_at },
      sessionConfigToken: reply.session_config,
      policies: {
        maxDurationMinutes: reply.policies.max_duration_minutes,
        consentText: reply.policies.consent_text,
        recording: reply.policies.recording,
      },
      // Entries still in the local outbox are not on the server yet; never reuse their seqs.
      nextSeq: Math.max(reply.next_seq, (known?.maxSeq ?? -1) + 1),
      startedAt: reply.session.started_at,
    };
  }

  function requireActive(interviewSessionId: string) {
    const record = options.registry.get(interviewSessionId);
    if (!record) throw new KioskError(INTERVIEW_ERROR.notActive, 'That interview was not started on this kiosk.');
    if (record.state === 'ended') throw new KioskError(INTERVIEW_ERROR.ended, 'That interview has already ended; nothing more can be added to it.');
    return record;
  }

  // Starting another interview over a running one would leave the running one open on the server and
  // refuse the rest of its words; the proctor ends it first. Resuming the same one is fine.
  function refuseIfBusy(interviewSessionId: string) {
    const running = options.registry.active();
    if (running && running.launch.interviewSessionId !== interviewSessionId) {
      throw new KioskError(
        INTERVIEW_ERROR.busy,
        `The interview with ${running.launch.candidate.name} is still running on this kiosk; end it before starting another one.`,
      );
    }
  }

  function clearEndTimer() {
    if (endTimer) clearTimeout(endTimer);
    endTimer = null;
  }

  const service: InterviewService = {
    async listInterviews() {
      const reply = await options.backend.invoke('kiosk-sessions', {}, await proctorToken(), sessionsReply);
      return reply.sessions.map((session) => ({
        id: session.id,
        candidateName: session.candidate.name,
        positionTitle: session.position.title,
        scheduledAt: session.scheduled_at,
        status: session.status,
        endReason: session.end_reason ?? null,
      }));
    },
    async start(interviewSessionId) {
      refuseIfBusy(interviewSessionId);
      const launch = await callStart(interviewSessionId, await proctorToken());
      // Another start may have won while this one waited for the backend.
      refuseIfBusy(interviewSessionId);
      options.registry.activate(launch);
      clearEndTimer();
      emit({ type: 'launched', launch });
      return launch;
    },
    async current() {
      const record = options.registry.active();
      if (!record) return null;
      const launch = record.launch;
      const nextSeq = Math.max(launch.nextSeq, record.maxSeq + 1);
      // After a renderer crash the proxy token may have expired: interview-start is idempotent and
      // hands out a fresh one. Offline, the old launch is still the best answer.
      if (Date.parse(launch.proxy.expiresAt) - options.clock.now() < 60_000) {
        try {
          const token = (await options.proctor.accessToken()) ?? (await options.deviceToken());
          const fresh = await callStart(launch.interviewSessionId, token);
          options.registry.activate(fresh);
          return fresh;
        } catch (error) {
          options.logger.warn({ err: error }, 'could not refresh the proxy token for the resumed interview');
        }
      }
      return { ...launch, nextSeq };
    },
    async proxyPass(interviewSessionId) {
      const record = requireActive(interviewSessionId);
      const passOf = (launch: InterviewLaunch): ProxyPass => ({ ...launch.proxy, sessionConfigToken: launch.sessionConfigToken });
      try {
        const token = (await options.proctor.accessToken()) ?? (await options.deviceToken());
        const fresh = await callStart(interviewSessionId, token);
        // The interview may have ended here while the backend answered.
        if (options.registry.get(interviewSessionId)?.state !== 'active') throw new KioskError(INTERVIEW_ERROR.ended, 'That interview has already ended.');
        options.registry.activate(fresh);
        return passOf(fresh);
      } catch (error) {
        if (error instanceof BackendFailure && error.kind === 'http' && (error.status === 409 || error.status === 403)) {
          // not_startable (staff) or forbidden (a kiosk, which resumes only a running interview): over on the server.
          options.logger.warn({ interviewSessionId, code: error.code }, 'the backend refused a proxy pass: the interview is over there');
          throw new KioskError(INTERVIEW_ERROR.ended, 'This interview has ended; the interview service no longer takes it.');
        }
        if (error instanceof BackendFailure && error.kind === 'network' && Date.parse(record.launch.proxy.expiresAt) - options.clock.now() > 60_000) {
          options.logger.warn({ interviewSessionId }, 'backend unreachable: reusing the current proxy pass');
          return passOf(record.launch);
        }
        throw error;
      }
    },
    async resume() {
      const launch = await service.current();
      if (!launch) return null;
      const record = options.registry.get(launch.interviewSessionId);
      return { launch, roomStartedAt: record?.roomStartedAt ?? null, transcript: options.registry.transcript(launch.interviewSessionId) };
    },
    roomOpened(interviewSessionId, startedAt) {
      requireActive(interviewSessionId);
      const at = Date.parse(startedAt);
      // Not checked against the launch's startedAt: that is the server's clock, which may differ from ours.
      if (Number.isNaN(at) || at > options.clock.now() + ROOM_START_SLACK_MS) {
        throw new KioskError(INTERVIEW_ERROR.badRoomStart, 'The room cannot have opened at that time.');
      }
      return options.registry.roomOpened(interviewSessionId, new Date(at).toISOString());
    },
    appendTranscript(interviewSessionId, entries) {
      requireActive(interviewSessionId);
      const atomically = options.atomically ?? ((work) => work());
      // The outbox entry and the resume copy commit together: a crash never keeps one without the other.
      const saved = atomically(() => {
        const ids = options.outbox.appendTranscript(interviewSessionId, entries);
        options.registry.saveTranscript(interviewSessionId, entries);
        return ids;
      });
      options.onQueued();
      return saved;
    },
    appendEvents(interviewSessionId, events) {
      requireActive(interviewSessionId);
      const saved = options.outbox.appendEvents(interviewSessionId, events);
      options.onQueued();
      return saved;
    },
    finish(interviewSessionId, lastSeq, reason) {
      const record = options.registry.get(interviewSessionId);
      if (!record) throw new KioskError(INTERVIEW_ERROR.notActive, 'That interview was not started on this kiosk.');
      if (record.state === 'ended') return;
      // The end goes into the outbox behind every entry already there; the outbox never sends it
      // before they are acknowledged.
      const atomically = options.atomically ?? ((work) => work());
      atomically(() => {
        options.outbox.queueEnd(interviewSessionId, { lastSeq: Math.max(lastSeq, record.maxSeq), reason });
        options.registry.markEnded(interviewSessionId);
      });
      clearEndTimer();
      emit({ type: 'ended', interviewSessionId, reason });
      options.onQueued();
    },
    requestEnd(reason) {
      const record = options.registry.active();
      if (!record) return false;
      options.requestRendererEnd(reason);
      clearEndTimer();
      endTimer = setTimeout(() => {
        endTimer = null;
        const still = options.registry.get(record.launch.interviewSessionId);
        if (still?.state === 'active') {
          options.logger.warn({ interviewSessionId: record.launch.interviewSessionId }, 'the kiosk window did not end the interview; ending it from main');
          service.finish(record.launch.interviewSessionId, still.maxSeq, reason);
        }
      }, options.endGraceMs ?? 15_000);
      endTimer.unref?.();
      return true;
    },
    activeId() {
      return options.registry.active()?.launch.interviewSessionId ?? null;
    },
    activeLaunch() {
      return options.registry.active()?.launch ?? null;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      clearEndTimer();
      listeners.clear();
    },
  };
  return service;
}
