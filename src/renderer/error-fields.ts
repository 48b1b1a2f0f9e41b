// What the session log records of an error: its stable code when it carries one, and its message.

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error's string `code` (KioskError, SignalError, an IPC refusal), or null when it has none. */
export function codeOf(error: unknown): string | null {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
}
