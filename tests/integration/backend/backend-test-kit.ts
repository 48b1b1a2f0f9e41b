// What the backend tests share: signed-in supabase-js clients, calling a function and reading its
// status and JSON either way, the API examples from docs/backend.md, and fresh interviews to work on.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient, FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import ws from 'ws';
import type { BackendStack } from '../../support/backend-stack';

export const ids = {
  tenantA: '00000000-0000-4000-8000-000000000001',
  tenantB: '00000000-0000-4000-8000-000000000002',
  kioskA: '00000000-0000-4000-8000-000000000101',
  kioskA2: '00000000-0000-4000-8000-000000000103',
  kioskB: '00000000-0000-4000-8000-000000000102',
  ada: '00000000-0000-4000-8000-000000000401',
  grace: '00000000-0000-4000-8000-000000000402',
  linus: '00000000-0000-4000-8000-000000000403',
  backendEngineer: '00000000-0000-4000-8000-000000000301',
  dataAnalyst: '00000000-0000-4000-8000-000000000303',
  sessionB: '00000000-0000-4000-8000-000000000505',
};

export const password = 'demo-password-1';

export function newClient(stack: BackendStack): SupabaseClient {
  return createClient(stack.supabaseUrl, stack.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: ws as never },
  });
}

export async function signedIn(stack: BackendStack, email: string): Promise<SupabaseClient> {
  const client = newClient(stack);
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`sign-in as ${email} failed: ${error.message}`);
  return client;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Calls a function through supabase-js and returns the HTTP status with the parsed body, success or not. */
export async function invoke<T = Record<string, unknown>>(
  client: SupabaseClient,
  name: string,
  body: unknown,
  headers?: Record<string, string>,
): Promise<Answer<T>> {
  const { data, error } = await client.functions.invoke(name, { body: body as Record<string, unknown>, headers });
  if (!error) return { status: 200, body: data as T };
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response;
    return { status: response.status, body: (await response.json()) as T };
  }
  throw error;
}

/** Calls a function with a raw Authorization header (forged, expired, odd tokens). */
export async function invokeWithToken(stack: BackendStack, name: string, token: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${stack.supabaseUrl}/functions/v1/${name}`, {
    method: 'POST',
    headers: { apikey: stack.publishableKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let examples: Map<string, unknown> | undefined;

/** A JSON example from docs/backend.md, marked `<!-- example: NAME -->` above its code block. */
export function docExample<T = Record<string, unknown>>(name: string): T {
  if (!examples) {
    examples = new Map();
    const text = readFileSync('docs/backend.md', 'utf8');
    for (const match of text.matchAll(/<!-- example: ([\w/-]+) -->\s*```json\n([\s\S]*?)```/g)) {
      examples.set(match[1]!, JSON.parse(match[2]!));
    }
  }
  if (!examples.has(name)) throw new Error(`docs/backend.md has no example "${name}"`);
  return structuredClone(examples.get(name)) as T;
}

/** Describes a JSON value's shape: keys and value types, arrays by their first item. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]));
  }
  return typeof value;
}

/**
 * A new interview scheduled for now in tenant A (or B), so tests do not share state. It is assigned to
 * the tenant's first kiosk (kiosk-1@demo.example's in A) unless `kiosk` names another, or null.
 */
export async function scheduleInterview(
  stack: BackendStack,
  options: { tenant?: 'A' | 'B'; status?: string; kiosk?: string | null } = {},
): Promise<string> {
  const id = randomUUID();
  const inB = options.tenant === 'B';
  const kiosk = options.kiosk === undefined ? (inB ? ids.kioskB : ids.kioskA) : options.kiosk;
  await stack.sql(
    `insert into public.interview_sessions (id, tenant_id, candidate_id, position_id, kiosk_id, scheduled_at, status, started_at)
     values ($1, $2, $3, $4, $6, now(), $5, case when $5 = 'in_progress' then now() end)`,
    [id, inB ? ids.tenantB : ids.tenantA, inB ? ids.linus : ids.ada, inB ? ids.dataAnalyst : ids.backendEngineer, options.status ?? 'scheduled', kiosk],
  );
  return id;
}

export function entry(seq: number, overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    seq,
    speaker: seq % 2 === 0 ? 'interviewer' : 'candidate',
    text: `turn ${seq}`,
    timestamp: new Date(Date.UTC(2026, 10, 27, 9, 0, seq)).toISOString(),
    confidence: seq % 2 === 0 ? null : 0.9,
    status: 'final',
    ...overrides,
  };
}

/** The seeded people as the claims their access tokens carry (for running SQL as them). */
export const people = {
  adminA: { sub: '00000000-0000-4000-8000-000000000206', email: 'admin@demo.example' },
  proctorA: { sub: '00000000-0000-4000-8000-000000000201', email: 'proctor@demo.example' },
  kioskA: { sub: '00000000-0000-4000-8000-000000000202', email: 'kiosk-1@demo.example' },
  /** The demo centre's second kiosk: same tenant, its own device identity. */
  kioskA2: { sub: '00000000-0000-4000-8000-000000000207', email: 'kiosk-2@demo.example' },
  kioskB: { sub: '00000000-0000-4000-8000-000000000208', email: 'kiosk@other.example' },
  candidateA: { sub: '00000000-0000-4000-8000-000000000203', email: 'ada@candidates.example' },
  proctorB: { sub: '00000000-0000-4000-8000-000000000205', email: 'proctor@other.example' },
  /** The tenants' staff who review finished interviews (role reviewer). */
  reviewerA: { sub: '00000000-0000-4000-8000-000000000209', email: 'reviewer@demo.example' },
  reviewerB: { sub: '00000000-0000-4000-8000-000000000210', email: 'reviewer@other.example' },
} as const;

export interface SqlOutcome<Row> {
  rows: Row[];
  rowCount: number;
  errorCode?: string;
}

/**
 * Runs one statement the way the Data API would for this person (`anon` when null): role switched and
 * claims set for one transaction, rolled back unless `commit` is asked for. Errors come back as codes.
 */
export async function sqlAs<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  dbUrl: string,
  who: { sub: string; email: string } | null,
  statement: string,
  params: unknown[] = [],
  options: { commit?: boolean } = {},
): Promise<SqlOutcome<Row>> {
  // One connection per statement, closed before returning: nothing is left open when the stack stops.
  const client = new pg.Client({ connectionString: dbUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('begin');
    const claims = who ? { sub: who.sub, email: who.email, role: 'authenticated', aud: 'authenticated' } : { role: 'anon' };
    await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
      who ? 'authenticated' : 'anon',
      JSON.stringify(claims),
    ]);
    const result = await client.query<Row>(statement, params);
    await client.query(options.commit ? 'commit' : 'rollback');
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    return { rows: [], rowCount: 0, errorCode: (error as { code?: string }).code ?? 'unknown' };
  } finally {
    await client.end().catch(() => undefined);
  }
}
