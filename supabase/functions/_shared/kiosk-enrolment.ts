// kiosk-enrolment-code and kiosk-enrol. kiosk-enrol turns an admin's one-time enrolment code into that kiosk's own device identity. The
// caller is nobody yet; the code is the proof. It is spent (claimed and committed) before anything is
// created, so a replay, a second concurrent redemption or an expired code is refused and creates nothing.
// The new Auth user gets a random password that is returned once, to this caller, and stored nowhere
// on the backend but as Auth's own hash.
import { ApiError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';
import { asCaller, asService } from './caller-database.ts';

interface Claim {
  enrolment_id: string;
  kiosk_id: string;
  tenant_id: string;
}

interface Completion {
  kiosk_id: string;
  tenant_id: string;
  previous_device_user_id: string | null;
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function authAdmin(): { base: string; key: string } {
  const base = Deno.env.get('SUPABASE_URL');
  const key = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');
  if (!base || !key) throw new ApiError(500, 'server_misconfigured', 'The function has no SUPABASE_URL or SUPABASE_SERVICE_ROLE_KEY.');
  return { base: `${base.replace(/\/$/, '')}/auth/v1/admin/users`, key };
}

async function createDeviceUser(email: string, password: string, metadata: Record<string, string>): Promise<string> {
  const { base, key } = authAdmin();
  const response = await fetch(base, {
    method: 'POST',
    headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, email_confirm: true, user_metadata: metadata }),
  });
  const body = (await response.json().catch(() => null)) as { id?: unknown } | null;
  if (!response.ok || typeof body?.id !== 'string') {
    console.error(JSON.stringify({ fn: 'kiosk-enrol', auth_admin: response.status }));
    throw new ApiError(503, 'auth_unavailable', 'The kiosk\'s identity could not be created; ask an administrator for a new code.');
  }
  return body.id;
}

/** Best effort: a device identity left behind has no membership and so reaches nothing. */
async function deleteDeviceUser(userId: string): Promise<void> {
  try {
    const { base, key } = authAdmin();
    const response = await fetch(`${base}/${userId}`, { method: 'DELETE', headers: { apikey: key, authorization: `Bearer ${key}` } });
    await response.body?.cancel();
    if (!response.ok) console.error(JSON.stringify({ fn: 'kiosk-enrol', delete_user: response.status }));
  } catch (error) {
    console.error(JSON.stringify({ fn: 'kiosk-enrol', delete_user: error instanceof Error ? error.message : String(error) }));
  }
}

export async function enrolKiosk(input: { kiosk_id: string; code: string }) {
  const claim = await asService(async (tx) => {
    try {
      const [row] = await tx<Claim[]>`select enrolment_id, kiosk_id, tenant_id from private.claim_kiosk_enrolment(${input.code}::text, ${input.kiosk_id}::uuid)`;
      return row;
    } catch (error) {
      if ((error as { code?: string }).code === '42501') {
        throw new ApiError(403, 'enrolment_refused', 'This enrolment code is unknown, expired or already used; ask an administrator for a new one.');
      }
      throw error;
    }
  });

  // 256 random bits; hex keeps it free of characters any config or shell might mangle.
  const password = randomHex(32);
  // A name nobody reads mail at: the identity only ever signs in with its password. An Auth set-up
  // that refuses reserved domains can name its own (KIOSK_DEVICE_EMAIL_DOMAIN).
  const domain = Deno.env.get('KIOSK_DEVICE_EMAIL_DOMAIN') || 'devices.invalid';
  const email = `kiosk-${claim.kiosk_id}-${randomHex(4)}@${domain}`;
  const userId = await createDeviceUser(email, password, { kiosk_id: claim.kiosk_id, tenant_id: claim.tenant_id });

  let done: Completion;
  try {
    [done] = await asService((tx) => tx<Completion[]>`
      select kiosk_id, tenant_id, previous_device_user_id from private.complete_kiosk_enrolment(${claim.enrolment_id}::uuid, ${userId}::uuid)`);
  } catch (error) {
    await deleteDeviceUser(userId);
    throw error;
  }
  if (done.previous_device_user_id) await deleteDeviceUser(done.previous_device_user_id);
  return { kiosk_id: done.kiosk_id, tenant_id: done.tenant_id, device: { email, password } };
}

/** kiosk-enrolment-code: an admin of the kiosk's centre gets a fresh code; earlier unused ones expire. */
export async function issueEnrolmentCode(input: { kiosk_id: string; valid_minutes?: number }, caller: Caller) {
  return await asCaller(caller, async (tx) => {
    try {
      const [row] = await tx<{ code: string; expires_at: Date }[]>`
        select code, expires_at from private.create_kiosk_enrolment_code(${input.kiosk_id}::uuid, ${input.valid_minutes ?? 1440}::integer)`;
      return { kiosk_id: input.kiosk_id, code: row.code, expires_at: new Date(row.expires_at).toISOString() };
    } catch (error) {
      if ((error as { code?: string }).code === '42501') {
        throw new ApiError(403, 'forbidden', 'Only an admin of this kiosk\'s assessment centre may enrol it.');
      }
      throw error;
    }
  });
}
