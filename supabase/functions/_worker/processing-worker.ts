// The processing worker's process: `deno run` this file with the worker's environment (docs/backend.md
// "Processing"). PROCESSING_ONCE=1 drains the due jobs and exits (a scheduler calling it); otherwise
// it polls until SIGTERM / SIGINT, finishing the job in hand first.
import { drainJobs, runWorker, workerConfigFromEnv } from '../_shared/processing-worker.ts';

const config = workerConfigFromEnv(Deno.env.toObject());
if (Deno.env.get('PROCESSING_ONCE') === '1') {
  const settled = await drainJobs(config);
  console.log(JSON.stringify({ worker: 'processing', event: 'drained', settled }));
  Deno.exit(0);
}
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) Deno.addSignalListener(signal, () => stop.abort());
await runWorker(config, stop.signal);
Deno.exit(0);
