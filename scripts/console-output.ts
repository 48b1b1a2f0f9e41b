// How `npm start` talks to the person who ran it: pretty, human lines on a terminal (pino-pretty),
// one JSON object per line when piped or with --json (for tools), the same log records either way.
import pino from 'pino';
import pretty from 'pino-pretty';

export type OutputMode = 'pretty' | 'json';

/** Pretty on a terminal; JSON when piped or asked for. `--pretty` forces human lines into a pipe. */
export function outputMode(flags: { json?: boolean; pretty?: boolean }, stdoutIsTty: boolean): OutputMode {
  if (flags.json) return 'json';
  if (flags.pretty) return 'pretty';
  return stdoutIsTty ? 'pretty' : 'json';
}

/**
 * Log records the local demo explains in its own words before "ready" (see `demoNotes`), so the
 * log line itself would only repeat it, worded for a real kiosk.
 */
const EXPLAINED_IN_THE_SUMMARY = new Set(['vault.encryption_unavailable']);

export function createConsoleLogger(options: {
  mode: OutputMode;
  level: string;
  name?: string;
  colorize?: boolean;
  /** Where lines go (stdout by default; tests pass a stream). */
  destination?: NodeJS.WritableStream;
}): pino.Logger {
  const hooks: pino.LoggerOptions['hooks'] = {
    logMethod(args, method) {
      const [first] = args as unknown[];
      const code = typeof first === 'object' && first !== null && 'code' in first ? (first as { code: unknown }).code : undefined;
      if (typeof code === 'string' && EXPLAINED_IN_THE_SUMMARY.has(code)) return;
      method.apply(this, args);
    },
  };
  const base = { level: options.level, name: options.name, hooks };
  if (options.mode === 'json') return options.destination ? pino(base, options.destination) : pino(base);
  const stream = pretty({
    colorize: options.colorize ?? false,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    // Synchronous, so a line logged just before exit (or before "ready") is on screen in order.
    sync: true,
    ...(options.destination ? { destination: options.destination } : {}),
  });
  return pino(base, stream);
}

/** What a newcomer should know about this run of the local demo, in words (printed before "ready"). */
export function demoNotes(options: { tokenKeySet: boolean; firstRun: boolean }): string[] {
  const notes: string[] = [];
  if (options.firstRun) notes.push('This was the first start: the database was created and filled with demo data.');
  if (!options.tokenKeySet) {
    notes.push(
      'Sign-ins live in memory only (the browser host has no OS keyring and KIOSK_TOKEN_KEY is not set): the proctor signs in again after a restart, and every start enrols the demo kiosk afresh. Nothing to do for a local demo.',
    );
  }
  return notes;
}
