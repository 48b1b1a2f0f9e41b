// The outbox survives SIGKILL: a child appends in a loop and is killed at random moments, 50 times —
// every fifth time it runs the whole core, appending through `transcript.append` while its sync engine
// uploads, so kills land mid-upload too; otherwise it appends straight into the outbox (cheap to start).
// After every restart each acknowledged entry is in the outbox or already in Postgres; after the final
// sync each is in Postgres exactly once.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createInterviewRegistry } from '../../../src/main/interviews/interview-registry';
import { openKioskDatabase } from '../../../src/main/platform/kiosk-database';
import { startBackendStack, type BackendStack } from '../../support/backend-stack';
import { createTodaySession, startTestKiosk, until, writeTenantConfig, type TestKiosk } from '../../support/kiosk-core-fixture';

const KILLS = 50;
const child = resolve('tests/support/outbox-crash-child.ts');
// The device session survives restarts encrypted with this key, as safeStorage would keep it.
const tokenKey = randomBytes(32).toString('base64');

let stack: BackendStack | undefined;
let kiosk: TestKiosk | undefined;
afterAll(async () => {
  await kiosk?.core.dispose();
  await stack?.stop();
});

/** Runs the child until it has acknowledged something, then kills it after a short random delay. */
function runAndKill(dataDir: string, interviewId: string, mode: 'core' | 'outbox'): Promise<Map<string, number>> {
  return new Promise((resolveRun, reject) => {
    const acked = new Map<string, number>();
    const run = spawn(process.execPath, ['--import', 'tsx', child, dataDir, interviewId, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KIOSK_TOKEN_KEY: tokenKey },
    });
    let buffered = '';
    let stderr = '';
    let armed = false;
    run.stdout.setEncoding('utf8');
    run.stdout.on('data', (text: string) => {
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, id, seq] = line.split(' ');
        if (word === 'ack') acked.set(id!, Number(seq));
        if (!armed && word === 'ack') {
          armed = true;
          setTimeout(() => run.kill('SIGKILL'), mode === 'core' ? 20 + Math.random() * 300 : 5 + Math.random() * 60);
        }
      }
    });
    run.stderr.on('data', (text: Buffer) => (stderr += text.toString()));
    run.on('error', reject);
    run.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child exited on its own (${signal ?? code}): ${stderr}`));
      else resolveRun(acked);
    });
  });
}

describe('outbox under SIGKILL', () => {
  it(`drops nothing when killed mid-append and mid-upload ${KILLS} times, and syncs each entry exactly once`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-crash-'));
    stack = await startBackendStack();
    const interviewId = await createTodaySession(stack, 'in_progress');
    await writeTenantConfig(dataDir, stack);
    // The interview was started on this kiosk earlier (as proctor.startInterview records it).
    const setup = openKioskDatabase(join(dataDir, 'outbox.sqlite'));
    createInterviewRegistry(setup, Date).activate({
      interviewSessionId: interviewId,
      candidate: { id: '00000000-0000-4000-8000-000000000301', name: 'Ada Lovelace' },
      position: { id: '00000000-0000-4000-8000-000000000201', title: 'Backend Engineer' },
      proxy: { url: 'ws://127.0.0.1:9/v1/signal', token: 'unused', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      sessionConfigToken: 'unused',
      policies: { maxDurationMinutes: 30, consentText: 'Recorded.', recording: false },
      nextSeq: 0,
      startedAt: new Date().toISOString(),
    });
    setup.close();

    const acknowledged = new Map<string, number>();
    for (let kill = 0; kill < KILLS; kill++) {
      for (const [id, seq] of await runAndKill(dataDir, interviewId, kill % 5 === 0 ? 'core' : 'outbox')) acknowledged.set(id, seq);
      // "Restart": open the database as the next process would; every acknowledged entry is still
      // queued, or the server already has it.
      const db = openKioskDatabase(join(dataDir, 'outbox.sqlite'));
      const queued = new Set(db.prepare<[], { op_key: string }>("select op_key from ops where kind = 'transcript'").all().map((row) => row.op_key));
      db.close();
      const stored = new Set(
        (await stack.sql<{ id: string }>('select id from public.transcript_entries where interview_session_id = $1', [interviewId])).map((row) => row.id),
      );
      const missing = [...acknowledged.keys()].filter((id) => !queued.has(id) && !stored.has(id));
      expect(missing, `after kill ${kill + 1}`).toEqual([]);
    }
    expect(acknowledged.size).toBeGreaterThan(KILLS);
    const uploadedDuringKills = Number((await stack.sql<{ n: string }>('select count(*) as n from public.transcript_entries where interview_session_id = $1', [interviewId]))[0]!.n);

    // Bring the kiosk up on the same data dir: the sync engine resumes on start-up by itself.
    // Same machine, same key: the device identity signs in from what the children stored (the legacy
    // password left the config file once it was stored encrypted).
    kiosk = startTestKiosk({ dataDir, tokenKey: Buffer.from(tokenKey, 'base64') });
    await until(() => kiosk!.core.services().outbox.stats().pending === 0, 60_000, 'the crash-test outbox to drain');

    const rows = await stack.sql<{ id: string; seq: number }>('select id, seq from public.transcript_entries where interview_session_id = $1', [interviewId]);
    const copies = new Map<string, number>();
    for (const row of rows) copies.set(row.id, (copies.get(row.id) ?? 0) + 1);
    for (const [id, seq] of acknowledged) expect(copies.get(id), `entry ${seq}`).toBe(1);
    // The seqs run without a gap or a repeat: nothing the kiosk held was lost or sent twice.
    const seqs = rows.map((row) => row.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, index) => index));
    expect(kiosk.core.services().outbox.stats().deadLetters).toBe(0);
    // The kills really landed during uploads too, not only between them.
    expect(uploadedDuringKills).toBeGreaterThan(0);
    expect(uploadedDuringKills).toBeLessThan(rows.length + 1);
  }, 300_000);
});
