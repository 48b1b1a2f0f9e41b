// A transcript that says what was actually heard (migration 20261204000100): an interrupted interviewer
// turn keeps what the candidate heard apart from what the model generated, and a late transcription
// replaces its failed stand-in as an audited correction. Real Postgres and real Deno, over HTTP as the
// kiosk, plus direct SQL as the kiosk's role for what the Data API would let it try.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { docExample, entry, ids, invoke, people, scheduleInterview, shapeOf, signedIn, sqlAs } from './backend-test-kit';

let stack: BackendStack;
let kioskA: SupabaseClient;
let proctorA: SupabaseClient;

beforeAll(async () => {
  stack = await startBackendStack({ proxyUrl: 'ws://127.0.0.1:8787' });
  kioskA = await signedIn(stack, 'kiosk-1@demo.example');
  proctorA = await signedIn(stack, 'proctor@demo.example');
});

afterAll(async () => {
  await stack?.stop();
});

interface StoredEntry {
  id: string;
  seq: number;
  speaker: string;
  text: string;
  status: string;
  confidence: number | null;
  generated_text: string | null;
  heard_ms: number | null;
  heard_estimated: boolean;
  corrected_by: string | null;
  corrected_at: Date | null;
  original_text: string | null;
  original_status: string | null;
}

const columns = `id, seq, speaker, text, status, confidence, generated_text, heard_ms, heard_estimated,
                 corrected_by, corrected_at, original_text, original_status`;

async function stored(sessionId: string): Promise<StoredEntry[]> {
  return await stack.sql<StoredEntry>(`select ${columns} from public.transcript_entries where interview_session_id = $1 order by seq`, [sessionId]);
}

async function correctionEvents(sessionId: string) {
  return await stack.sql<{ data: Record<string, unknown> }>(
    `select data from public.session_events where interview_session_id = $1 and kind = 'transcript_correction' order by created_at`,
    [sessionId],
  );
}

async function upload(sessionId: string, entries: unknown[]) {
  return await invoke(kioskA, 'interview-transcript', { interview_session_id: sessionId, entries });
}

const generatedQuestion = 'Tell me about a time you disagreed with a colleague, and how you resolved it.';

function interrupted(seq: number, overrides: Record<string, unknown> = {}) {
  return entry(seq, {
    speaker: 'interviewer',
    status: 'interrupted',
    text: 'Tell me about a time you',
    generated_text: generatedQuestion,
    heard_ms: 1840,
    heard_estimated: false,
    ...overrides,
  });
}

/** What the kiosk stores when a candidate's transcription does not arrive in time: the turn, empty and failed. */
function standIn(seq: number) {
  return entry(seq, { speaker: 'candidate', text: '', status: 'failed', confidence: null });
}

function correctionOf(target: { id: string; seq: number; speaker: string }, overrides: Record<string, unknown> = {}) {
  return entry(target.seq, {
    speaker: target.speaker,
    text: 'I would start by listening to their reasons.',
    status: 'final',
    confidence: 0.82,
    corrects: target.id,
    ...overrides,
  });
}

async function runningWith(entries: unknown[]): Promise<string> {
  const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
  if (entries.length > 0) expect(await upload(sessionId, entries)).toMatchObject({ status: 200 });
  return sessionId;
}

