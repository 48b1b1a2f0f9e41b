// The tenant configuration an administrator places in the app's config directory (or an enrolment
// step writes): where the backend is, who this kiosk is, how interviews run. Validated once at start-up;
// a missing or invalid file is a stable error the renderer turns into an error screen.
import { readFileSync } from 'node:fs';
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
  /** The kiosk's own device identity (role `kiosk`); uploads run as it. */
  device: z.strictObject({
    email: z.email(),
    /** Needed only until the first successful sign-in; the encrypted session then carries on. */
    password: z.string().min(1).max(1024).optional(),
  }),
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
