// The one error shape every function answers with: {"error":{"code","message"}} plus optional
// top-level extras (e.g. `missing`), never a stack trace.

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 500 | 503;

export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const corsHeaders: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type',
  'access-control-allow-methods': 'POST, OPTIONS',
};

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...corsHeaders },
  });
}

export function errorResponse(error: ApiError): Response {
  return jsonResponse(error.status, { error: { code: error.code, message: error.message }, ...error.extra });
}

interface PostgresErrorLike {
  code?: unknown;
}

/** Maps what Postgres refused to an API error; anything unrecognised becomes a bare 500. */
export function fromDatabaseError(error: unknown): ApiError {
  const code = (error as PostgresErrorLike | null)?.code;
  switch (code) {
    case '42501':
      return new ApiError(403, 'forbidden', 'You may not change this record.');
    case '23505':
      return new ApiError(409, 'conflict', 'A record with this id already exists.');
    case '23503':
      return new ApiError(422, 'invalid_reference', 'A referenced record does not exist in this tenant.');
    case '55000':
      return new ApiError(409, 'invalid_state', 'The interview is not in a state that allows this.');
    case '54000':
      return new ApiError(413, 'session_log_full', 'This interview has reached the most session events it keeps.');
    case '23514':
    case '22023':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new ApiError(422, 'invalid_value', 'A value was rejected by the database.');
    default:
      return new ApiError(500, 'internal_error', 'Something went wrong on our side.');
  }
}
