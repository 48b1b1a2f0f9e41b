-- Demo data for the local stack and the tests: two tenants, their people (password demo-password-1),
-- kiosks with their device identities (two in the demo centre, one in the other), positions,
-- candidates, and interviews scheduled for today (UTC). The device identities here are test fixtures
-- with a known password; a real kiosk gets its own through enrolment (docs/deploy.md), and the local
-- stack enrols the demo kiosk afresh at every start, which replaces kiosk-1@demo.example.

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                        raw_app_meta_data, raw_user_meta_data)
select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
       extensions.crypt('demo-password-1', extensions.gen_salt('bf')), now(),
       '{"provider":"email","providers":["email"]}'::jsonb, jsonb_build_object('name', u.name)
from (values
  ('00000000-0000-4000-8000-000000000201'::uuid, 'proctor@demo.example', 'Demo Proctor'),
  ('00000000-0000-4000-8000-000000000202'::uuid, 'kiosk-1@demo.example', 'Kiosk 1'),
  ('00000000-0000-4000-8000-000000000203'::uuid, 'ada@candidates.example', 'Ada Lovelace'),
  ('00000000-0000-4000-8000-000000000204'::uuid, 'grace@candidates.example', 'Grace Hopper'),
  ('00000000-0000-4000-8000-000000000205'::uuid, 'proctor@other.example', 'Other Proctor'),
  ('00000000-0000-4000-8000-000000000206'::uuid, 'admin@demo.example', 'Demo Admin'),
  ('00000000-0000-4000-8000-000000000207'::uuid, 'kiosk-2@demo.example', 'Kiosk 2'),
  ('00000000-0000-4000-8000-000000000208'::uuid, 'kiosk@other.example', 'Other kiosk'),
  ('00000000-0000-4000-8000-000000000209'::uuid, 'reviewer@demo.example', 'Demo Reviewer'),
  ('00000000-0000-4000-8000-000000000210'::uuid, 'reviewer@other.example', 'Other Reviewer')
) as u (id, email, name);

insert into public.tenants (id, name, proxy_strategy, proxy_url, max_duration_minutes, consent_text, recording_enabled)
values
  ('00000000-0000-4000-8000-000000000001', 'Demo Assessment Centre', 'shared', 'ws://127.0.0.1:8787', 30,
   'This interview is led by an AI interviewer. Your voice and video are recorded and transcribed so that assessors can review it.',
   true),
  ('00000000-0000-4000-8000-000000000002', 'Other Centre', 'shared', 'wss://other-centre-proxy.fly.dev', 45,
   'This interview is recorded and transcribed.', false);

insert into public.tenant_users (tenant_id, user_id, role) values
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000201', 'proctor'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000202', 'kiosk'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000206', 'admin'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000205', 'proctor'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000207', 'kiosk'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000208', 'kiosk'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000209', 'reviewer'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000210', 'reviewer');

insert into public.kiosks (id, tenant_id, name, device_user_id) values
  ('00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-000000000001', 'Kiosk 1 (front desk)', '00000000-0000-4000-8000-000000000202'),
  ('00000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000002', 'Other kiosk', '00000000-0000-4000-8000-000000000208'),
  ('00000000-0000-4000-8000-000000000103', '00000000-0000-4000-8000-000000000001', 'Kiosk 2 (back office)', '00000000-0000-4000-8000-000000000207');

insert into public.positions (id, tenant_id, title, description, instructions, interview_plan, voice, max_duration_minutes) values
  ('00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000001', 'Backend Engineer',
   'Builds and runs the services behind our products.',
   'You are a friendly, structured interviewer for a backend engineering role. Ask one question at a time, follow up on vague answers, and never reveal an assessment.',
   '["Warm-up: the candidate''s recent work", "Designing an idempotent upload API", "Debugging a slow database query", "Questions from the candidate"]',
   'alloy', 20),
  ('00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000001', 'Customer Support Specialist',
   'Helps customers by phone and chat.',
   'You are a warm interviewer for a customer support role. Use short questions and give the candidate time to think.',
   '["Introduction", "A difficult customer", "Prioritising a busy queue"]',
   null, null),
  ('00000000-0000-4000-8000-000000000303', '00000000-0000-4000-8000-000000000002', 'Data Analyst',
   'Turns data into decisions.', 'You interview data analysts.', '["SQL", "Statistics"]', null, null);

