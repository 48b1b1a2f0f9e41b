// Entry point (`npm run proxy`, and the Fly image): read the environment, serve, and stop gracefully on
// SIGTERM/SIGINT (Fly sends SIGTERM with kill_timeout to spare).
import { pino } from 'pino';
import { ConfigError, loadConfig, type ProxyConfig } from './config';
import { createDedicatedLifetime } from './dedicated-lifetime';
import { startSignalProxy } from './signal-proxy';

let config: ProxyConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`sdp-proxy: configuration error: ${error.message}\n`);
  process.exit(1);
}

const logger = pino({
  level: config.logLevel,
  redact: { paths: ['token', 'sdp', '*.sdp', 'authorization', '*.authorization', 'headers', '*.headers', 'session', 'apiKey', 'history', '*.history'], censor: '[redacted]' },
});
let proxy: Awaited<ReturnType<typeof startSignalProxy>>;
try {
  proxy = await startSignalProxy(config, { logger });
} catch (error) {
  // A taken port or an address that does not exist here: one line, as for configuration errors.
  process.stderr.write(`sdp-proxy: cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : 'unknown error'}\n`);
  process.exit(1);
}

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  logger.info({ event: 'signal', signal }, 'stopping');
  proxy.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ event: 'stop_failed', err: error instanceof Error ? error.message : 'unknown' }, 'stop failed');
      process.exit(1);
    },
  );
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// On a dedicated machine the process ends with its interview, so Fly's auto_destroy removes the machine
// even when the backend's DELETE never arrives.
if (config.dedicatedInterviewSessionId) {
  const lifetime = createDedicatedLifetime(Date.now());
  const watch = setInterval(() => {
    if (!lifetime.observe(Date.now(), proxy.connectionCount())) return;
    clearInterval(watch);
    logger.info({ event: 'interview_over', interview_session_id: config.dedicatedInterviewSessionId }, 'dedicated machine idle; exiting');
    stop('SIGTERM');
  }, 15_000);
  watch.unref();
}
