// Click "Start" → the first audio frame of the interviewer's greeting arriving at the page, in real
// Chromium against the realtime emulator (which, like the provider, speaks only on `response.create`
// and sends RTP only while it speaks). The kiosk (whole stack, the call pre-connected during consent)
// against a bare reference client measured in the same run: getUserMedia + peer connection + offer,
// POSTed straight to the provider endpoint, then `response.create`, all on the click. Arrival is seen
// the same way for both: the first packet in the inbound-rtp stats, polled back to back. Needs
// `npm run build`.
import { chromium, type Page } from '@playwright/test';
import { percentile, type Benchmark, type BenchResult } from './bench-kit';
import { chromiumArgs, chromiumExecutable } from '../support/chromium';
import { startInterviewStack, type InterviewStack } from '../support/interview-stack';

const ROUNDS = 12;

/**
 * Page-side: resolves with the time the first RTP packet shows in an open peer connection's inbound-rtp
 * stats (network arrival: neither page needs to play the audio for it to count), polled back to back.
 */
const FIRST_AUDIO_PROBE = `
  window.__firstAudio = async (peers) => {
    const until = performance.now() + 20000;
    for (;;) {
      for (const pc of peers()) {
        if (pc.signalingState === 'closed') continue;
        const report = await pc.getStats();
        for (const stat of report.values()) {
          if (stat.type === 'inbound-rtp' && stat.kind === 'audio' && stat.packetsReceived > 0) return performance.now();
        }
      }
      if (performance.now() > until) throw new Error('no greeting audio within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
`;

async function bareFirstAudio(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const w = window as unknown as { postOffer(sdp: string): Promise<string>; __firstAudio(peers: () => RTCPeerConnection[]): Promise<number> };
    const pressedAt = performance.now();
    const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection();
    for (const track of microphone.getAudioTracks()) pc.addTrack(track, microphone);
    const channel = pc.createDataChannel('oai-events');
    const opened = new Promise<void>((resolve) => channel.addEventListener('open', () => resolve(), { once: true }));
    const heard = w.__firstAudio(() => [pc]);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const answer = await w.postOffer(offer.sdp!);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await opened;
    channel.send(JSON.stringify({ type: 'response.create' }));
    const at = await heard;
    pc.close();
    for (const track of microphone.getTracks()) track.stop();
    return at - pressedAt;
  });
}

async function kioskFirstAudio(stack: InterviewStack, page: Page): Promise<{ ms: number; preconnected: boolean }> {
  await stack.emulator.resetConversation();
  const launch = await stack.startInterview();
  await page.getByRole('button', { name: 'I agree, continue' }).click();
  const start = page.getByRole('button', { name: 'Start the interview' });
  await start.waitFor();
  await page.waitForFunction(() => !(document.querySelector('button.primary') as HTMLButtonElement | null)?.disabled, null, { timeout: 15_000 });
  // A candidate takes seconds over the consent and the device check; the call is up by then.
  await page.waitForFunction(() => (window as unknown as { __peers: RTCPeerConnection[] }).__peers.some((pc) => pc.connectionState === 'connected'), null, { timeout: 15_000 });
  const measured = page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const w = window as unknown as { __peers: RTCPeerConnection[]; __firstAudio(peers: () => RTCPeerConnection[]): Promise<number> };
        // The click as the page sees it, before the app's own handler runs.
        document.addEventListener(
          'click',
          () => {
            const pressedAt = performance.now();
            w.__firstAudio(() => w.__peers).then((at) => resolve(at - pressedAt), reject);
          },
          { capture: true, once: true },
        );
      }),
  );
  await start.click();
  const ms = await measured;
  const reply = await stack.core.dispatch('proctor.endInterview', undefined, stack.host.url);
  if (!reply.ok) throw new Error(`the proctor could not end the interview: ${reply.error.message}`);
  await page.locator('[data-screen="complete"]').waitFor({ timeout: 30_000 });
  const events = await waitFor(async () => {
    const stored = await stack.storedEvents(launch.interviewSessionId);
    return stored.some((event) => event.kind === 'telemetry' && event.data.metric === 'connect') ? stored : undefined;
  });
  // Let main finish the interview's uploads (recording included) so the next round starts on a quiet machine.
  await waitFor(async () => {
    const status = await stack.core.dispatch('sync.status', undefined, stack.host.url);
    return status.ok && (status.value as { pending: number }).pending === 0 ? true : undefined;
  });
  const preconnected = events.some((event) => event.kind === 'telemetry' && event.data.metric === 'connect' && event.data.preconnected === true);
  return { ms, preconnected };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting for the interview to settle');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const benchmark: Benchmark = {
  title: 'kiosk first audio: Start → first greeting audio frame at the page (Chromium, emulator)',
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
      await bare.addInitScript(FIRST_AUDIO_PROBE);
      // Any loopback page is a secure context for getUserMedia; not the kiosk app, which would join the interviews.
      await bare.goto(`${stack.proxy.url}/`);
      const kiosk = await browser.newPage();
      // Only the bench's copy of the page keeps its peer connections where the probe can see them.
      await kiosk.addInitScript(`
        window.__peers = [];
        const Native = window.RTCPeerConnection;
        window.RTCPeerConnection = function (...args) { const pc = new Native(...args); window.__peers.push(pc); return pc; };
        window.RTCPeerConnection.prototype = Native.prototype;
        ${FIRST_AUDIO_PROBE}
      `);
      await kiosk.goto(stack.host.url);
      await kiosk.locator('[data-screen="idle"]').waitFor();

      const bareTimes: number[] = [];
      const kioskTimes: number[] = [];
      let preconnectedRounds = 0;
      const bareRound = async () => {
        await stack.emulator.resetConversation();
        return bareFirstAudio(bare);
      };
      // One warm-up of each, then alternate so drift on the machine hits both alike.
      await bareRound();
      await kioskFirstAudio(stack, kiosk);
      for (let round = 0; round < ROUNDS; round++) {
        bareTimes.push(await bareRound());
        const kioskRound = await kioskFirstAudio(stack, kiosk);
        kioskTimes.push(kioskRound.ms);
        if (kioskRound.preconnected) preconnectedRounds++;
      }
      bareTimes.sort((a, b) => a - b);
      kioskTimes.sort((a, b) => a - b);
      console.log(`  ${preconnectedRounds}/${ROUNDS} kiosk rounds ran on the pre-connected call`);
      const p50 = percentile(kioskTimes, 50);
      const bareP50 = percentile(bareTimes, 50);
      const p90 = percentile(kioskTimes, 90);
      const bareP90 = percentile(bareTimes, 90);
      console.log(`  p50 kiosk ${p50.toFixed(1)} ms, bare ${bareP50.toFixed(1)} ms: ${(p50 / bareP50).toFixed(2)}×; p90 ${(p90 / bareP90).toFixed(2)}×`);
      return [
        { name: 'Start → first greeting audio p50 (pre-connected)', value: p50, unit: 'ms', baseline: bareP50, target: '≤ 0.5× bare client', met: p50 <= bareP50 * 0.5 && preconnectedRounds === ROUNDS },
        { name: 'Start → first greeting audio p90 (pre-connected)', value: p90, unit: 'ms', baseline: bareP90, target: 'report', met: true },
      ];
    } finally {
      await browser.close();
      await stack.stop();
    }
  },
};

export default benchmark;
