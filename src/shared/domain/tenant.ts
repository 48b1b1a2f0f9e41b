import { z } from 'zod';
import { interviewPoliciesSchema } from './interview';

/** What the renderer may know of the tenant's configuration: no keys, no PIN hash. */
export const publicTenantConfigSchema = z.object({
  tenantId: z.uuid(),
  kioskId: z.uuid(),
  branding: z.object({
    organisationName: z.string().min(1).max(200),
    accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    logoDataUrl: z.string().startsWith('data:image/').max(512_000).optional(),
  }),
  policies: interviewPoliciesSchema,
});
export type PublicTenantConfig = z.infer<typeof publicTenantConfigSchema>;
