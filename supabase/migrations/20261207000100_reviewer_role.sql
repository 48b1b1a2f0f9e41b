-- The tenant's staff who read finished interviews and record the human decision (the review console).
-- A reviewer reads reports, assessments and the evidence behind them; it launches nothing and touches
-- no kiosk. Admins keep every right they had and may also review.
alter table public.tenant_users drop constraint tenant_users_role_check;
alter table public.tenant_users
  add constraint tenant_users_role_check check (role in ('admin', 'proctor', 'kiosk', 'reviewer'));
