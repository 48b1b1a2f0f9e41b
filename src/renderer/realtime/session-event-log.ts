// Collects WebRTC audit, telemetry and errors for the session log and hands them to main in small
// batches; a failed hand-off keeps the events and tries again with the next batch.
import { v7 as uuidv7 } from 'uuid';
import type { SessionEvent, SessionEventKind } from '../../shared/domain/interview';

const MAX_EVENTS_PER_CALL = 100;
/** Past this many unsent events the oldest telemetry is dropped first; audit and errors are kept. */
const MAX_BUFFERED = 2_000;

export interface SessionEventLogOptions {
  save: (events: SessionEvent[]) => Promise<unknown>;
  batchDelayMs?: number;
  now?: () => Date;
}

export class SessionEventLog {
  private buffer: SessionEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending: Promise<void> | null = null;

  constructor(private readonly options: SessionEventLogOptions) {}

  record(kind: SessionEventKind, data: Record<string, unknown>): void {
    const at = (this.options.now?.() ?? new Date()).toISOString();
    this.buffer.push({ id: uuidv7(), kind, at, data });
    if (this.buffer.length > MAX_BUFFERED) {
      const index = this.buffer.findIndex((event) => event.kind === 'telemetry');
      this.buffer.splice(index >= 0 ? index : 0, 1);
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.send();
    }, this.options.batchDelayMs ?? 500);
  }

  /** Sends whatever is buffered now; resolves when main has answered. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sending;
    await this.send();
  }

  private send(): Promise<void> {
    if (this.sending || this.buffer.length === 0) return this.sending ?? Promise.resolve();
    this.sending = (async () => {
      while (this.buffer.length > 0) {
        const batch = this.buffer.slice(0, MAX_EVENTS_PER_CALL);
        try {
          await this.options.save(batch);
          this.buffer.splice(0, batch.length);
        } catch {
          // Kept for the next batch; main may be busy restarting a service.
          return;
        }
      }
    })().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }
}