describe('what the candidate heard', () => {
  it('stores an interrupted turn with its heard and generated text, and members read both back', async () => {
    const cut = interrupted(0, { heard_estimated: true });
    const plain = interrupted(2, { generated_text: undefined, heard_ms: undefined, heard_estimated: undefined });
    const answer = entry(1, { generated_text: null, heard_ms: null, heard_estimated: false });
    const sessionId = await scheduleInterview(stack, { status: 'in_progress' });
    expect(await upload(sessionId, [cut, answer, plain])).toEqual({ status: 200, body: { inserted: 3, duplicates: 0, corrected: 0 } });

    const rows = await sqlAs<{ seq: number; text: string; generated_text: string | null; heard_ms: number | null; heard_estimated: boolean }>(
      stack.dbUrl,
      people.proctorA,
      'select seq, text, generated_text, heard_ms, heard_estimated from public.transcript_entries where interview_session_id = $1 order by seq',
      [sessionId],
    );
    expect(rows.errorCode).toBeUndefined();
    expect(rows.rows).toEqual([
      { seq: 0, text: cut.text, generated_text: generatedQuestion, heard_ms: 1840, heard_estimated: true },
      // null on the wire is the same as absent; heard_estimated false is the default anywhere.
      { seq: 1, text: answer.text, generated_text: null, heard_ms: null, heard_estimated: false },
      { seq: 2, text: plain.text, generated_text: null, heard_ms: null, heard_estimated: false },
    ]);
  });

  it('accepts heard text as long as the generated text, counting characters as the database does', async () => {
    const sessionId = await runningWith([]);
    // Astral characters are two UTF-16 units in JS and one character in Postgres: the rule uses characters.
    const astral = interrupted(0, { text: 'abc', generated_text: '😀😀😀' });
    const equal = interrupted(2, { text: 'same words', generated_text: 'same words' });
    expect(await upload(sessionId, [astral, equal])).toMatchObject({ status: 200, body: { inserted: 2 } });
    const shorter = interrupted(4, { text: '😀😀😀😀', generated_text: 'abc' });
    expect(await upload(sessionId, [shorter])).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
  });

  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['a candidate entry with generated_text', entry(1, { generated_text: 'what the model said' }), 'generated_text'],
    ['a candidate entry with heard_ms', entry(1, { heard_ms: 100 }), 'heard_ms'],
    ['a candidate entry marked heard_estimated', entry(1, { heard_estimated: true }), 'heard_estimated'],
    ['a final interviewer entry with heard_ms', entry(0, { heard_ms: 500 }), 'heard_ms'],
    ['a final interviewer entry with generated_text', entry(0, { generated_text: 'turn 0 and more' }), 'generated_text'],
    ['a failed interviewer entry marked heard_estimated', entry(0, { status: 'failed', heard_estimated: true }), 'heard_estimated'],
    ['heard text longer than the generated text', interrupted(0, { text: 'Tell me about a time you disagreed', generated_text: 'Tell me' }), 'text'],
    ['heard_ms below zero', interrupted(0, { heard_ms: -1 }), 'heard_ms'],
    ['heard_ms over ten hours', interrupted(0, { heard_ms: 36_000_001 }), 'heard_ms'],
    ['a fractional heard_ms', interrupted(0, { heard_ms: 12.5 }), 'heard_ms'],
    ['heard_ms as a string', interrupted(0, { heard_ms: '1840' }), 'heard_ms'],
    ['a non-boolean heard_estimated', interrupted(0, { heard_estimated: 'yes' }), 'heard_estimated'],
    ['heard_estimated as 1', interrupted(0, { heard_estimated: 1 }), 'heard_estimated'],
    ['generated_text over 20,000 characters', interrupted(0, { generated_text: 'x'.repeat(20_001) }), 'generated_text'],
  ];

  it.each(refused)('refuses %s with 422 validation_failed, naming the field, and stores nothing', async (_name, bad, field) => {
    const sessionId = await runningWith([]);
    const good = entry(3);
    const answer = await upload(sessionId, [good, bad]);
    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
    const issues = (answer.body as { issues: Array<{ path: string; message: string }> }).issues;
    expect(issues.map((issue) => issue.path)).toContain(`entries.1.${field}`);
    expect(await stored(sessionId)).toEqual([]);
  });

  it('names the entry at fault in the refusal of a cross-field rule', async () => {
    const sessionId = await runningWith([]);
    const bad = entry(1, { generated_text: 'the model' });
    const answer = await upload(sessionId, [bad]);
    const body = answer.body as { error: { message: string }; issues: Array<{ path: string; message: string }> };
    expect(body.issues).toEqual([{ path: 'entries.0.generated_text', message: expect.stringContaining(`entry ${bad.id} (seq 1)`) }]);
    expect(body.error.message).toContain(bad.id);
  });

  it('refuses the same combinations in the database, for a client that writes rows directly', async () => {
    const sessionId = await runningWith([]);
    const insert = (speaker: string, status: string, text: string, generated: string | null, heardMs: number | null, estimated: boolean) =>
      sqlAs(
        stack.dbUrl,
        people.kioskA,
        `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp", status, generated_text, heard_ms, heard_estimated)
         values ($1, $2, $3, 0, $4, $6, now(), $5, $7, $8, $9)`,
        [randomUUID(), sessionId, ids.tenantA, speaker, status, text, generated, heardMs, estimated],
      );
    expect((await insert('candidate', 'final', 'a', 'ab', null, false)).errorCode).toBe('23514');
    expect((await insert('interviewer', 'final', 'a', null, 10, false)).errorCode).toBe('23514');
    expect((await insert('interviewer', 'failed', 'a', null, null, true)).errorCode).toBe('23514');
    expect((await insert('interviewer', 'interrupted', 'abc', 'ab', null, false)).errorCode).toBe('23514');
    expect((await insert('interviewer', 'interrupted', 'a', 'ab', 36_000_001, false)).errorCode).toBe('23514');
    expect((await insert('interviewer', 'interrupted', 'a', 'ab', -1, false)).errorCode).toBe('23514');
    expect(await insert('interviewer', 'interrupted', 'a', 'ab', 36_000_000, true)).toMatchObject({ rowCount: 1 });
  });
});

