// The logging surface services depend on: pino's shape, so the composition root passes a pino logger
// and tests pass a silent one.
import pino from 'pino';

export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export function createLogger(options: { level?: string; destination?: string } = {}): pino.Logger {
  const level = options.level ?? process.env.KIOSK_LOG_LEVEL ?? 'info';
  return options.destination ? pino({ level }, pino.destination({ dest: options.destination, mkdir: true, sync: false })) : pino({ level });
}

export const silentLogger: Logger = pino({ level: 'silent' });
