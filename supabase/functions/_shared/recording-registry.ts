// interview-recording: records where the interview's recording was uploaded (upsert on the kiosk's id).
import type { z } from 'npm:zod@4.6.7';
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller } from './caller-database.ts';
import type { interviewRecordingBody } from './request-schemas.ts';
import { writableSession } from './session-access.ts';

export async function registerRecording(input: z.infer<typeof interviewRecordingBody>, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    const session = await writableSession(tx, input.interview_session_id);
    const stored = await tx<{ id: string }[]>`
      insert into public.recordings (id, interview_session_id, tenant_id, provider, video_id, bytes, duration_ms)
      values (${input.recording_id}, ${session.id}, ${session.tenant_id}, ${input.provider}, ${input.video_id},
              ${input.bytes}, ${input.duration_ms})
      on conflict (id) do update
        set video_id = excluded.video_id, bytes = excluded.bytes, duration_ms = excluded.duration_ms,
            provider = excluded.provider
        where recordings.interview_session_id = excluded.interview_session_id
      returning id`;
    if (stored.length === 0) {
      throw new ApiError(409, 'recording_conflict', 'This recording id belongs to another interview.');
    }
    return { recording_id: stored[0].id };
  });
}
