-- A transcript that says what was actually heard.
--   1. An interviewer turn the candidate cut off keeps two texts: `text`, what the candidate heard
--      (the audio played up to the interruption), and `generated_text`, everything the model had
--      produced for that turn. `heard_ms` is how much of the turn's audio was played; `heard_estimated`
--      says the kiosk estimated the cut rather than measuring it. Only an interrupted interviewer turn
--      has these, and what was heard is never longer than what was generated.
--   2. A candidate's words whose transcription arrived late (the kiosk stored a `failed` stand-in to keep
--      seq without a gap) are corrected in place, once, through private.correct_transcript_entry: the
--      stand-in's text and status become the late transcription's, the row keeps what it said before
--      and which correction replaced it, and the session's event log gets a `transcript_correction`
--      event. Clients lose every other way of changing a stored entry.
--
-- Every row stored before this migration has the new columns at their defaults (null / false), so the
-- checks below hold for all of them: none needs `not valid`.

-- 1. What was heard.
alter table public.transcript_entries
  add column generated_text text,
  add column heard_ms integer,
  add column heard_estimated boolean not null default false,
  add column corrected_by uuid,
  add column corrected_at timestamptz,
  add column original_text text,
  add column original_status text;

alter table public.transcript_entries
  add constraint transcript_entries_generated_text_size check (length(generated_text) <= 20000),
  -- Ten hours: far beyond any turn, small enough that a wrong unit (µs, ns) is refused.
  add constraint transcript_entries_heard_ms_range check (heard_ms between 0 and 36000000),
  add constraint transcript_entries_heard_only_interrupted check (
    (speaker = 'interviewer' and status = 'interrupted')
    or (generated_text is null and heard_ms is null and heard_estimated = false)),
  add constraint transcript_entries_heard_within_generated check (
    generated_text is null or length(text) <= length(generated_text));

-- 2. Corrections: the audit columns are set together, only by a correction, which always leaves a final entry.
alter table public.transcript_entries
  add constraint transcript_entries_original_status check (original_status in ('final', 'failed', 'interrupted')),
  add constraint transcript_entries_original_text_size check (length(original_text) <= 20000),
  add constraint transcript_entries_correction_audit check (
    (corrected_by is null and corrected_at is null and original_text is null and original_status is null)
    or (corrected_by is not null and corrected_at is not null and original_text is not null and original_status is not null
        and corrected_by <> id and status = 'final'));

-- A correction id replaces one stand-in, ever: the same id aimed at a second entry is a conflict.
create unique index transcript_entries_corrected_by_key on public.transcript_entries (corrected_by) where corrected_by is not null;

-- No client updates a stored entry any more (the policy let staff and the kiosk rewrite any entry of a
-- running interview). A correction goes through the function below, which checks and audits it.
drop policy "writers correct entries while in progress" on public.transcript_entries;
revoke update on public.transcript_entries from authenticated, anon;

-- The correction event is the server's record: the kind exists, but no client may write it.
alter table public.session_events drop constraint session_events_kind_check;
alter table public.session_events add constraint session_events_kind_check
  check (kind in ('webrtc_status', 'sdp_offer', 'sdp_answer', 'ice_candidate', 'telemetry', 'lockdown', 'error',
                  'transcript_correction'));
alter policy "writers append session events" on public.session_events
  with check (
    tenant_id in (select tu.tenant_id from public.tenant_users tu where tu.user_id = (select auth.uid()) and tu.role in ('admin', 'proctor', 'kiosk'))
    and kind <> 'transcript_correction');

-- How long after its end an interview still takes corrections: a kiosk that ends the interview while a
-- transcription is still on its way uploads the correction in the minutes after.
create function private.transcript_correction_grace() returns interval
language sql
immutable
set search_path = ''
as $$ select interval '15 minutes' $$;

