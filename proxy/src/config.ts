// The proxy is configured only by its environment (Fly secrets and env). A missing or bad setting stops
// start-up with one line naming it, so a misconfigured tenant app fails its deploy instead of its kiosks.
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

function isJwksSource(value: string): boolean {
  if (value.startsWith('{')) {
    try {
      return Array.isArray((JSON.parse(value) as { keys?: unknown }).keys);
    } catch {
      return false;
    }
  }
  return /^https?:\/\/\S+$/.test(value);
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  TENANT_ID: z.string().trim().min(1, 'is required'),
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    // A public key is no HMAC secret: refusing it here closes the classic RS/ES→HS key-confusion hole.
    .refine((value) => !/-----BEGIN|"kty"\s*:/.test(value), 'must be a shared secret, not a key in PEM or JWK form'),
  JWT_JWKS: optionalText.refine((value) => value === undefined || isJwksSource(value), 'must be a JWKS document ({"keys":[…]}) or an http(s) URL'),
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
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  /** Set by Fly on every machine; lets a dedicated machine send a kiosk on to the machine it was given. */
  FLY_MACHINE_ID: z.string().trim().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ProxyConfig {
  port: number;
  host: string;
  tenantId: string;
  jwtSecret: string;
  /** A JWKS document (JSON) or the URL it is served at, for ES256/EdDSA tokens. */
  jwtJwks: string | undefined;
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
    shutdownGraceMs: number;
  };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
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
    tenantId: e.TENANT_ID,
    jwtSecret: e.JWT_SECRET,
    jwtJwks: e.JWT_JWKS,
    openaiApiKey: e.OPENAI_API_KEY,
    openaiBaseUrl: e.OPENAI_BASE_URL.replace(/\/+$/, ''),
    realtimeApi: e.REALTIME_API,
    flyMachineId: e.FLY_MACHINE_ID,
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
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    },
    logLevel: e.LOG_LEVEL,
  };
}