insert into public.candidates (id, tenant_id, name, email) values
  ('00000000-0000-4000-8000-000000000401', '00000000-0000-4000-8000-000000000001', 'Ada Lovelace', 'ada@candidates.example'),
  ('00000000-0000-4000-8000-000000000402', '00000000-0000-4000-8000-000000000001', 'Grace Hopper', 'grace@candidates.example'),
  ('00000000-0000-4000-8000-000000000403', '00000000-0000-4000-8000-000000000002', 'Linus Pauling', 'linus@candidates.example');

insert into public.interview_sessions (id, tenant_id, candidate_id, position_id, kiosk_id, scheduled_at, status,
                                       started_at, ended_at, end_reason, last_seq, webrtc_status) values
  ('00000000-0000-4000-8000-000000000501', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000401',
   '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000101',
   date_trunc('day', now()) + interval '9 hours', 'scheduled', null, null, null, null, 'pending'),
  ('00000000-0000-4000-8000-000000000502', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000402',
   '00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000101',
   date_trunc('day', now()) + interval '11 hours 30 minutes', 'scheduled', null, null, null, null, 'pending'),
  ('00000000-0000-4000-8000-000000000503', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000402',
   '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000101',
   date_trunc('day', now()) + interval '14 hours', 'scheduled', null, null, null, null, 'pending'),
  -- Yesterday's finished interview: history for the candidate's own view.
  ('00000000-0000-4000-8000-000000000504', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000401',
   '00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000101',
   date_trunc('day', now()) - interval '1 day' + interval '10 hours', 'completed',
   date_trunc('day', now()) - interval '1 day' + interval '10 hours', date_trunc('day', now()) - interval '1 day' + interval '10 hours 20 minutes',
   'completed', 1, 'closed'),
  ('00000000-0000-4000-8000-000000000505', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000403',
   '00000000-0000-4000-8000-000000000303', '00000000-0000-4000-8000-000000000102',
   date_trunc('day', now()) + interval '10 hours', 'scheduled', null, null, null, null, 'pending');

insert into public.transcript_entries (id, interview_session_id, tenant_id, seq, speaker, text, "timestamp", confidence, status) values
  ('00000000-0000-4000-8000-000000000601', '00000000-0000-4000-8000-000000000504', '00000000-0000-4000-8000-000000000001', 0,
   'interviewer', 'Hello Ada, thanks for coming in. Could you tell me about a difficult customer you helped?',
   date_trunc('day', now()) - interval '1 day' + interval '10 hours 1 minute', null, 'final'),
  ('00000000-0000-4000-8000-000000000602', '00000000-0000-4000-8000-000000000504', '00000000-0000-4000-8000-000000000001', 1,
   'candidate', 'Certainly. A customer''s order had been lost twice, so I first listened, then...',
   date_trunc('day', now()) - interval '1 day' + interval '10 hours 2 minutes', 0.93, 'final');

-- AI assessment (issue 14): the demo centre opts in, and the Backend Engineer position has a rubric
-- (shape in docs/backend.md "AI assessment"). The other tenant stays opted out.
update public.tenants set ai_assessment_enabled = true where id = '00000000-0000-4000-8000-000000000001';
update public.positions set rubric = '{
  "version": "backend-engineer-2026-12",
  "competencies": [
    {"key": "api_design", "name": "API design",
     "scale": {"min": 1, "max": 4},
     "descriptors": [
       {"score": 1, "meaning": "Cannot describe how an upload survives a retry."},
       {"score": 2, "meaning": "Names idempotency but not how the server enforces it."},
       {"score": 3, "meaning": "Client-chosen keys, conflict handling and replays explained."},
       {"score": 4, "meaning": "Also weighs ordering, gaps and partial batches with trade-offs."}]},
    {"key": "debugging", "name": "Debugging a slow query",
     "scale": {"min": 1, "max": 4},
     "descriptors": [
       {"score": 1, "meaning": "Guesses without measuring."},
       {"score": 2, "meaning": "Reads a query plan when prompted."},
       {"score": 3, "meaning": "Measures first, reads the plan, proposes an index and checks it."},
       {"score": 4, "meaning": "Also considers locking, statistics and the cost of the fix."}]},
    {"key": "communication", "name": "Communication",
     "scale": {"min": 1, "max": 4},
     "descriptors": [
       {"score": 1, "meaning": "Answers are hard to follow."},
       {"score": 2, "meaning": "Clear when prompted for structure."},
       {"score": 3, "meaning": "Structured answers with concrete examples."},
       {"score": 4, "meaning": "Structured, concrete, and checks the listener followed."}]}
  ]
}'::jsonb
where id = '00000000-0000-4000-8000-000000000301';