describe('a late transcription corrects its stand-in', () => {
  it('replaces the failed stand-in at its seq, keeps what it said before, and logs the correction', async () => {
    const gap = standIn(1);
    const sessionId = await runningWith([entry(0), gap, entry(2)]);
    const late = correctionOf(gap);
    expect(await upload(sessionId, [late])).toEqual({ status: 200, body: { inserted: 0, duplicates: 0, corrected: 1 } });

    const rows = await stored(sessionId);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({
      id: gap.id,
      seq: 1,
      speaker: 'candidate',
      text: late.text,
      status: 'final',
      corrected_by: late.id,
      original_text: '',
      original_status: 'failed',
    });
    expect(rows[1]!.confidence).toBeCloseTo(0.82, 5);
    expect(rows[1]!.corrected_at).toBeInstanceOf(Date);
    // The correction is not a row of its own: seq stays unique and the gap check sees one entry per seq.
    expect(rows.map((row) => row.id)).not.toContain(late.id);

    expect(await correctionEvents(sessionId)).toEqual([
      { data: { seq: 1, target: gap.id, correction: late.id, original_text: '', text: late.text } },
    ]);
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: sessionId, last_seq: 2, reason: 'completed' })).toMatchObject({ status: 200 });
  });

  it('counts a replayed correction as a duplicate and changes nothing the second time', async () => {
    const gap = standIn(1);
    const sessionId = await runningWith([entry(0), gap]);
    const late = correctionOf(gap);
    expect(await upload(sessionId, [late])).toMatchObject({ status: 200, body: { corrected: 1 } });
    const [before] = await stack.sql<{ corrected_at: Date; updated_at: Date }>('select corrected_at, updated_at from public.transcript_entries where id = $1', [gap.id]);
    expect(await upload(sessionId, [late, entry(2)])).toEqual({ status: 200, body: { inserted: 1, duplicates: 1, corrected: 0 } });
    const [after] = await stack.sql<{ corrected_at: Date; updated_at: Date }>('select corrected_at, updated_at from public.transcript_entries where id = $1', [gap.id]);
    expect(after).toEqual(before);
    expect(await correctionEvents(sessionId)).toHaveLength(1);
  });

  it('takes a stand-in and its correction in one batch', async () => {
    const gap = standIn(1);
    const late = correctionOf(gap);
    const sessionId = await runningWith([]);
    expect(await upload(sessionId, [late, entry(0), gap])).toEqual({ status: 200, body: { inserted: 2, duplicates: 0, corrected: 1 } });
    expect((await stored(sessionId))[1]).toMatchObject({ id: gap.id, text: late.text, status: 'final', corrected_by: late.id });
  });

  it('keeps the correction event within the log size limit when both texts are long, and the row keeps them whole', async () => {
    const long = entry(1, { speaker: 'candidate', text: 'o'.repeat(20_000), status: 'failed', confidence: null });
    const sessionId = await runningWith([long]);
    const late = correctionOf(long, { text: 'n'.repeat(20_000) });
    expect(await upload(sessionId, [late])).toMatchObject({ status: 200, body: { corrected: 1 } });
    const [row] = await stack.sql<{ text: string; original_text: string }>('select text, original_text from public.transcript_entries where id = $1', [long.id]);
    expect(row).toEqual({ text: late.text, original_text: long.text });
    const [event] = await correctionEvents(sessionId);
    expect(event!.data).toMatchObject({ seq: 1, target: long.id, correction: late.id, truncated: true });
    expect(JSON.stringify(event!.data).length).toBeLessThanOrEqual(32_768);
  });

  it('refuses a correction that is not final, or that names itself, with 422', async () => {
    const gap = standIn(1);
    const sessionId = await runningWith([gap]);
    const notFinal = correctionOf(gap, { status: 'failed' });
    const answer = await upload(sessionId, [notFinal]);
    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' }, issues: [{ path: 'entries.0.status' }] } });
    const self = correctionOf(gap);
    expect(await upload(sessionId, [{ ...self, corrects: self.id }])).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_failed' }, issues: [{ path: 'entries.0.corrects' }] },
    });
    expect(await upload(sessionId, [correctionOf(gap, { corrects: 'not-a-uuid' })])).toMatchObject({ status: 422 });
    expect((await stored(sessionId))[0]).toMatchObject({ status: 'failed', corrected_by: null });
  });
});

