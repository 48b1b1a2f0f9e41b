// The proxy is configured only by its environment (Fly secrets and env). A missing or bad setting stops
// start-up with one line naming it, so a misconfigured tenant app fails its deploy instead of its kiosks.
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const base64url = (bytes: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`), `must be ${bytes} bytes of base64url`);

/** A P-256 public key as the backend publishes it; the kid is what a token names to pick it. */
const publicJwk = z
  .looseObject({
    kty: z.literal('EC', 'must be an EC key'),
    crv: z.literal('P-256', 'must be on P-256'),
    x: base64url(32),
    y: base64url(32),
    kid: z.string().min(1, 'needs a kid').max(128),
    alg: z.literal('ES256', 'must be for ES256').optional(),
    use: z.literal('sig', 'must be a signing key').optional(),
  })
  // The proxy verifies only: a private key here would let anyone holding the app's secrets mint tokens.
  .refine((key) => !('d' in key), 'is a private key; give the proxy the public key only');

const jwksDocument = z
  .object({ keys: z.array(publicJwk).min(1, 'has no keys').max(10) })
  .refine((jwks) => new Set(jwks.keys.map((key) => key.kid)).size === jwks.keys.length, 'names a kid twice');

/** Inline JSON, or an https URL serving it (http only on loopback, for the local stack and tests). */
const jwksSetting = z
  .string()
  .trim()
  .min(1, 'is required')
  .transform((value, context): JSONWebKeySet | URL => {
    if (value.startsWith('{')) {
      let json: unknown;
      try {
        json = JSON.parse(value);
      } catch {
        context.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
      const parsed = jwksDocument.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        context.addIssue({ code: 'custom', message: `${issue.path.join('.') || 'document'} ${issue.message}` });
        return z.NEVER;
      }
      return { keys: parsed.data.keys.map((key) => ({ kty: key.kty, crv: key.crv, x: key.x, y: key.y, kid: key.kid, alg: 'ES256', use: 'sig' })) };
    }
    const url = URL.canParse(value) ? new URL(value) : undefined;
    const loopback = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url?.protocol === 'https:' || (url?.protocol === 'http:' && loopback)) return url;
    context.addIssue({ code: 'custom', message: 'must be a JWKS document ({"keys":[…]}) or an https URL' });
    return z.NEVER;
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  // Metrics and detailed health, apart from the public port (fly.toml's [metrics] scrapes it).
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9091),
  METRICS_HOST: optionalText,
  TENANT_ID: z.string().trim().min(1, 'is required'),
  JWT_JWKS: jwksSetting,
  // The shared HS256 secret of earlier versions is refused rather than ignored, so a tenant app still
  // holding it (and an operator still believing it matters) is noticed at the deploy.
  JWT_SECRET: optionalText.refine((value) => value === undefined, 'is no longer used (tokens are ES256, verified against JWT_JWKS): unset it'),
  OPENAI_API_KEY: z.string().trim().min(1, 'is required'),
  OPENAI_BASE_URL: z.url().default('https://api.openai.com/v1'),
  REALTIME_API: z.enum(['realtime', 'live']).default('realtime'),
  ALLOWED_ORIGINS: optionalText,
  DEFAULT_MODEL: optionalText,
  DEFAULT_VOICE: z.string().min(1).default('marin'),
  DEFAULT_TRANSCRIPTION_MODEL: z.string().min(1).default('gpt-4o-transcribe'),
  DEFAULT_INSTRUCTIONS: z
    .string()
    .min(1)
    .default('You are a friendly, professional interviewer. Ask one question at a time and keep your answers short.'),
  NOISE_REDUCTION: z.enum(['near_field', 'far_field', 'off']).default('near_field'),
  // An offer may carry the interview so far (≤ 200,000 characters of history, up to 3 bytes each in UTF-8).
  MAX_FRAME_BYTES: positiveInt(1024 * 1024),
  CONNECTION_RATE_PER_S: z.coerce.number().positive().default(2),
  CONNECTION_BURST: positiveInt(10),
  TENANT_OFFER_RATE_PER_S: z.coerce.number().positive().default(20),
  TENANT_OFFER_BURST: positiveInt(60),
  MAX_CONNECTIONS: positiveInt(5000),
  UPSTREAM_TIMEOUT_MS: positiveInt(15_000),
  HEARTBEAT_MS: positiveInt(30_000),
  // Paid provider calls one token may start, across all its connections: a kiosk needs one per
  // (re)connection, so this bounds what a leaked token can spend while it is valid.
  MAX_OFFERS_PER_TOKEN: positiveInt(20),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  /** Set by Fly on every machine; lets a dedicated machine send a kiosk on to the machine it was given. */
  FLY_MACHINE_ID: z.string().trim().min(1).optional(),
  /** Set by the backend on a dedicated machine (one interview): the proxy exits once that interview is over. */
  INTERVIEW_SESSION_ID: z.uuid().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ProxyConfig {
  port: number;
  metricsPort: number;
  metricsHost: string;
  host: string;
  tenantId: string;
  /** The backend's public signing keys (checked P-256 keys with kids), or the https URL serving them. */
  jwtJwks: JSONWebKeySet | URL;
  openaiApiKey: string;
  openaiBaseUrl: string;
  realtimeApi: 'realtime' | 'live';
  /** Exact origins allowed to open the socket; empty means every origin. */
  allowedOrigins: string[];
  defaults: { model: string; voice: string; transcriptionModel: string; instructions: string; noiseReduction: 'near_field' | 'far_field' | 'off' };
  limits: {
    maxFrameBytes: number;
    connectionRatePerS: number;
    connectionBurst: number;
    tenantOfferRatePerS: number;
    tenantOfferBurst: number;
    maxConnections: number;
    upstreamTimeoutMs: number;
    heartbeatMs: number;
    maxOffersPerToken: number;
    shutdownGraceMs: number;
  };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** The one interview of a dedicated machine, or null on a shared proxy. */
  dedicatedInterviewSessionId: string | null;
  /** This machine's Fly id, when running on Fly. */
  flyMachineId: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly setting: string, detail: string) {
    super(`${setting} ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment; throws a ConfigError whose message is one line naming the first bad setting. */
export function loadConfig(env: Record<string, string | undefined>): ProxyConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const setting = String(issue.path[0]);
    const missing = env[setting] === undefined || env[setting] === '';
    throw new ConfigError(setting, missing ? 'is required but not set' : `is invalid: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST ?? e.HOST,
    tenantId: e.TENANT_ID,
    jwtJwks: e.JWT_JWKS,
    openaiApiKey: e.OPENAI_API_KEY,
    openaiBaseUrl: e.OPENAI_BASE_URL.replace(/\/+$/, ''),
    realtimeApi: e.REALTIME_API,
    flyMachineId: e.FLY_MACHINE_ID,
    dedicatedInterviewSessionId: e.INTERVIEW_SESSION_ID ?? null,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    defaults: {
      model: e.DEFAULT_MODEL ?? (e.REALTIME_API === 'live' ? 'gpt-live-1' : 'gpt-realtime'),
      voice: e.DEFAULT_VOICE,
      transcriptionModel: e.DEFAULT_TRANSCRIPTION_MODEL,
      instructions: e.DEFAULT_INSTRUCTIONS,
      noiseReduction: e.NOISE_REDUCTION,
    },
    limits: {
      maxFrameBytes: e.MAX_FRAME_BYTES,
      connectionRatePerS: e.CONNECTION_RATE_PER_S,
      connectionBurst: e.CONNECTION_BURST,
      tenantOfferRatePerS: e.TENANT_OFFER_RATE_PER_S,
      tenantOfferBurst: e.TENANT_OFFER_BURST,
      maxConnections: e.MAX_CONNECTIONS,
      upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
      heartbeatMs: e.HEARTBEAT_MS,
      maxOffersPerToken: e.MAX_OFFERS_PER_TOKEN,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    },
    logLevel: e.LOG_LEVEL,
  };
}
