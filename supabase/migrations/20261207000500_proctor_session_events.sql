-- Proctor operations in the session log: a break (pause / resume), extra time granted live, an
-- incident note, and the identity confirmation at the start. The kiosk records them as the proctor
-- does them and uploads them with the interview's other events (interview-events); `data.action`
-- names which, `data.by` the signed-in proctor.
alter table public.session_events drop constraint session_events_kind_check;
alter table public.session_events add constraint session_events_kind_check
  check (kind in ('webrtc_status', 'sdp_offer', 'sdp_answer', 'ice_candidate', 'telemetry', 'lockdown', 'error',
                  'transcript_correction', 'proctor'));

-- Every proctor event names its action: the log is read by people reviewing the interview.
alter table public.session_events add constraint session_events_proctor_action_check
  check (kind <> 'proctor'
         or data->>'action' in ('pause', 'resume', 'extra_time', 'incident', 'identity_confirmed'));