describe('the documented correction', () => {
  it('answers the documented correction request and refusal with the documented shapes', async () => {
    const request = docExample<{ interview_session_id: string; entries: Array<{ id: string; seq: number; speaker: string; corrects: string }> }>(
      'interview-transcript/correction-request',
    );
    const late = request.entries[0]!;
    const sessionId = await runningWith([entry(0), entry(1), { ...standIn(late.seq), id: late.corrects }]);
    const answer = await invoke(kioskA, 'interview-transcript', { ...request, interview_session_id: sessionId });
    expect(answer).toEqual({ status: 200, body: docExample('interview-transcript/correction-response') });
    expect((await stored(sessionId))[2]).toMatchObject({ id: late.corrects, status: 'final', corrected_by: late.id });

    const refused = await upload(sessionId, [{ ...late, id: randomUUID() }]);
    expect(refused.status).toBe(409);
    expect(shapeOf(refused.body)).toEqual(shapeOf(docExample('interview-transcript/correction-refused')));
    expect(refused.body).toMatchObject({ reason: 'not_failed', target: late.corrects });
  });
});

describe('correction_target_invalid', () => {
  async function expectRefused(sessionId: string, correction: Record<string, unknown>, reason: string) {
    const bystander = entry(9);
    const answer = await upload(sessionId, [bystander, correction]);
    expect(answer, reason).toMatchObject({
      status: 409,
      body: { error: { code: 'correction_target_invalid' }, correction: correction.id, target: correction.corrects, reason },
    });
    // The whole batch is refused: the plain entry sent with it is not stored either.
    expect((await stored(sessionId)).map((row) => row.id)).not.toContain(bystander.id);
  }

  it('not_found: no entry with that id in this interview (even one in another interview of the tenant)', async () => {
    const elsewhere = standIn(1);
    await runningWith([elsewhere]);
    const gap = standIn(1);
    const sessionId = await runningWith([gap]);
    await expectRefused(sessionId, correctionOf({ ...gap, id: randomUUID() }), 'not_found');
    await expectRefused(sessionId, correctionOf(elsewhere), 'not_found');
    expect(await stack.sql('select status from public.transcript_entries where id = $1', [elsewhere.id])).toEqual([{ status: 'failed' }]);
  });

  it('seq_mismatch: the correction carries a different seq than its target', async () => {
    const gap = standIn(1);
    const sessionId = await runningWith([gap, standIn(3)]);
    await expectRefused(sessionId, correctionOf({ ...gap, seq: 3 }), 'seq_mismatch');
  });

  it('speaker_mismatch: the correction is the other side of the conversation', async () => {
    const gap = standIn(1);
    const sessionId = await runningWith([gap]);
    await expectRefused(sessionId, correctionOf({ ...gap, speaker: 'interviewer' }), 'speaker_mismatch');
  });

  it('not_failed: the target is a final entry, or a stand-in another correction already replaced', async () => {
    const final = entry(1);
    const gap = standIn(3);
    const sessionId = await runningWith([final, gap]);
    await expectRefused(sessionId, correctionOf(final), 'not_failed');
    expect(await upload(sessionId, [correctionOf(gap)])).toMatchObject({ status: 200, body: { corrected: 1 } });
    await expectRefused(sessionId, correctionOf(gap, { text: 'a second opinion' }), 'not_failed');
    expect((await stored(sessionId)).find((row) => row.id === final.id)).toMatchObject({ text: final.text, corrected_by: null });
    expect(await correctionEvents(sessionId)).toHaveLength(1);
  });
});

