// Sends one outbox batch of the data lane to its edge function, as the device identity, in the API's
// snake_case shape. Every call is idempotent on the server (entry ids, event ids, an ended session).
import { z } from 'zod';
import type { SessionEvent } from '../../shared/domain/interview';
import { toTranscriptWire } from '../../shared/contract/transcript';
import type { TranscriptEntry } from '../../shared/domain/transcript';
import { BackendFailure, type BackendClient } from './backend-client';
import type { DeviceIdentity } from '../identity/device-identity';
import type { EndPayload, OutboxBatch } from './outbox';
import type { LaneSender } from './sync-engine';

const insertedReply = z.object({ inserted: z.number().int(), duplicates: z.number().int() });
const endReply = z.object({ status: z.enum(['completed', 'failed']), missing: z.array(z.number()).optional() });

export function createDataUploader(backend: BackendClient, identity: DeviceIdentity): LaneSender {
  return {
    lane: 'data',
    async send(batch: OutboxBatch) {
      const token = await identity.accessToken();
      const interview_session_id = batch.interviewId;
      switch (batch.kind) {
        case 'transcript':
          await backend.invoke(
            'interview-transcript',
            { interview_session_id, entries: batch.ops.map((op) => toTranscriptWire(op.payload as TranscriptEntry)) },
            token,
            insertedReply,
          );
          return;
        case 'event':
          await backend.invoke(
            'interview-events',
            { interview_session_id, events: batch.ops.map((op) => op.payload as SessionEvent) },
            token,
            insertedReply,
          );
          return;
        case 'end': {
          const end = batch.ops[0]!.payload as EndPayload;
          try {
            await backend.invoke('interview-end', { interview_session_id, last_seq: end.lastSeq, reason: end.reason }, token, endReply);
          } catch (error) {
            if (error instanceof BackendFailure && error.code === 'missing_entries') {
              const missing = (error.body as { missing?: unknown } | undefined)?.missing;
              throw new BackendFailure(error.kind, error.status, error.code, `${error.message} (missing seq: ${JSON.stringify(missing ?? [])})`, error.body);
            }
            throw error;
          }
          return;
        }
        default:
          throw new BackendFailure('http', 400, 'sync.wrong_lane', `A ${batch.kind} operation reached the data uploader.`);
      }
    },
  };
}
