// A minimal stand-in for Supabase Auth (GoTrue) at its HTTP boundary, for tests and the local stack:
// password and refresh-token grants, /user, /logout, admin user creation and deletion and the JWKS. Users and
// refresh tokens live in Postgres (auth.users with bcrypt passwords, auth.sessions, auth.refresh_tokens),
// access tokens are ES256 JWTs shaped like Supabase's.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, type JWTPayload, SignJWT } from 'jose';
import type pg from 'pg';
import { BodyTooLargeError, readRequestBody } from './request-body';

export interface AuthStandInOptions {
  pool: pg.Pool;
  /** The stack's public origin; tokens are issued by `${origin}/auth/v1`. */
  origin: string;
  serviceRoleKey: string;
  /** Where to keep the signing key so tokens survive a restart of a persistent stack. */
  keyFile?: string;
  accessTokenTtlSeconds?: number;
}

export interface AuthStandIn {
  jwks: { keys: JWK[] };
  /** The legacy HS256 secret (Supabase's "JWT secret"); functions accept it as a fallback. */
  legacyJwtSecret: string;
  issuer: string;
  /** Signs an access token for a user as Auth would; tests use it for expired or odd tokens. */
  signAccessToken(user: { id: string; email: string }, options?: { expiresInSeconds?: number; claims?: Record<string, unknown> }): Promise<string>;
  handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<void>;
}

interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  is_anonymous: boolean;
  banned_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

class AuthHttpError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string) {
    super(message);
  }
}

// GoTrue lets a just-rotated refresh token be replayed briefly, for clients that lost the answer.
const reuseIntervalMs = 10_000;
const userColumns = `id, aud, role, email, email_confirmed_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data,
  is_anonymous, banned_until, created_at, updated_at`;

interface StoredKey {
  privateJwk: JWK;
  legacyJwtSecret: string;
}

async function loadOrCreateKey(keyFile: string | undefined): Promise<StoredKey> {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKey;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' };
  const stored = { privateJwk, legacyJwtSecret: randomBytes(32).toString('base64url') };
  if (keyFile) writeFileSync(keyFile, JSON.stringify(stored), { mode: 0o600 });
  return stored;
}

