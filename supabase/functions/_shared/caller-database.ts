// Postgres access as the caller: every query runs inside a transaction that has switched to the
// `authenticated` role with the caller's verified claims, so row-level security decides what is seen.
import postgres from 'npm:postgres@3.4.7';
import { ApiError, fromDatabaseError } from './api-error.ts';
import type { Caller } from './caller-auth.ts';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

let pool: Sql | undefined;

function database(): Sql {
  if (!pool) {
    // Supabase recommends its transaction pooler (Supavisor, port 6543) for functions: many short-lived
    // isolates would exhaust direct connections. DB_POOLER_URL carries that connection string (secrets
    // may not start with SUPABASE_); SUPABASE_DB_URL, the direct connection, stays the fallback.
    const url = Deno.env.get('DB_POOLER_URL') || Deno.env.get('SUPABASE_DB_URL');
    if (!url) throw new ApiError(500, 'server_misconfigured', 'The function has no DB_POOLER_URL or SUPABASE_DB_URL.');
    pool = postgres(url, {
      // A transaction pooler hands each transaction to any server connection, where a statement
      // prepared on another one does not exist: postgres.js must not prepare (its documented option).
      prepare: false,
      max: Number(Deno.env.get('DB_POOL_SIZE') ?? 4),
      idle_timeout: 30,
      connect_timeout: 10,
      onnotice: () => undefined,
    });
  }
  return pool;
}

/** Runs `work` in one transaction as the caller; database refusals become API errors. */
export async function asCaller<T>(caller: Caller, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return (await database().begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true),
                      set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true)`;
      return await work(tx);
    })) as T;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const mapped = fromDatabaseError(error);
    if (mapped.status === 500) {
      // Logged here, where the database's own words are still at hand; the client gets only the code.
      const { code, message } = error as { code?: string; message?: string };
      console.error(JSON.stringify({ db_error: code ?? null, message: message ?? String(error) }));
    }
    throw mapped;
  }
}

/**
 * Runs `work` in one transaction as service_role, for the one step no signed-in caller exists for:
 * redeeming a kiosk's enrolment code. Only the private enrolment functions are called this way.
 */
export async function asService<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await serviceTransaction(work);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const mapped = fromDatabaseError(error);
    if (mapped.status === 500) {
      const { code, message } = error as { code?: string; message?: string };
      console.error(JSON.stringify({ db_error: code ?? null, message: message ?? String(error) }));
    }
    throw mapped;
  }
}

/**
 * One transaction as service_role whose errors reach the caller as thrown: the processing worker
 * (no HTTP caller to answer) tells its own failures from the database's.
 */
export async function serviceTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return (await database().begin(async (tx) => {
    await tx`select set_config('role', 'service_role', true)`;
    return await work(tx);
  })) as T;
}

export interface Membership {
  tenant_id: string;
  role: 'admin' | 'proctor' | 'kiosk';
}

/** The caller's tenant memberships (RLS shows a user only their own). */
export async function memberships(tx: Tx): Promise<Membership[]> {
  return await tx<Membership[]>`select tenant_id, role from public.tenant_users`;
}

export const staffRoles = ['admin', 'proctor'] as const;
export const writerRoles = ['admin', 'proctor', 'kiosk'] as const;

export function roleIn(
  all: Membership[],
  tenantId: string,
  roles: readonly Membership['role'][],
): Membership['role'] | null {
  const found = all.find((m) => m.tenant_id === tenantId && roles.includes(m.role));
  return found ? found.role : null;
}
