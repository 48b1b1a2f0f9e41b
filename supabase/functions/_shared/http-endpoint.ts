// Turns an operation into an edge-function handler: POST only, JSON body within limits, zod-validated,
// caller verified, errors mapped to {"error":{"code","message"}} and logged once.
import type { z } from 'npm:zod@4.6.7';
import { ApiError, corsHeaders, errorResponse, jsonResponse } from './api-error.ts';
import { type Caller, verifyCaller } from './caller-auth.ts';
import { maxBatch } from './request-schemas.ts';

const maxBodyBytes = 8 * 1024 * 1024;

export interface Endpoint<Schema extends z.ZodType> {
  name: string;
  body: Schema;
  /** An array field capped at 500 items: over the cap answers 413 rather than 422. */
  batchField?: string;
  run(input: z.infer<Schema>, caller: Caller): Promise<unknown>;
}

/** An endpoint whose caller is nobody yet (kiosk-enrol): the body itself carries the proof. */
export interface AnonymousEndpoint<Schema extends z.ZodType> {
  name: string;
  body: Schema;
  anonymous: true;
  run(input: z.infer<Schema>): Promise<unknown>;
}

export type Handler = (request: Request) => Promise<Response>;

export function endpoint<Schema extends z.ZodType>(spec: Endpoint<Schema> | AnonymousEndpoint<Schema>): Handler {
  return async (request) => {
    const started = performance.now();
    // Where a request's time goes, for capacity work: verifying the caller, reading and validating the
    // body, and the operation itself (its transaction and SQL). Sent as Server-Timing and logged.
    const timing = { auth: 0, body: 0, db: 0 };
    const timed = async <T>(phase: keyof typeof timing, work: () => Promise<T>): Promise<T> => {
      const phaseStarted = performance.now();
      try {
        return await work();
      } finally {
        timing[phase] += performance.now() - phaseStarted;
      }
    };
    let response: Response;
    let failure: unknown;
    try {
      if (request.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
      if (request.method !== 'POST') throw new ApiError(405, 'method_not_allowed', 'Use POST.');
      if ('anonymous' in spec) {
        const input = await timed('body', () => readBody(request, spec));
        response = jsonResponse(200, await timed('db', () => spec.run(input)));
      } else {
        const caller = await timed('auth', () => verifyCaller(request));
        const input = await timed('body', () => readBody(request, spec));
        response = jsonResponse(200, await timed('db', () => spec.run(input, caller)));
      }
    } catch (error) {
      failure = error;
      response = errorResponse(error instanceof ApiError ? error : new ApiError(500, 'internal_error', 'Something went wrong on our side.'));
    }
    const total = performance.now() - started;
    response.headers.set(
      'server-timing',
      [...Object.entries(timing).map(([phase, ms]) => `${phase};dur=${ms.toFixed(1)}`), `total;dur=${total.toFixed(1)}`].join(', '),
    );
    const line: Record<string, unknown> = {
      fn: spec.name,
      status: response.status,
      ms: Math.round(total),
      auth_ms: Math.round(timing.auth),
      db_ms: Math.round(timing.db),
    };
    if (failure instanceof ApiError) line.code = failure.code;
    else if (failure) line.error = failure instanceof Error ? failure.message : String(failure);
    (response.status >= 500 ? console.error : console.log)(JSON.stringify(line));
    return response;
  };
}

async function readBody<Schema extends z.ZodType>(
  request: Request,
  spec: { body: Schema; batchField?: string },
): Promise<z.infer<Schema>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBodyBytes) throw new ApiError(413, 'payload_too_large', 'The request body is over 8 MB.');
  const text = await request.text();
  if (text.length > maxBodyBytes) throw new ApiError(413, 'payload_too_large', 'The request body is over 8 MB.');
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ApiError(400, 'invalid_json', 'The request body must be a JSON object.');
  }
  if (spec.batchField) {
    const batch = (raw as Record<string, unknown>)[spec.batchField];
    if (Array.isArray(batch) && batch.length > maxBatch) {
      throw new ApiError(413, 'batch_too_large', `At most ${maxBatch} ${spec.batchField} per request; split the batch.`);
    }
  }
  const parsed = spec.body.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const first = issues[0];
    const detail = first ? ` (${first.path ? `${first.path}: ` : ''}${first.message})` : '';
    throw new ApiError(422, 'validation_failed', `The request body does not match the API${detail}.`, { issues });
  }
  return parsed.data;
}
