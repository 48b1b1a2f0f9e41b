// The local host of the review console: the page, its config.json (the publishable key, never the
// service key) and a content security policy that lets the page reach only its backend and recordings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewConsolePolicy, startReviewConsole, type ReviewConsole } from '../../../scripts/review-console-server';

const dir = mkdtempSync(join(tmpdir(), 'review-console-'));
let server: ReviewConsole;

beforeAll(async () => {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Review console</title>');
  server = await startReviewConsole({
    dir,
    supabaseUrl: 'http://127.0.0.1:54321',
    publishableKey: 'sb_publishable_test',
    mediaOrigins: ['http://127.0.0.1:40000'],
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('review console server', () => {
  it('serves the page with its policy', async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Review console');
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self' http://127.0.0.1:54321");
    expect(policy).toContain('media-src http://127.0.0.1:40000');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
  });

  it('tells the page where its backend is, with the publishable key only', async () => {
    const response = await fetch(`${server.url}config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ supabaseUrl: 'http://127.0.0.1:54321', publishableKey: 'sb_publishable_test' });
  });

  it('answers 404 for anything it does not have, with the policy still on', async () => {
    const response = await fetch(`${server.url}../../etc/passwd`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBeTruthy();
  });

  it('lets no media play when no recordings origin is named', () => {
    expect(reviewConsolePolicy({ supabaseUrl: 'https://project.supabase.co/', mediaOrigins: [] })).toContain("media-src 'none'");
    expect(reviewConsolePolicy({ supabaseUrl: 'https://project.supabase.co/path' })).toContain("connect-src 'self' https://project.supabase.co;");
  });
});
