-- The kiosk's system of record: tenants and their people, positions and scheduled interviews, the
-- transcript (idempotent on the client's uuid, gap-checkable by a per-session seq), an append-only
-- session event log and recordings. Row-level security lives in the next migration.

create table public.tenants (
  id uuid primary key default extensions.gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- 'shared': every interview uses the tenant's own proxy app; 'dedicated': one Fly machine per interview.
  proxy_strategy text not null default 'shared' check (proxy_strategy in ('shared', 'dedicated')),
  proxy_url text check (proxy_url ~ '^wss?://'),
  fly_app_name text,
  fly_region text,
  fly_image text,
  max_duration_minutes integer not null default 45 check (max_duration_minutes between 1 and 240),
  consent_text text not null default 'This interview is recorded and transcribed for assessment.',
  recording_enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (proxy_strategy = 'shared' and proxy_url is not null
         or proxy_strategy = 'dedicated' and fly_app_name is not null and fly_image is not null)
);

create table public.tenant_users (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('admin', 'proctor', 'kiosk')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
-- Every policy asks "which tenants is the caller in, with which role": answer it from this index alone.
create index tenant_users_user_id_idx on public.tenant_users (user_id, role, tenant_id);

create table public.kiosks (
  id uuid primary key default extensions.gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  device_user_id uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, tenant_id)
);
create index kiosks_tenant_id_idx on public.kiosks (tenant_id);
create index kiosks_device_user_id_idx on public.kiosks (device_user_id);

create table public.positions (
  id uuid primary key default extensions.gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  description text not null default '',
  -- The interviewer's brief and plan: turned into the realtime session's instructions by interview-start.
  instructions text not null default '',
  interview_plan jsonb not null default '[]'::jsonb check (jsonb_typeof(interview_plan) = 'array'),
  voice text,
  model text,
  transcription_model text,
  max_duration_minutes integer check (max_duration_minutes between 1 and 240),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, tenant_id)
);
create index positions_tenant_id_idx on public.positions (tenant_id);

create table public.candidates (
  id uuid primary key default extensions.gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, email),
  unique (id, tenant_id)
);
create index candidates_tenant_id_idx on public.candidates (tenant_id);
create index candidates_email_idx on public.candidates (email);

create table public.interview_sessions (
  id uuid primary key default extensions.gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  candidate_id uuid not null,
  position_id uuid not null,
  kiosk_id uuid,
  scheduled_at timestamptz not null,
  status text not null default 'scheduled'
    check (status in ('scheduled', 'in_progress', 'completed', 'cancelled', 'failed')),
  started_at timestamptz,
  ended_at timestamptz,
  end_reason text check (end_reason in ('completed', 'time_limit', 'proctor', 'candidate_left', 'error')),
  last_seq integer check (last_seq >= -1),
  webrtc_status text not null default 'pending',
  webrtc_server_url text,
  webrtc_session_id text,
  ice_candidates jsonb not null default '[]'::jsonb check (jsonb_typeof(ice_candidates) = 'array'),
  sdp_offers jsonb not null default '[]'::jsonb check (jsonb_typeof(sdp_offers) = 'array'),
  sdp_answers jsonb not null default '[]'::jsonb check (jsonb_typeof(sdp_answers) = 'array'),
  proxy_machine_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, tenant_id),
  -- The composite keys keep a session's candidate, position and kiosk inside the session's own tenant,
  -- whatever ids a client sends.
  foreign key (candidate_id, tenant_id) references public.candidates (id, tenant_id),
  foreign key (position_id, tenant_id) references public.positions (id, tenant_id),
  foreign key (kiosk_id, tenant_id) references public.kiosks (id, tenant_id)
);
create index interview_sessions_tenant_scheduled_idx on public.interview_sessions (tenant_id, scheduled_at);
create index interview_sessions_tenant_status_idx on public.interview_sessions (tenant_id, status);
create index interview_sessions_candidate_id_idx on public.interview_sessions (candidate_id);
create index interview_sessions_position_id_idx on public.interview_sessions (position_id);
create index interview_sessions_kiosk_id_idx on public.interview_sessions (kiosk_id);

create table public.transcript_entries (
  -- The kiosk's own uuid: a replayed upload hits the same key and changes nothing.
  id uuid primary key,
  interview_session_id uuid not null,
  tenant_id uuid not null,
  seq integer not null check (seq >= 0),
  speaker text not null check (speaker in ('candidate', 'interviewer')),
  text text not null check (length(text) <= 20000),
  "timestamp" timestamptz not null,
  confidence real check (confidence between 0 and 1),
  status text not null default 'final' check (status in ('final', 'failed', 'interrupted')),
  item_id text check (length(item_id) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (interview_session_id, seq),
  foreign key (interview_session_id, tenant_id) references public.interview_sessions (id, tenant_id) on delete cascade
);
create index transcript_entries_tenant_id_idx on public.transcript_entries (tenant_id);

-- Append-only: WebRTC audit, lockdown events, telemetry and errors as the kiosk saw them.
create table public.session_events (
  id uuid primary key,
  interview_session_id uuid not null,
  tenant_id uuid not null,
  kind text not null
    check (kind in ('webrtc_status', 'sdp_offer', 'sdp_answer', 'ice_candidate', 'telemetry', 'lockdown', 'error')),
  at timestamptz not null,
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now(),
  foreign key (interview_session_id, tenant_id) references public.interview_sessions (id, tenant_id) on delete cascade
);
create index session_events_session_at_idx on public.session_events (interview_session_id, at);
create index session_events_tenant_id_idx on public.session_events (tenant_id);

create table public.recordings (
  id uuid primary key,
  interview_session_id uuid not null,
  tenant_id uuid not null,
  provider text not null check (provider in ('api.video')),
  video_id text not null check (length(video_id) between 1 and 200),
  bytes bigint not null check (bytes >= 0),
  duration_ms bigint not null check (duration_ms >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (interview_session_id, tenant_id) references public.interview_sessions (id, tenant_id) on delete cascade
);
create index recordings_session_id_idx on public.recordings (interview_session_id);
create index recordings_tenant_id_idx on public.recordings (tenant_id);

create function public.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger tenants_touch before update on public.tenants for each row execute function public.touch_updated_at();
create trigger kiosks_touch before update on public.kiosks for each row execute function public.touch_updated_at();
create trigger positions_touch before update on public.positions for each row execute function public.touch_updated_at();
create trigger candidates_touch before update on public.candidates for each row execute function public.touch_updated_at();
create trigger interview_sessions_touch before update on public.interview_sessions for each row execute function public.touch_updated_at();
create trigger transcript_entries_touch before update on public.transcript_entries for each row execute function public.touch_updated_at();
create trigger recordings_touch before update on public.recordings for each row execute function public.touch_updated_at();

create function public.reject_event_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'session_events is append-only' using errcode = '42501';
end
$$;

create trigger session_events_append_only before update on public.session_events
  for each row execute function public.reject_event_change();
