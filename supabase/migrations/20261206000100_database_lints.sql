-- Findings of Supabase's database linter (splinter) on the migrated database, fixed at their cause.
-- docs/backend.md "Database lints" lists what was run; tests/integration/backend/database-lint.test.ts
-- keeps the security findings from coming back.

-- rls_enabled_no_policy (SECURITY): private.kiosk_enrolments has RLS on and no policy. Deny-all was
-- the intent (only the security-definer enrolment functions, owned by postgres, touch it), but an
-- empty policy list says nothing: a later grant to a client role would be one "create policy" away
-- from exposing code hashes. A restrictive false policy states the intent in the catalog, and since
-- restrictive policies are ANDed with any permissive one added later, it keeps clients out even then.
create policy kiosk_enrolments_no_client_access on private.kiosk_enrolments
  as restrictive
  for all
  to anon, authenticated
  using (false)
  with check (false);

-- unindexed_foreign_keys (PERFORMANCE): the tenant-scoped foreign keys are (x_id, tenant_id), and a
-- single-column index on x_id does not cover them, so deleting a candidate, kiosk, position or session
-- scans the referencing table. A composite index with x_id leading serves both the foreign key and
-- every lookup the single-column index served, so it replaces it rather than sitting beside it.
create index interview_sessions_candidate_tenant_idx on public.interview_sessions (candidate_id, tenant_id);
create index interview_sessions_position_tenant_idx on public.interview_sessions (position_id, tenant_id);
create index interview_sessions_kiosk_tenant_idx on public.interview_sessions (kiosk_id, tenant_id);
drop index public.interview_sessions_candidate_id_idx;
drop index public.interview_sessions_position_id_idx;
drop index public.interview_sessions_kiosk_id_idx;

create index recordings_session_tenant_idx on public.recordings (interview_session_id, tenant_id);
drop index public.recordings_session_id_idx;

create index kiosk_enrolments_kiosk_tenant_idx on private.kiosk_enrolments (kiosk_id, tenant_id);
drop index private.kiosk_enrolments_kiosk_id_idx;

-- These two keep their (session, seq) / (session, at) indexes, which order a session's rows; the
-- foreign key needs its own.
create index transcript_entries_session_tenant_idx on public.transcript_entries (interview_session_id, tenant_id);
create index session_events_session_tenant_idx on public.session_events (interview_session_id, tenant_id);

-- Deleting an auth user sets these to null; without an index that scans every enrolment.
create index kiosk_enrolments_created_by_idx on private.kiosk_enrolments (created_by);
create index kiosk_enrolments_device_user_id_idx on private.kiosk_enrolments (device_user_id);

-- pg_graphql_authenticated_table_exposed (SECURITY, WARN; fires on a hosted project, where Supabase
-- installs pg_graphql by default, not on the local harness, which cannot install it): every table and
-- view staff read through RLS is listed, columns and relationships, in the GraphQL schema of any
-- signed-in account, kiosks and candidates included. Nothing here uses GraphQL (clients go through
-- PostgREST and the edge functions), so the endpoint is removed rather than its reflection trimmed.
-- Supabase documents this statement as the way to disable it; re-enable with create extension.
drop extension if exists pg_graphql;
