// The operator guide's complete example config is parsed by the kiosk's own schema, so the field names
// and shapes an operator copies from it are the ones the kiosk accepts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTenantConfig, tenantConfigSchema } from '../../../../src/main/config/tenant-config';
import { contentSecurityPolicy } from '../../../../src/main/lockdown/content-security-policy';

const guide = readFileSync('docs/operator.md', 'utf8');
const block = /<!-- operator-example-config:[^>]*-->\s*```json\n([\s\S]*?)\n```/.exec(guide)?.[1];

describe('the operator guide’s example tenant config', () => {
  it('is there, and the kiosk accepts it as it stands', () => {
    expect(block).toBeDefined();
    const config = parseTenantConfig(block!, 'docs/operator.md');
    expect(config.device).toEqual({ enrolmentCode: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(config.recordingUpload?.uploadUrl).toBe('https://ws.api.video/upload');
  });

  it('names every field the schema has, so the table and the example cover the whole file', () => {
    const example = JSON.parse(block!) as Record<string, unknown>;
    for (const field of Object.keys(tenantConfigSchema.shape)) {
      expect(example, field).toHaveProperty(field);
      expect(guide, field).toContain(`| \`${field}`);
    }
  });

  it('lets the kiosk open a socket to the proxy it names, which is why allowedOrigins matters', () => {
    const config = parseTenantConfig(block!, 'docs/operator.md');
    expect(contentSecurityPolicy({ allowedOrigins: config.allowedOrigins })).toMatch(/connect-src [^;]*wss:\/\/ikp-north\.fly\.dev/);
    expect(contentSecurityPolicy({ allowedOrigins: [] })).not.toMatch(/ikp-north/);
  });
});
