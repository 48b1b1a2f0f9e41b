/** An error with a stable machine-readable code and a message a person can act on. */
export class KioskError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KioskError';
  }
}