-- Applies one correction; returns 'corrected', 'duplicate' (this correction is already applied),
-- 'conflict' (the correction id belongs to another entry or another correction), or one of the target
-- reasons 'not_found', 'seq_mismatch', 'speaker_mismatch', 'not_failed'. The caller (interview-transcript)
-- turns anything but the first two into a refusal of the whole batch, which rolls back its transaction.
-- Raises 42501 for a caller who may not write to the interview and 55000 outside the correction window.
create function private.correct_transcript_entry(
  p_session_id uuid,
  p_correction_id uuid,
  p_target_id uuid,
  p_seq integer,
  p_speaker text,
  p_text text,
  p_confidence real
) returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session public.interview_sessions%rowtype;
  v_role text;
  v_target public.transcript_entries%rowtype;
  v_data jsonb;
begin
  -- A share lock: the interview cannot end (or change state) while a correction to it is applied.
  select * into v_session from public.interview_sessions s where s.id = p_session_id for share;
  v_role := case when found then private.caller_role(v_session.tenant_id) end;
  -- The rule the row-level security applies to writes: the tenant's staff and its kiosk identity.
  if v_role is null or v_role not in ('admin', 'proctor', 'kiosk') then
    raise exception 'not allowed to correct this interview''s transcript' using errcode = '42501';
  end if;
  if not (v_session.status = 'in_progress'
          or v_session.status in ('completed', 'failed')
             and v_session.ended_at is not null
             and now() <= v_session.ended_at + private.transcript_correction_grace()) then
    raise exception 'the interview is % and no longer takes corrections', v_session.status using errcode = '55000';
  end if;
  if p_correction_id is null or p_target_id is null or p_correction_id = p_target_id then
    raise exception 'a correction needs its own id and the id of the entry it corrects' using errcode = '22023';
  end if;
  if p_text is null or length(p_text) > 20000 then
    raise exception 'a correction needs a text of at most 20000 characters' using errcode = '22023';
  end if;

  select * into v_target from public.transcript_entries t
  where t.id = p_target_id and t.interview_session_id = p_session_id
  for update;
  if v_target.id is not null and v_target.corrected_by = p_correction_id then
    return 'duplicate';
  end if;
  if exists (select 1 from public.transcript_entries t where t.id = p_correction_id)
     or exists (select 1 from public.transcript_entries t where t.corrected_by = p_correction_id) then
    return 'conflict';
  end if;
  if v_target.id is null then
    return 'not_found';
  end if;
  if v_target.seq <> p_seq then
    return 'seq_mismatch';
  end if;
  if v_target.speaker <> p_speaker then
    return 'speaker_mismatch';
  end if;
  if v_target.status <> 'failed' then
    return 'not_failed';
  end if;

  update public.transcript_entries t
  set text = p_text,
      status = 'final',
      confidence = p_confidence,
      corrected_by = p_correction_id,
      corrected_at = now(),
      original_text = v_target.text,
      original_status = v_target.status
  where t.id = p_target_id;

  -- Events keep to the 32 KB the log allows; the row above holds both texts in full.
  v_data := jsonb_build_object('seq', p_seq, 'target', p_target_id, 'correction', p_correction_id,
                               'original_text', v_target.text, 'text', p_text);
  if octet_length(v_data::text) > 32768 then
    v_data := jsonb_build_object('seq', p_seq, 'target', p_target_id, 'correction', p_correction_id,
                                 'original_text', left(v_target.text, 2000), 'text', left(p_text, 2000), 'truncated', true);
  end if;
  insert into public.session_events (id, interview_session_id, tenant_id, kind, at, data)
  values (extensions.gen_random_uuid(), p_session_id, v_session.tenant_id, 'transcript_correction', now(), v_data);
  return 'corrected';
end
$$;

revoke all on function private.transcript_correction_grace() from public, anon;
grant execute on function private.transcript_correction_grace() to authenticated, service_role;
revoke all on function private.correct_transcript_entry(uuid, uuid, uuid, integer, text, text, real) from public, anon;
grant execute on function private.correct_transcript_entry(uuid, uuid, uuid, integer, text, text, real) to authenticated, service_role;
