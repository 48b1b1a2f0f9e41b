// Drives the site check page (src/renderer/site-check) in Chromium against the local stack, for the
// e2e and `npm run check-site`: the HTTP probes run here in Node (where main's HTTP traffic starts),
// the page runs the WebSocket, ICE and test-call probes, and the media path goes through the netlab's
// UDP relay so a profile (UDP blocked) can be put on it.
import type { Page } from '@playwright/test';
import { runHttpProbes, type HttpProbeTargets } from '../../src/shared/site-check/http-probes';
import { checkItemSchema, type CheckItem } from '../../src/shared/site-check/verdicts';
import { startInterviewStack, type InterviewStack } from './interview-stack';
import { Link, type LinkProfile } from './netlab/impairment';
import { loopbackCandidatePort, startUdpRelay, withoutCandidates, withRelayCandidate, type UdpRelay } from './netlab/udp-relay';

export interface SitePlanInput {
  proxyUrl: string;
  token: string | null;
  sessionConfig?: string | null;
  iceServers?: string[];
  callMs?: number;
  connectTimeoutMs?: number;
}

export interface SiteCheckStack {
  stack: InterviewStack;
  targets: HttpProbeTargets;
  /** A fresh proxy pass for one test call (each call takes an interview session of its own). */
  pass(): Promise<{ url: string; token: string; sessionConfigToken: string }>;
  relays: UdpRelay[];
  stop(): Promise<void>;
}

export async function startSiteCheckStack(link: Omit<LinkProfile, 'name'> = {}): Promise<SiteCheckStack> {
  const relays: UdpRelay[] = [];
  const media = new Link({ name: 'site-check', ...link });
  const stack = await startInterviewStack({
    netlab: {
      rewriteOffer: withoutCandidates,
      rewriteAnswer: async (sdp) => {
        const port = loopbackCandidatePort(sdp);
        if (port === null) throw new Error('The emulator answered without a loopback candidate to relay to.');
        const relay = await startUdpRelay(media, { host: '127.0.0.1', port });
        relays.push(relay);
        return withRelayCandidate(sdp, relay.port);
      },
    },
  });
  return {
    stack,
    relays,
    targets: { proxyUrl: stack.proxy.signalUrl, supabaseUrl: stack.backend.supabaseUrl, publishableKey: stack.backend.publishableKey, videoUploadUrl: stack.apiVideo.uploadUrl },
    async pass() {
      const { interviewSessionId } = await stack.startInterview();
      const envelope = await stack.core.dispatch('interview.proxyPass', { interviewSessionId }, stack.host.url);
      if (!envelope.ok) throw new Error(`interview.proxyPass failed: ${envelope.error.code} ${envelope.error.message}`);
      return envelope.value as { url: string; token: string; sessionConfigToken: string };
    },
    async stop() {
      await stack.stop();
      for (const relay of relays) await relay.close().catch(() => undefined);
    },
  };
}

/** Opens the page with its plan, waits for every probe, and returns the items the page shows. */
export async function driveSiteCheck(page: Page, pageUrl: string, targets: HttpProbeTargets, plan: SitePlanInput): Promise<CheckItem[]> {
  const http = await runHttpProbes(targets);
  const fragment = encodeURIComponent(JSON.stringify({ ...plan, sessionConfig: plan.sessionConfig ?? null, iceServers: plan.iceServers ?? [], healthz: http.healthz, httpItems: http.items }));
  await page.goto(`${pageUrl}#${fragment}`);
  await page.locator('[data-screen="site-check"][data-state="done"]').waitFor({ timeout: 60_000 });
  const result = await page.evaluate(() => (globalThis as unknown as { __siteCheckResult?: { done: boolean; items: unknown[]; error: string | null } }).__siteCheckResult);
  if (!result) throw new Error('The site check page published no result.');
  if (result.error) throw new Error(`The site check page failed: ${result.error}`);
  return result.items.map((item: unknown) => checkItemSchema.parse(item));
}
