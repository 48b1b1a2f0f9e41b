-- 1. Each tenant's proxy encryption key. interview-start encrypts the session config (the interviewer's
--    instructions: brief, plan, candidate name) to this public key, so the kiosk that carries it to the
--    proxy cannot read it; only the tenant's proxy holds the private half (PROXY_DECRYPTION_KEY). The
--    column holds a public P-256 JWK with a kid: a private key put here by mistake is refused, since
--    every staff member of the tenant can read its row.
alter table public.tenants add column proxy_encryption_key jsonb;
alter table public.tenants add constraint tenants_proxy_encryption_key_public_p256 check (
  proxy_encryption_key is null or (
    jsonb_typeof(proxy_encryption_key) = 'object'
    and proxy_encryption_key->>'kty' = 'EC'
    and proxy_encryption_key->>'crv' = 'P-256'
    and (proxy_encryption_key->>'x') ~ '^[A-Za-z0-9_-]{43}$'
    and (proxy_encryption_key->>'y') ~ '^[A-Za-z0-9_-]{43}$'
    and length(coalesce(proxy_encryption_key->>'kid', '')) between 1 and 128
    and not proxy_encryption_key ? 'd'
  )
);
comment on column public.tenants.proxy_encryption_key is
  'Public P-256 JWK (with kid) of the tenant proxy''s PROXY_DECRYPTION_KEY; session configs are encrypted to it.';

-- interview_launch also hands the edge function the tenant's encryption key (a kiosk reads no tenant row).
drop function private.interview_launch(uuid);
create function private.interview_launch(p_session_id uuid)
returns table (
  id uuid, tenant_id uuid, status text, proxy_machine_id text, role text, kiosk_id uuid,
  candidate_id uuid, candidate_name text,
  position_id uuid, title text, description text, instructions text, interview_plan jsonb, voice text, model text,
  transcription_model text, position_minutes integer,
  proxy_strategy text, proxy_url text, fly_app_name text, fly_region text, fly_image text,
  tenant_minutes integer, consent_text text, recording_enabled boolean, proxy_encryption_key jsonb
)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_session public.interview_sessions%rowtype;
  v_role text;
begin
  select * into v_session from public.interview_sessions s where s.id = p_session_id for update;
  v_role := case when found then private.session_writer_role(v_session.tenant_id, v_session.kiosk_id) end;
  if v_role is null or (v_role = 'kiosk' and v_session.status <> 'in_progress') then
    raise exception 'not allowed to launch this interview' using errcode = '42501';
  end if;
  return query
    select v_session.id, v_session.tenant_id, v_session.status, v_session.proxy_machine_id, v_role, v_session.kiosk_id,
           c.id, c.name,
           p.id, p.title, p.description, p.instructions, p.interview_plan, p.voice, p.model,
           p.transcription_model, p.max_duration_minutes,
           t.proxy_strategy, t.proxy_url, t.fly_app_name, t.fly_region, t.fly_image,
           t.max_duration_minutes, t.consent_text, t.recording_enabled, t.proxy_encryption_key
    from public.candidates c, public.positions p, public.tenants t
    where c.id = v_session.candidate_id and p.id = v_session.position_id and t.id = v_session.tenant_id;
end
$$;
revoke all on function private.interview_launch(uuid) from public, anon;
grant execute on function private.interview_launch(uuid) to authenticated, service_role;
