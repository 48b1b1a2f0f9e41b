// The local stack itself: a persistent data dir survives a restart (migrations not re-run, seed once,
// sessions still valid), the functions can be taken offline, and failures to start are explained.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionsFetchError } from '@supabase/supabase-js';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { invoke, newClient, signedIn } from './backend-test-kit';

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-stack-'));
const running: BackendStack[] = [];

afterAll(async () => {
  await Promise.all(running.map((stack) => stack.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('backend stack', () => {
  it('keeps a persistent data dir across restarts: data, keys and refresh tokens survive, the seed runs once', async () => {
    const first = await startBackendStack({ dataDir, proxyUrl: 'ws://127.0.0.1:9999' });
    running.push(first);
    const kiosk = await signedIn(first, 'kiosk-1@demo.example');
    const refreshToken = (await kiosk.auth.getSession()).data.session!.refresh_token;
    await first.sql(`update public.candidates set name = 'Ada King' where email = 'ada@candidates.example'`);
    const { publishableKey, proxySigningKey } = first;
    await first.stop();
    await first.stop(); // stopping twice is harmless

    const second = await startBackendStack({ dataDir });
    running.push(second);
    expect(second.publishableKey).toBe(publishableKey);
    // The proxy signing key is ephemeral: a new one per start, and its private half never on disk.
    expect(second.proxySigningKey.kid).not.toBe(proxySigningKey.kid);
    const onDisk = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
    expect(onDisk.length).toBeGreaterThan(0);
    for (const text of onDisk) expect(text).not.toContain(proxySigningKey.privateJwk.d!);
    expect(JSON.parse(second.proxyJwks)).toEqual({ keys: [second.proxySigningKey.publicJwk] });
    expect(second.proxySigningKey.publicJwk).not.toHaveProperty('d');
    const [ada] = await second.sql(`select name from public.candidates where email = 'ada@candidates.example'`);
    expect(ada).toEqual({ name: 'Ada King' });
    const [counts] = await second.sql(
      `select (select count(*)::int from auth.users) as users,
              (select count(*)::int from supabase_migrations.seed_files) as seeds,
              (select count(*)::int from supabase_migrations.schema_migrations) as migrations,
              (select proxy_url from public.tenants where id = '00000000-0000-4000-8000-000000000001') as proxy_url`,
    );
    // Every migration file ran exactly once, however many later migrations add.
    const migrationFiles = readdirSync('supabase/migrations').filter((name) => name.endsWith('.sql')).length;
    expect(counts).toEqual({ users: 10, seeds: 1, migrations: migrationFiles, proxy_url: 'ws://127.0.0.1:9999' });
    const resumed = newClient(second);
    const { error } = await resumed.auth.refreshSession({ refresh_token: refreshToken });
    expect(error).toBeNull();
    expect((await invoke(resumed, 'kiosk-sessions', {})).status).toBe(200);

    second.setFunctionsOnline(false);
    const offline = await resumed.functions.invoke('kiosk-sessions', { body: {} });
    expect(offline.error).toBeInstanceOf(FunctionsFetchError);
    second.setFunctionsOnline(true);
    expect((await invoke(resumed, 'kiosk-sessions', {})).status).toBe(200);
    await second.stop();
  });

  it('says which port is taken instead of starting half a stack', async () => {
    const holder = await startBackendStack({ seed: false });
    running.push(holder);
    const port = Number(new URL(holder.supabaseUrl).port);
    await expect(startBackendStack({ port, seed: false })).rejects.toThrow(`could not listen on port ${port}`);
    const [seeded] = await holder.sql('select count(*)::int as n from public.tenants');
    expect(seeded).toEqual({ n: 0 });
  });
});
