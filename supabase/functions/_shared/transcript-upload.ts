// interview-transcript: stores up to 500 entries idempotently. The kiosk's uuid is the key and seq is
// unique per session, so a replayed batch inserts nothing; an id or seq already taken by a different
// entry is a conflict, and the whole batch is refused.
import type { z } from 'npm:zod@4.6.7';
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller } from './caller-database.ts';
import type { interviewTranscriptBody } from './request-schemas.ts';
import { writableSession } from './session-access.ts';

export async function uploadTranscript(input: z.infer<typeof interviewTranscriptBody>, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    const session = await writableSession(tx, input.interview_session_id);
    if (session.status !== 'in_progress') {
      throw new ApiError(409, 'session_not_in_progress', `The interview is ${session.status}; transcript entries are closed.`);
    }
    const rows = input.entries.map((entry) => ({
      id: entry.id,
      seq: entry.seq,
      speaker: entry.speaker,
      text: entry.text,
      timestamp: entry.timestamp,
      confidence: entry.confidence,
      status: entry.status,
      item_id: entry.item_id ?? null,
    }));
    const inserted = await tx<{ id: string }[]>`
      insert into public.transcript_entries
        (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp", confidence, status, item_id)
      select e.id, ${session.id}, ${session.tenant_id}, e.seq, e.speaker, e.text, e."timestamp", e.confidence, e.status, e.item_id
      from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as e(
        id uuid, seq integer, speaker text, text text, "timestamp" timestamptz, confidence real, status text, item_id text)
      on conflict do nothing
      returning id`;
    const insertedIds = new Set(inserted.map((row) => row.id));
    const skipped = input.entries.filter((entry) => !insertedIds.has(entry.id));
    if (skipped.length > 0) {
      const existing = await tx<{ id: string; seq: number }[]>`
        select id, seq from public.transcript_entries
        where interview_session_id = ${session.id} and id = any(${skipped.map((e) => e.id)}::uuid[])`;
      const same = new Map(existing.map((row) => [row.id, row.seq]));
      const conflicts = skipped.filter((entry) => same.get(entry.id) !== entry.seq).map((entry) => entry.id);
      if (conflicts.length > 0) {
        throw new ApiError(409, 'entry_conflict', 'Some entries reuse an id or seq already taken by a different entry.', {
          conflicts,
        });
      }
    }
    return { inserted: inserted.length, duplicates: skipped.length };
  });
}
