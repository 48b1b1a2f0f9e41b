// interview-transcript: stores up to 500 entries idempotently. The kiosk's uuid is the key and seq is
// unique per session, so a replayed batch inserts nothing; an id or seq already taken by a different
// entry is a conflict, and the whole batch is refused.
//
// An entry with `corrects` is not stored as a row of its own: it is a late transcription that replaces
// the `failed` stand-in the kiosk stored at its seq. private.correct_transcript_entry applies it (and
// audits it); the correction id is recorded on the corrected row, so a replay is a duplicate.
import type { z } from 'npm:zod@4.6.7';
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller, type Tx } from './caller-database.ts';
import type { interviewTranscriptBody } from './request-schemas.ts';
import { writableSession, type WritableSession } from './session-access.ts';

type Body = z.infer<typeof interviewTranscriptBody>;
type Entry = Body['entries'][number];
type Correction = Entry & { corrects: string };

const targetReasons = ['not_found', 'seq_mismatch', 'speaker_mismatch', 'not_failed'] as const;

function isCorrection(entry: Entry): entry is Correction {
  return entry.corrects != null;
}

export async function uploadTranscript(input: Body, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    const session = await writableSession(tx, input.interview_session_id);
    const plain = input.entries.filter((entry) => !isCorrection(entry));
    const corrections = input.entries.filter(isCorrection);
    if (plain.length > 0 && session.status !== 'in_progress') {
      throw new ApiError(409, 'session_not_in_progress', `The interview is ${session.status}; transcript entries are closed.`);
    }
    if (corrections.length > 0 && !(await takesCorrections(tx, session))) {
      throw new ApiError(
        409,
        'session_not_in_progress',
        `The interview is ${session.status}; corrections are accepted only while it runs and for 15 minutes after its end.`,
      );
    }
    const stored = plain.length > 0 ? await insertEntries(tx, session, plain) : { inserted: 0, duplicates: 0 };
    let corrected = 0;
    let duplicates = stored.duplicates;
    const conflicts: string[] = [];
    // In batch order: the first refusal decides the answer, and the transaction takes nothing back partly.
    for (const correction of corrections) {
      const [{ outcome }] = await tx<{ outcome: string }[]>`
        select private.correct_transcript_entry(
          ${session.id}::uuid, ${correction.id}::uuid, ${correction.corrects}::uuid, ${correction.seq}::integer,
          ${correction.speaker}::text, ${correction.text}::text, ${correction.confidence}::real) as outcome`;
      if (outcome === 'corrected') corrected += 1;
      else if (outcome === 'duplicate') duplicates += 1;
      else if (outcome === 'conflict') conflicts.push(correction.id);
      else if ((targetReasons as readonly string[]).includes(outcome)) {
        throw new ApiError(409, 'correction_target_invalid', correctionMessage(correction, outcome), {
          correction: correction.id,
          target: correction.corrects,
          reason: outcome,
        });
      } else {
        throw new Error(`correct_transcript_entry answered ${outcome}`);
      }
    }
    if (conflicts.length > 0) throw entryConflict(conflicts);
    return { inserted: stored.inserted, duplicates, corrected };
  });
}

async function takesCorrections(tx: Tx, session: WritableSession): Promise<boolean> {
  if (session.status === 'in_progress') return true;
  if (session.status !== 'completed' && session.status !== 'failed') return false;
  const [row] = await tx<{ open: boolean | null }[]>`
    select now() <= ended_at + private.transcript_correction_grace() as open
    from public.interview_sessions where id = ${session.id}`;
  return row?.open === true;
}

async function insertEntries(tx: Tx, session: WritableSession, entries: Entry[]) {
  const rows = entries.map((entry) => ({
    id: entry.id,
    seq: entry.seq,
    speaker: entry.speaker,
    text: entry.text,
    timestamp: entry.timestamp,
    confidence: entry.confidence,
    status: entry.status,
    item_id: entry.item_id ?? null,
    generated_text: entry.generated_text ?? null,
    heard_ms: entry.heard_ms ?? null,
    heard_estimated: entry.heard_estimated ?? false,
  }));
  // An id already used as a correction id names that correction, not a new entry.
  const usedAsCorrection = await tx<{ id: string }[]>`
    select corrected_by as id from public.transcript_entries
    where interview_session_id = ${session.id} and corrected_by = any(${entries.map((e) => e.id)}::uuid[])`;
  if (usedAsCorrection.length > 0) throw entryConflict(usedAsCorrection.map((row) => row.id));
  const inserted = await tx<{ id: string }[]>`
    insert into public.transcript_entries
      (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp", confidence, status, item_id,
       generated_text, heard_ms, heard_estimated)
    select e.id, ${session.id}, ${session.tenant_id}, e.seq, e.speaker, e.text, e."timestamp", e.confidence, e.status, e.item_id,
           e.generated_text, e.heard_ms, e.heard_estimated
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as e(
      id uuid, seq integer, speaker text, text text, "timestamp" timestamptz, confidence real, status text, item_id text,
      generated_text text, heard_ms integer, heard_estimated boolean)
    on conflict do nothing
    returning id`;
  const insertedIds = new Set(inserted.map((row) => row.id));
  const skipped = entries.filter((entry) => !insertedIds.has(entry.id));
  if (skipped.length > 0) {
    const existing = await tx<{ id: string; seq: number }[]>`
      select id, seq from public.transcript_entries
      where interview_session_id = ${session.id} and id = any(${skipped.map((e) => e.id)}::uuid[])`;
    const same = new Map(existing.map((row) => [row.id, row.seq]));
    const conflicts = skipped.filter((entry) => same.get(entry.id) !== entry.seq).map((entry) => entry.id);
    if (conflicts.length > 0) throw entryConflict(conflicts);
  }
  return { inserted: inserted.length, duplicates: skipped.length };
}

function entryConflict(conflicts: string[]): ApiError {
  return new ApiError(409, 'entry_conflict', 'Some entries reuse an id or seq already taken by a different entry.', { conflicts });
}

function correctionMessage(correction: Correction, reason: string): string {
  const subject = `Correction ${correction.id} (seq ${correction.seq}) cannot replace entry ${correction.corrects}`;
  switch (reason) {
    case 'not_found':
      return `${subject}: no such entry in this interview.`;
    case 'seq_mismatch':
      return `${subject}: that entry has a different seq.`;
    case 'speaker_mismatch':
      return `${subject}: that entry has a different speaker.`;
    default:
      return `${subject}: only a failed entry can be corrected, and this one is not (or was already corrected by another).`;
  }
}
