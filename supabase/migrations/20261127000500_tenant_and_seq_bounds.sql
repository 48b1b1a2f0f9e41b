-- Two limits a client must not be able to lift.
-- 1. A tenant admin may edit the centre's own settings, never where its proxy runs: proxy_strategy,
--    proxy_url and the fly_* columns decide which image the backend's Fly token starts with which
--    app's secrets, so only the service role changes them.
revoke update on public.tenants from authenticated;
grant update (name, max_duration_minutes, consent_text, recording_enabled) on public.tenants to authenticated;

-- 2. Sequence numbers stay in the range a real interview can reach (a turn every few seconds for four
--    hours is a few thousand), so gap checks over 0..last_seq stay cheap whatever a caller sends.
alter table public.transcript_entries add constraint transcript_entries_seq_bound check (seq <= 100000);
alter table public.interview_sessions add constraint interview_sessions_last_seq_bound check (last_seq <= 100000);

-- 3. A position's brief becomes the interviewer's instructions inside the signed session config the
--    kiosk hands the proxy in one signalling frame; keep it to what that frame carries, so an oversized
--    brief is refused when the admin saves it, not when a candidate presses Start.
alter table public.positions add constraint positions_brief_size
  check (octet_length(title) + octet_length(description) + octet_length(instructions) + octet_length(interview_plan::text) <= 24000);
