// Click "Start" → `oai-events` data channel open, in real Chromium against the realtime emulator, for
// the kiosk (the whole stack: main's core, backend, the call pre-connected during consent through the
// real SDP proxy, so Start finds the channel already open; first-audio.bench.ts measures what follows) and for a bare reference client measured in the same run: getUserMedia + peer connection
// + offer, POSTed straight to the provider endpoint, nothing else. Needs `npm run build`.
import { chromium, type Page } from '@playwright/test';
import { percentile, type Benchmark, type BenchResult } from './bench-kit';
import { chromiumArgs, chromiumExecutable } from '../support/chromium';
import { startInterviewStack, type InterviewStack } from '../support/interview-stack';

const ROUNDS = 15;

interface Timing {
  total: number;
  /** Offer sent → answer received. */
  signalling: number;
  /** Answer received → data channel open. */
  opening: number;
}

async function bareClientConnect(page: Page): Promise<Timing> {
  return page.evaluate(async () => {
    const pressedAt = performance.now();
    const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection();
    for (const track of microphone.getAudioTracks()) pc.addTrack(track, microphone);
    const channel = pc.createDataChannel('oai-events');
    const opened = new Promise<void>((resolve) => channel.addEventListener('open', () => resolve(), { once: true }));
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const offeredAt = performance.now();
    const answer = await (window as unknown as { postOffer(sdp: string): Promise<string> }).postOffer(offer.sdp!);
    const answeredAt = performance.now();
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await opened;
    const openAt = performance.now();
    pc.close();
    for (const track of microphone.getTracks()) track.stop();
    return { total: openAt - pressedAt, signalling: answeredAt - offeredAt, opening: openAt - answeredAt };
  });
}

async function kioskConnect(stack: InterviewStack, page: Page): Promise<Timing> {
  const launch = await stack.startInterview();
  await page.getByRole('button', { name: 'I agree, continue' }).click();
  const start = page.getByRole('button', { name: 'Start the interview' });
  await start.waitFor();
  await page.waitForFunction(() => !(document.querySelector('button.primary') as HTMLButtonElement | null)?.disabled, null, { timeout: 15_000 });
  await start.click();
  await page.getByTestId('connection-badge').and(page.locator('[data-status="live"]')).waitFor({ timeout: 20_000 });
  const reply = await stack.core.dispatch('proctor.endInterview', undefined, stack.host.url);
  if (!reply.ok) throw new Error(`the proctor could not end the interview: ${reply.error.message}`);
  await page.locator('[data-screen="complete"]').waitFor({ timeout: 30_000 });
  // The session's own measurement (Start pressed → data channel open), as main uploaded it.
  const connect = await waitFor(async () =>
    (await stack.storedEvents(launch.interviewSessionId)).find((event) => event.kind === 'telemetry' && event.data.metric === 'connect'),
  );
  // Let main finish the interview's uploads (recording included) so the next round starts on a quiet machine.
  await waitFor(async () => {
    const status = await stack.core.dispatch('sync.status', undefined, stack.host.url);
    return status.ok && (status.value as { pending: number }).pending === 0 ? true : undefined;
  });
  return { total: connect.data.connect_ms as number, signalling: connect.data.offer_to_answer_ms as number, opening: connect.data.answer_to_open_ms as number };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting for the connect telemetry to reach Postgres');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const benchmark: Benchmark = {
  title: 'kiosk connect: Start → data channel open (Chromium, emulator)',
  async run(): Promise<BenchResult[]> {
    const stack = await startInterviewStack();
    const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
    try {
      const bare = await browser.newPage();
      await bare.exposeFunction('postOffer', async (sdp: string) => {
        const response = await fetch(`${stack.emulator.baseUrl}/realtime/calls`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.emulator.apiKey}`, 'content-type': 'application/sdp' },
          body: sdp,
        });
        if (!response.ok) throw new Error(`emulator answered ${response.status}`);
        return response.text();
      });
      // Any loopback page is a secure context for getUserMedia; not the kiosk app, which would join the interviews.
      await bare.goto(`${stack.proxy.url}/`);
      const kiosk = await browser.newPage();
      await kiosk.goto(stack.host.url);
      await kiosk.locator('[data-screen="idle"]').waitFor();

      const bareTimings: Timing[] = [];
      const kioskTimings: Timing[] = [];
      // One warm-up of each, then alternate so drift on the machine hits both alike.
      await bareClientConnect(bare);
      await kioskConnect(stack, kiosk);
      for (let round = 0; round < ROUNDS; round++) {
        bareTimings.push(await bareClientConnect(bare));
        kioskTimings.push(await kioskConnect(stack, kiosk));
      }
      const sorted = (timings: Timing[], part: keyof Timing) => timings.map((timing) => timing[part]).sort((a, b) => a - b);
      const bareTimes = sorted(bareTimings, 'total');
      const kioskTimes = sorted(kioskTimings, 'total');
      const proxyMs = stack.proxy
        .logs()
        .map((line) => JSON.parse(line) as { event?: string; ms?: number })
        .filter((line) => line.event === 'offer_answered' && typeof line.ms === 'number')
        .map((line) => line.ms!)
        .sort((a, b) => a - b);
      console.log(`  proxy offer→answer p50 (incl. the emulator's answer): ${percentile(proxyMs, 50)} ms`);
      for (const part of ['signalling', 'opening'] as const) {
        console.log(`  ${part} p50: kiosk ${percentile(sorted(kioskTimings, part), 50).toFixed(1)} ms, bare ${percentile(sorted(bareTimings, part), 50).toFixed(1)} ms`);
      }
      const p50 = percentile(kioskTimes, 50);
      const bareP50 = percentile(bareTimes, 50);
      const p90 = percentile(kioskTimes, 90);
      const bareP90 = percentile(bareTimes, 90);
      return [
        { name: 'Start → data channel open p50 (pre-connected)', value: p50, unit: 'ms', baseline: bareP50, target: '< 1.0× bare client', met: p50 < bareP50 },
        { name: 'Start → data channel open p90 (pre-connected)', value: p90, unit: 'ms', baseline: bareP90, target: '≤ 1.1× bare client', met: p90 <= bareP90 * 1.1 },
      ];
    } finally {
      await browser.close();
      await stack.stop();
    }
  },
};

export default benchmark;
