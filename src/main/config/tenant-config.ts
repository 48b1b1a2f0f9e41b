// The tenant configuration an administrator places in the app's config directory (or an enrolment
// step writes): where the backend is, who this kiosk is, how interviews run. Validated once at start-up;
// a missing or invalid file is a stable error the renderer turns into an error screen.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { interviewPoliciesSchema } from '../../shared/domain/interview';
import { publicTenantConfigSchema, type PublicTenantConfig } from '../../shared/domain/tenant';
import { KioskError } from '../../shared/kiosk-error';
import { updateChannelSchema } from '../updates/update-policy';
import { pinHashSchema } from '../identity/pin-hash';

export const CONFIG_ERROR = {
  missing: 'config.missing',
  invalid: 'config.invalid',
} as const;

const httpsOrLocalUrl = z.url().refine((value) => {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}, 'must be https (plain http only for a loopback address)');

export const tenantConfigSchema = z.strictObject({
  version: z.literal(1),
  tenantId: z.uuid(),
  kioskId: z.uuid(),
  supabase: z.strictObject({
    url: httpsOrLocalUrl,
    publishableKey: z.string().min(10).max(2000),
  }),
  /**
   * How this kiosk gets its own device identity (role `kiosk`, bound to this kiosk row); uploads run as
   * it. Normally `{ enrolmentCode }`: the one-time code an admin issued for this kiosk. Main redeems it
   * (kiosk-enrol), keeps the credentials it gets encrypted at rest and removes this section from the
   * file. Absent once enrolled. `{ email, password }` is the pre-enrolment form, kept only so kiosks
   * set up before it still start: the password is removed from the file once it is stored encrypted.
   */
  device: z
    .union([
      z.strictObject({ enrolmentCode: z.string().regex(/^[0-9a-f]{32}$/, 'an enrolment code is 32 hex digits') }),
      z.strictObject({ email: z.email(), password: z.string().min(1).max(1024).optional() }),
    ])
    .optional(),
  branding: publicTenantConfigSchema.shape.branding,
  policies: interviewPoliciesSchema,
  proctorPinHash: pinHashSchema,
  /** Origins the kiosk window may navigate to or connect to besides the app itself (e.g. the proxy). */
  allowedOrigins: z.array(z.url().transform((value) => new URL(value).origin)).max(50).default([]),
  recordingUpload: z
    .strictObject({
      provider: z.literal('api.video'),
      uploadUrl: httpsOrLocalUrl.default('https://ws.api.video/upload'),
      /** A delegated upload token: it can only create videos, so it is safe on the device. */
      uploadToken: z.string().min(1).max(200),
      chunkBytes: z.number().int().min(64 * 1024).max(128 * 1024 * 1024).default(50 * 1024 * 1024),
    })
    .optional(),
  updateChannel: updateChannelSchema.default('stable'),
  /** Extra displays pause the interview unless the tenant allows them (e.g. a mirrored proctor screen). */
  allowExtraDisplays: z.boolean().default(false),
});
export type TenantConfig = z.output<typeof tenantConfigSchema>;

export function parseTenantConfig(text: string, source: string): TenantConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new KioskError(CONFIG_ERROR.invalid, `The tenant configuration at ${source} is not valid JSON.`);
  }
  const parsed = tenantConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`)
      .join('; ');
    throw new KioskError(CONFIG_ERROR.invalid, `The tenant configuration at ${source} is invalid: ${issues}`);
  }
  return parsed.data;
}

export function loadTenantConfig(path: string): TenantConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KioskError(CONFIG_ERROR.missing, `No tenant configuration found at ${path}. An administrator must enrol this kiosk.`);
    }
    throw new KioskError(CONFIG_ERROR.invalid, `The tenant configuration at ${path} cannot be read.`, { cause: error });
  }
  return parseTenantConfig(text, path);
}

/** What the renderer may see: no keys, credentials or PIN hash. */
export function publicTenantConfig(config: TenantConfig): PublicTenantConfig {
  return publicTenantConfigSchema.parse({
    tenantId: config.tenantId,
    kioskId: config.kioskId,
    branding: config.branding,
    policies: config.policies,
  });
}

/**
 * Removes the device secrets from the tenant config file: a spent enrolment code (the whole `device`
 * section) or a legacy password (the email stays). Everything else is kept as it was. Written to a
 * temporary file and renamed over the original, so a crash leaves either the old or the new file.
 */
export function stripDeviceSecrets(path: string, what: 'enrolmentCode' | 'password'): void {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const device = raw.device as Record<string, unknown> | undefined;
  if (!device) return;
  if (what === 'enrolmentCode') {
    if (!('enrolmentCode' in device)) return;
    delete raw.device;
  } else {
    if (!('password' in device)) return;
    delete device.password;
  }
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', statSync(path).mode & 0o777);
  try {
    writeSync(fd, `${JSON.stringify(raw, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