describe('correction ids are entry ids', () => {
  it('refuses with entry_conflict a correction whose id is already a stored entry', async () => {
    const gap = standIn(1);
    const other = entry(0);
    const sessionId = await runningWith([other, gap]);
    const colliding = correctionOf(gap, { id: other.id });
    expect(await upload(sessionId, [colliding])).toMatchObject({ status: 409, body: { error: { code: 'entry_conflict' }, conflicts: [other.id] } });
    expect((await stored(sessionId))[1]).toMatchObject({ status: 'failed', corrected_by: null });
  });

  it('refuses with entry_conflict a correction id already used for another stand-in, and an entry reusing it', async () => {
    const first = standIn(1);
    const second = standIn(3);
    const sessionId = await runningWith([first, second]);
    const late = correctionOf(first);
    expect(await upload(sessionId, [late])).toMatchObject({ status: 200, body: { corrected: 1 } });
    expect(await upload(sessionId, [correctionOf(second, { id: late.id })])).toMatchObject({
      status: 409,
      body: { error: { code: 'entry_conflict' }, conflicts: [late.id] },
    });
    expect(await upload(sessionId, [entry(5, { id: late.id })])).toMatchObject({
      status: 409,
      body: { error: { code: 'entry_conflict' }, conflicts: [late.id] },
    });
    expect((await stored(sessionId)).map((row) => row.seq)).toEqual([1, 3]);
  });
});

