// Drains the outbox to the backend: one loop per lane (transcript/events/end, and recording uploads, so
// a long video upload never holds back the transcript), exponential backoff with jitter on trouble,
// resumed on start-up, on reconnect, on a timer and on demand. Publishes its state as a stream.
import type { SyncState } from '../../shared/domain/sync';
import { BackendFailure } from './backend-client';
import type { Lane, Outbox, OutboxBatch } from './outbox';
import { MAX_BATCH } from './outbox';
import type { Logger } from '../platform/logger';
import { backoffDelay, classifyFailure, DEFAULT_BACKOFF, type BackoffOptions } from './sync-policy';

export interface LaneSender {
  lane: Lane;
  send(batch: OutboxBatch): Promise<void>;
}

export interface SyncEngineOptions {
  outbox: Outbox;
  senders: LaneSender[];
  /** Refreshes the identity uploads run as, after a 401. */
  reauth(): Promise<void>;
  clock: { now(): number };
  random?: () => number;
  logger: Logger;
  backoff?: BackoffOptions;
  /** How often a sleeping engine looks at the outbox again even when nothing prompted it. */
  pollIntervalMs?: number;
}

export interface SyncEngine {
  start(): void;
  /** Something changed (new work, network back): drain now unless a backoff is in force. */
  kick(): void;
  /** The proctor's "Retry uploads now": forget the backoff and drain at once. */
  retryNow(): Promise<SyncState>;
  setOnline(online: boolean): void;
  state(): SyncState;
  subscribe(listener: (state: SyncState) => void): () => void;
  /** Resolves when no lane is draining (tests, shutdown). */
  idle(): Promise<void>;
  dispose(): Promise<void>;
}

interface LaneState {
  sender: LaneSender;
  running: Promise<void> | null;
  again: boolean;
  attempt: number;
  limit: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  retryAt: number | null;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const listeners = new Set<(state: SyncState) => void>();
  let online = true;
  let lastError: SyncState['lastError'] = null;
  let lastSyncAt: string | null = null;
  let disposed = false;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  const lanes: LaneState[] = options.senders.map((sender) => ({
    sender,
    running: null,
    again: false,
    attempt: 0,
    limit: MAX_BATCH,
    retryTimer: null,
    retryAt: null,
  }));

  const iso = (ms: number) => new Date(ms).toISOString();

  function state(): SyncState {
    const stats = options.outbox.stats();
    return {
      online,
      pending: stats.pending,
      oldestPendingAgeMs: stats.oldestCreatedAt === null ? null : Math.max(0, options.clock.now() - stats.oldestCreatedAt),
      deadLetters: stats.deadLetters,
      lastError,
      lastSyncAt,
    };
  }

  function publish() {
    if (listeners.size === 0) return;
    const current = state();
    for (const listener of listeners) listener(current);
  }

  function run(lane: LaneState): Promise<void> {
    if (disposed) return Promise.resolve();
    if (lane.running) {
      lane.again = true;
      return lane.running;
    }
    lane.running = (async () => {
      do {
        lane.again = false;
        await drain(lane);
      } while (lane.again && !disposed && lane.retryTimer === null);
    })().finally(() => {
      lane.running = null;
    });
    return lane.running;
  }

  async function drain(lane: LaneState): Promise<void> {
    let reauthed = false;
    while (!disposed) {
      const batch = options.outbox.nextBatch(lane.sender.lane, lane.limit);
      if (!batch) {
        lane.attempt = 0;
        lane.limit = MAX_BATCH;
        return;
      }
      const ids = batch.ops.map((op) => op.id);
      try {
        await lane.sender.send(batch);
        options.outbox.ack(ids);
        online = true;
        lastSyncAt = iso(options.clock.now());
        lane.attempt = 0;
        reauthed = false;
        publish();
        continue;
      } catch (error) {
        const failure =
          error instanceof BackendFailure ? error : new BackendFailure('http', 500, 'sync.internal', error instanceof Error ? error.message : String(error));
        // Counting this attempt, which noteAttempt below stores.
        const decision = classifyFailure(failure, batch.ops.length, Math.max(...batch.ops.map((op) => op.attempts)) + 1);
        online = failure.kind !== 'network';
        lastError = { code: failure.code, message: failure.message, at: iso(options.clock.now()) };
        options.outbox.noteAttempt(ids);
        if (decision === 'reauth' && !reauthed) {
          reauthed = true;
          try {
            await options.reauth();
            continue;
          } catch (reauthError) {
            options.logger.warn({ err: reauthError }, 'refreshing the upload identity failed');
          }
        }
        if (decision === 'split') {
          lane.limit = Math.max(1, Math.ceil(batch.ops.length / 2));
          continue;
        }
        if (decision === 'reject') {
          options.logger.warn({ interviewId: batch.interviewId, kind: batch.kind, count: ids.length, code: failure.code }, 'upload rejected; moved to dead letters');
          options.outbox.deadLetter(ids, failure.code, failure.message);
          // A split that isolated the bad entry is over: back to full batches.
          lane.limit = MAX_BATCH;
          publish();
          continue;
        }
        const delay = backoffDelay(lane.attempt++, backoff, random);
        options.logger.info({ lane: lane.sender.lane, code: failure.code, delayMs: delay }, 'upload failed; retrying later');
        scheduleRetry(lane, delay);
        publish();
        return;
      }
    }
  }

  function scheduleRetry(lane: LaneState, delay: number) {
    if (lane.retryTimer) clearTimeout(lane.retryTimer);
    lane.retryAt = options.clock.now() + delay;
    lane.retryTimer = setTimeout(() => {
      lane.retryTimer = null;
      lane.retryAt = null;
      void run(lane);
    }, delay);
    lane.retryTimer.unref?.();
  }

  function clearRetry(lane: LaneState) {
    if (lane.retryTimer) clearTimeout(lane.retryTimer);
    lane.retryTimer = null;
    lane.retryAt = null;
  }

  const allRunning = () => Promise.all(lanes.map((lane) => lane.running ?? Promise.resolve())).then(() => undefined);

  return {
    start() {
      if (pollTimer || disposed) return;
      pollTimer = setInterval(() => {
        for (const lane of lanes) if (!lane.retryTimer) void run(lane);
        publish();
      }, options.pollIntervalMs ?? 30_000);
      pollTimer.unref?.();
      for (const lane of lanes) void run(lane);
    },
    kick() {
      publish();
      for (const lane of lanes) if (!lane.retryTimer) void run(lane);
    },
    async retryNow() {
      for (const lane of lanes) {
        clearRetry(lane);
        lane.attempt = 0;
      }
      const drains = Promise.all(lanes.map((lane) => run(lane)));
      // A long recording upload must not hold the proctor's click hostage.
      await Promise.race([drains, new Promise((resolve) => setTimeout(resolve, 5_000).unref?.())]);
      return state();
    },
    setOnline(next) {
      const wasOnline = online;
      online = next;
      if (next && !wasOnline) {
        for (const lane of lanes) {
          clearRetry(lane);
          lane.attempt = 0;
          void run(lane);
        }
      }
      publish();
    },
    state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async idle() {
      await allRunning();
    },
    async dispose() {
      disposed = true;
      if (pollTimer) clearInterval(pollTimer);
      for (const lane of lanes) clearRetry(lane);
      await allRunning();
      listeners.clear();
    },
  };
}