export async function createAuthStandIn(options: AuthStandInOptions): Promise<AuthStandIn> {
  const { pool } = options;
  const stored = await loadOrCreateKey(options.keyFile);
  const signingKey = await importJWK(stored.privateJwk, 'ES256');
  const { d: _private, ...publicJwk } = stored.privateJwk;
  const publicKey = await importJWK(publicJwk, 'ES256');
  const kid = stored.privateJwk.kid!;
  const issuer = `${options.origin}/auth/v1`;
  const ttl = options.accessTokenTtlSeconds ?? 3600;

  function userJson(row: UserRow) {
    return {
      id: row.id,
      aud: row.aud ?? 'authenticated',
      role: row.role ?? 'authenticated',
      email: row.email,
      email_confirmed_at: row.email_confirmed_at?.toISOString() ?? null,
      confirmed_at: row.email_confirmed_at?.toISOString() ?? null,
      phone: '',
      last_sign_in_at: row.last_sign_in_at?.toISOString() ?? null,
      app_metadata: row.raw_app_meta_data ?? { provider: 'email', providers: ['email'] },
      user_metadata: row.raw_user_meta_data ?? {},
      identities: [],
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
      is_anonymous: row.is_anonymous,
    };
  }

  async function signAccessToken(
    user: { id: string; email: string; app_metadata?: unknown; user_metadata?: unknown },
    sessionId: string,
    expiresInSeconds = ttl,
    extraClaims: Record<string, unknown> = {},
  ): Promise<{ token: string; exp: number }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + expiresInSeconds;
    const token = await new SignJWT({
      aud: 'authenticated',
      email: user.email,
      phone: '',
      app_metadata: user.app_metadata ?? { provider: 'email', providers: ['email'] },
      user_metadata: user.user_metadata ?? {},
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: now }],
      session_id: sessionId,
      is_anonymous: false,
      ...extraClaims,
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(signingKey);
    return { token, exp };
  }

  async function sessionJson(row: UserRow, sessionId: string, refreshToken: string) {
    const user = userJson(row);
    const { token, exp } = await signAccessToken(user, sessionId);
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: ttl,
      expires_at: exp,
      refresh_token: refreshToken,
      user,
    };
  }

  async function issueRefreshToken(client: pg.PoolClient | pg.Pool, userId: string, sessionId: string, parent: string | null) {
    const token = randomBytes(24).toString('base64url');
    await client.query('insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4)', [
      token,
      userId,
      sessionId,
      parent,
    ]);
    return token;
  }

  async function passwordGrant(body: Record<string, unknown>) {
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!email || !password) throw new AuthHttpError(400, 'validation_failed', 'Provide an email and a password.');
    const { rows } = await pool.query<UserRow>(
      `select ${userColumns} from auth.users
       where email = $1 and deleted_at is null
         and encrypted_password is not null and encrypted_password = extensions.crypt($2, encrypted_password)`,
      [email, password],
    );
    const row = rows[0];
    if (!row) throw new AuthHttpError(400, 'invalid_credentials', 'Invalid login credentials');
    if (row.banned_until && row.banned_until > new Date()) throw new AuthHttpError(400, 'user_banned', 'User is banned');
    if (!row.email_confirmed_at) throw new AuthHttpError(400, 'email_not_confirmed', 'Email not confirmed');
    const sessionId = randomUUID();
    await pool.query('insert into auth.sessions (id, user_id) values ($1, $2)', [sessionId, row.id]);
    await pool.query('update auth.users set last_sign_in_at = now() where id = $1', [row.id]);
    const refreshToken = await issueRefreshToken(pool, row.id, sessionId, null);
    return sessionJson({ ...row, last_sign_in_at: new Date() }, sessionId, refreshToken);
  }

  async function refreshGrant(body: Record<string, unknown>) {
    const presented = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    if (!presented) throw new AuthHttpError(400, 'validation_failed', 'Provide a refresh_token.');
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ token: string; user_id: string; session_id: string; revoked: boolean; updated_at: Date }>(
        `select r.token, r.user_id, r.session_id, r.revoked, r.updated_at from auth.refresh_tokens r
         join auth.sessions s on s.id = r.session_id
         where r.token = $1 for update of r`,
        [presented],
      );
      const current = rows[0];
      if (!current) throw new AuthHttpError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      let next: string;
      if (current.revoked) {
        const child = await client.query<{ token: string }>(
          'select token from auth.refresh_tokens where parent = $1 and revoked = false order by id desc limit 1',
          [presented],
        );
        const withinReuse = Date.now() - current.updated_at.getTime() < reuseIntervalMs;
        if (!withinReuse || !child.rows[0]) {
          // A replayed, rotated token is a sign of theft: end the whole session, as GoTrue does.
          await client.query('delete from auth.sessions where id = $1', [current.session_id]);
          await client.query('commit');
          throw new AuthHttpError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
        }
        next = child.rows[0].token;
      } else {
        await client.query('update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1', [presented]);
        next = await issueRefreshToken(client, current.user_id, current.session_id, presented);
      }
      await client.query('update auth.sessions set updated_at = now() where id = $1', [current.session_id]);
      const user = await client.query<UserRow>(`select ${userColumns} from auth.users where id = $1 and deleted_at is null`, [
        current.user_id,
      ]);
      if (!user.rows[0]) throw new AuthHttpError(400, 'user_not_found', 'User not found');
      await client.query('commit');
      return sessionJson(user.rows[0], current.session_id, next);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function verifiedClaims(request: IncomingMessage): Promise<JWTPayload> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new AuthHttpError(401, 'no_authorization', 'This endpoint requires a Bearer token');
    try {
      const { payload } = await jwtVerify(match[1], publicKey, { algorithms: ['ES256'], audience: 'authenticated', issuer });
      const live = await pool.query('select 1 from auth.sessions where id = $1', [payload.session_id]);
      if (!live.rowCount) throw new AuthHttpError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
      return payload;
    } catch (error) {
      if (error instanceof AuthHttpError) throw error;
      throw new AuthHttpError(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token is expired or invalid');
    }
  }

  async function currentUser(request: IncomingMessage) {
    const claims = await verifiedClaims(request);
    const { rows } = await pool.query<UserRow>(`select ${userColumns} from auth.users where id = $1 and deleted_at is null`, [
      claims.sub,
    ]);
    if (!rows[0]) throw new AuthHttpError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    return userJson(rows[0]);
  }

  async function logout(request: IncomingMessage, scope: string) {
    const claims = await verifiedClaims(request);
    if (scope === 'global') await pool.query('delete from auth.sessions where user_id = $1', [claims.sub]);
    else if (scope === 'others') {
      await pool.query('delete from auth.sessions where user_id = $1 and id <> $2', [claims.sub, claims.session_id]);
    } else await pool.query('delete from auth.sessions where id = $1', [claims.session_id]);
  }

  async function adminCreateUser(request: IncomingMessage, body: Record<string, unknown>) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== options.serviceRoleKey) throw new AuthHttpError(403, 'not_admin', 'User not allowed');
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new AuthHttpError(400, 'validation_failed', 'Unable to validate email address');
    if (password.length < 6) throw new AuthHttpError(422, 'weak_password', 'Password should be at least 6 characters.');
    const { rows } = await pool.query<UserRow>(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                               raw_app_meta_data, raw_user_meta_data)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
               extensions.crypt($3, extensions.gen_salt('bf')), case when $4 then now() end,
               '{"provider":"email","providers":["email"]}'::jsonb, $5::jsonb)
       on conflict (email) do nothing
       returning ${userColumns}`,
      [randomUUID(), email, password, body.email_confirm === true, JSON.stringify(body.user_metadata ?? {})],
    );
    if (!rows[0]) throw new AuthHttpError(422, 'email_exists', 'A user with this email address has already been registered');
    return userJson(rows[0]);
  }

  async function adminDeleteUser(request: IncomingMessage, userId: string) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== options.serviceRoleKey) throw new AuthHttpError(403, 'not_admin', 'User not allowed');
    if (!/^[0-9a-f-]{36}$/i.test(userId)) throw new AuthHttpError(404, 'user_not_found', 'User not found');
    // Sessions and refresh tokens go with the user (foreign keys cascade), as in GoTrue.
    const { rowCount } = await pool.query('delete from auth.users where id = $1', [userId]);
    if (!rowCount) throw new AuthHttpError(404, 'user_not_found', 'User not found');
    return {};
  }

  async function handle(request: IncomingMessage, response: ServerResponse, path: string) {
    const url = new URL(path, 'http://auth.local');
    try {
      if (request.method === 'GET' && url.pathname === '/.well-known/jwks.json') {
        return send(response, 200, { keys: [publicJwk] });
      }
      if (request.method === 'GET' && url.pathname === '/settings') {
        return send(response, 200, { external: { email: true }, disable_signup: true, mailer_autoconfirm: false });
      }
      if (request.method === 'GET' && url.pathname === '/health') {
        return send(response, 200, { version: 'stand-in', name: 'GoTrue', description: 'Supabase Auth stand-in' });
      }
      if (request.method === 'POST' && url.pathname === '/token') {
        const body = await readJson(request);
        const grant = url.searchParams.get('grant_type');
        if (grant === 'password') return send(response, 200, await passwordGrant(body));
        if (grant === 'refresh_token') return send(response, 200, await refreshGrant(body));
        throw new AuthHttpError(400, 'unsupported_grant_type', 'unsupported_grant_type');
      }
      if (request.method === 'GET' && url.pathname === '/user') return send(response, 200, await currentUser(request));
      if (request.method === 'POST' && url.pathname === '/logout') {
        await logout(request, url.searchParams.get('scope') ?? 'global');
        response.writeHead(204).end();
        return;
      }
      if (request.method === 'POST' && url.pathname === '/admin/users') {
        return send(response, 200, await adminCreateUser(request, await readJson(request)));
      }
      const deletion = /^\/admin\/users\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'DELETE' && deletion) return send(response, 200, await adminDeleteUser(request, deletion[1]!));
      throw new AuthHttpError(404, 'not_found', 'Not found');
    } catch (error) {
      if (error instanceof AuthHttpError) {
        return send(response, error.status, { code: error.status, error_code: error.errorCode, msg: error.message });
      }
      return send(response, 500, { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure' });
    }
  }

  return {
    jwks: { keys: [publicJwk] },
    legacyJwtSecret: stored.legacyJwtSecret,
    issuer,
    async signAccessToken(user, tokenOptions = {}) {
      const { token } = await signAccessToken(user, randomUUID(), tokenOptions.expiresInSeconds ?? ttl, tokenOptions.claims);
      return token;
    },
    handle,
  };
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readRequestBody(request, 1_000_000).catch((error: unknown) => {
    throw error instanceof BodyTooLargeError ? new AuthHttpError(413, 'request_too_large', 'Request body too large') : error;
  });
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Falls through to the validation error below.
  }
  throw new AuthHttpError(400, 'bad_json', 'Could not parse request body as JSON');
}