describe('corrections after the end', () => {
  async function endedWithStandIn() {
    const gap = standIn(1);
    const sessionId = await runningWith([entry(0), gap]);
    expect(await invoke(kioskA, 'interview-end', { interview_session_id: sessionId, last_seq: 1, reason: 'completed' })).toMatchObject({ status: 200 });
    return { sessionId, gap };
  }

  it('accepts a correction within 15 minutes of the end, while plain entries stay refused', async () => {
    const { sessionId, gap } = await endedWithStandIn();
    await stack.sql(`update public.interview_sessions set ended_at = now() - interval '14 minutes' where id = $1`, [sessionId]);
    expect(await upload(sessionId, [entry(2)])).toMatchObject({ status: 409, body: { error: { code: 'session_not_in_progress' } } });
    // A correction travelling with a plain entry is refused with it.
    expect(await upload(sessionId, [correctionOf(gap), entry(2)])).toMatchObject({ status: 409, body: { error: { code: 'session_not_in_progress' } } });
    const late = correctionOf(gap);
    expect(await upload(sessionId, [late])).toEqual({ status: 200, body: { inserted: 0, duplicates: 0, corrected: 1 } });
    expect((await stored(sessionId))[1]).toMatchObject({ text: late.text, status: 'final', corrected_by: late.id });
    expect(await correctionEvents(sessionId)).toHaveLength(1);
  });

  it('refuses a correction more than 15 minutes after the end, over the API and in the database', async () => {
    const { sessionId, gap } = await endedWithStandIn();
    await stack.sql(`update public.interview_sessions set ended_at = now() - interval '16 minutes' where id = $1`, [sessionId]);
    const late = correctionOf(gap);
    expect(await upload(sessionId, [late])).toMatchObject({ status: 409, body: { error: { code: 'session_not_in_progress' } } });
    const direct = await sqlAs(stack.dbUrl, people.kioskA, 'select private.correct_transcript_entry($1, $2, $3, $4, $5, $6, $7)', [
      sessionId,
      late.id,
      gap.id,
      1,
      'candidate',
      late.text,
      0.8,
    ], { commit: true });
    expect(direct.errorCode).toBe('55000');
    expect((await stored(sessionId))[1]).toMatchObject({ status: 'failed', text: '', corrected_by: null });
  });

  it('refuses corrections to an interview that never ran', async () => {
    const sessionId = await scheduleInterview(stack, { status: 'cancelled' });
    const correction = correctionOf({ id: randomUUID(), seq: 1, speaker: 'candidate' });
    expect(await invoke(proctorA, 'interview-transcript', { interview_session_id: sessionId, entries: [correction] })).toMatchObject({
      status: 409,
      body: { error: { code: 'session_not_in_progress' } },
    });
    // The kiosk never sees an interview that did not run on it.
    expect(await upload(sessionId, [correction])).toMatchObject({ status: 404 });
  });
});

describe('the kiosk cannot correct behind the audit', () => {
  it('cannot update a stored entry directly, not even while the interview runs', async () => {
    const gap = standIn(1);
    const sessionId = await runningWith([gap]);
    for (const assignment of ["text = 'forged', status = 'final'", 'confidence = 1', "generated_text = 'x'", `corrected_by = '${randomUUID()}'`]) {
      const outcome = await sqlAs(stack.dbUrl, people.kioskA, `update public.transcript_entries set ${assignment} where id = $1`, [gap.id], { commit: true });
      expect(outcome.errorCode, assignment).toBe('42501');
    }
    const upsert = await sqlAs(
      stack.dbUrl,
      people.kioskA,
      `insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp", status)
       values ($1, $2, $3, 1, 'candidate', 'forged', now(), 'final') on conflict (id) do update set text = excluded.text, status = excluded.status`,
      [gap.id, sessionId, ids.tenantA],
      { commit: true },
    );
    expect(upsert.errorCode).toBe('42501');
    expect((await stored(sessionId))[0]).toMatchObject({ text: '', status: 'failed', corrected_by: null });
  });

  it('cannot write a transcript_correction event itself, directly or through interview-events', async () => {
    const sessionId = await runningWith([]);
    const direct = await sqlAs(
      stack.dbUrl,
      people.kioskA,
      `insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data) values ($1, $2, $3, 'transcript_correction', now(), '{"seq":1}')`,
      [randomUUID(), sessionId, ids.tenantA],
      { commit: true },
    );
    expect(direct.errorCode).toBe('42501');
    const viaApi = await invoke(kioskA, 'interview-events', {
      interview_session_id: sessionId,
      events: [{ id: randomUUID(), kind: 'transcript_correction', at: new Date().toISOString(), data: { seq: 1 } }],
    });
    expect(viaApi).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
    expect(await correctionEvents(sessionId)).toEqual([]);
  });
});
