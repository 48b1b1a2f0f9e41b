// Recording memory: a simulated 60-minute recording (3,600 one-second chunks at about 1 Mbit/s,
// generated as fast as the disk takes them) streamed through the real recording store, then made
// seekable. Main's memory must stay flat (±20 MB): RSS is sampled every 30 recorded seconds; the GC's
// sawtooth is expected, a trend is not. Reported: the drift between the first and last ten samples,
// the largest deviation from the median, and the peak while the file is made seekable.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKioskDatabase } from '../../src/main/platform/kiosk-database';
import { silentLogger } from '../../src/main/platform/logger';
import { createOutbox } from '../../src/main/sync/outbox';
import { createRecordingStore } from '../../src/main/recordings/recording-store';
import { webmCluster, webmHeader } from '../support/webm-stream';
import type { Benchmark, BenchResult } from './bench-kit';

const SECONDS = 60 * 60;
const MB = 1024 * 1024;

const benchmark: Benchmark = {
  title: 'recording',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'bench-recording-'));
    try {
      const db = openKioskDatabase(join(dir, 'kiosk.sqlite'));
      const store = createRecordingStore({ db, dir: join(dir, 'recordings'), outbox: createOutbox(db), clock: Date, logger: silentLogger, onQueued: () => {} });
      const recordingId = store.start(randomUUID(), 'video/webm;codecs=vp8,opus');
      // 30 frames of ~4 KiB each per second ≈ 1 Mbit/s, from ten prepared one-second clusters. The
      // chunks are not copied: a copy per chunk would measure the GC's sawtooth over the bench's own
      // garbage (±30 MB, no drift, in trial runs), not what the recording path holds.
      const templates = Array.from({ length: 10 }, (_, i) => webmCluster(i * 1_000, 30, 4_150));
      store.append(recordingId, 0, webmHeader());
      const samples: number[] = [];
      let warm = 0;
      const started = performance.now();
      for (let second = 1; second <= SECONDS; second++) {
        store.append(recordingId, second, templates[second % 10]!);
        if (second === 60) warm = process.memoryUsage().rss;
        if (second > 60 && second % 30 === 0) {
          samples.push(process.memoryUsage().rss);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const streamMs = performance.now() - started;
      const finishStarted = performance.now();
      let finishPeak = process.memoryUsage().rss;
      const watch = setInterval(() => (finishPeak = Math.max(finishPeak, process.memoryUsage().rss)), 20);
      const bytes = await store.finish(recordingId, SECONDS * 1_000);
      clearInterval(watch);
      const finishMs = performance.now() - finishStarted;
      store.dispose();
      db.close();
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      const median = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
      const drift = mean(samples.slice(-10)) - mean(samples.slice(0, 10));
      const deviation = Math.max(...samples.map((sample) => Math.abs(sample - median)));
      return [
        { name: `60-min recording (${(bytes / MB).toFixed(0)} MB): RSS drift first→last 5 min`, value: drift / MB, unit: 'MB', baseline: warm / MB, target: '≤ ±20 MB', met: Math.abs(drift) <= 20 * MB },
        { name: '60-min recording: largest RSS deviation from median', value: deviation / MB, unit: 'MB', baseline: median / MB, target: '≤ ±20 MB', met: deviation <= 20 * MB },
        { name: '60-min recording stream time (disk-bound)', value: streamMs, unit: 'ms', target: 'report', met: true },
        { name: 'making it seekable: time', value: finishMs, unit: 'ms', target: 'report', met: true },
        { name: 'making it seekable: RSS peak over the streaming median', value: (finishPeak - median) / MB, unit: 'MB', baseline: median / MB, target: '≤ 20 MB', met: finishPeak - median <= 20 * MB },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
