// The session log of lockdown events (focus lost, display added, permission denied, shortcut blocked):
// queued with the active interview's data so the backend keeps an audit trail beside the transcript.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger';

export type LockdownEventType =
  | 'focus_lost'
  | 'display_added'
  | 'display_removed'
  | 'permission_denied'
  | 'shortcut_blocked'
  | 'navigation_blocked'
  | 'window_open_blocked'
  | 'renderer_gone'
  | 'power_blocker';

export interface LockdownLog {
  record(type: LockdownEventType, detail?: Record<string, unknown>): void;
}

export interface LockdownLogOptions {
  activeInterviewId(): string | null;
  append(interviewId: string, event: { id: string; kind: 'lockdown'; at: string; data: Record<string, unknown> }): void;
  clock: { now(): number };
  logger: Logger;
}

export function createLockdownLog(options: LockdownLogOptions): LockdownLog {
  return {
    record(type, detail = {}) {
      const interviewId = options.activeInterviewId();
      options.logger.info({ lockdown: type, interviewId, ...detail }, 'lockdown event');
      if (!interviewId) return;
      try {
        options.append(interviewId, { id: randomUUID(), kind: 'lockdown', at: new Date(options.clock.now()).toISOString(), data: { type, ...detail } });
      } catch (error) {
        options.logger.warn({ err: error, lockdown: type }, 'lockdown event could not be queued');
      }
    },
  };
}
