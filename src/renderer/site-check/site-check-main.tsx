// The site check page: its plan comes in the URL's fragment (from the check-site CLI, or main when the
// proctor opens it from the tray), the HTTP probes' items with it; the page adds its own in-page probes
// and publishes the full list on window for the CLI.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { checkItemSchema, type CheckItem } from '../../shared/site-check/verdicts';
import { runBrowserProbes } from './browser-probes';
import { SiteCheckPage } from './SiteCheckPage';

export const sitePlanSchema = z
  .object({
    proxyUrl: z.url({ protocol: /^wss?$/ }),
    token: z.string().min(1).nullable().default(null),
    sessionConfig: z.string().min(1).nullable().default(null),
    iceServers: z.array(z.string().regex(/^(stuns?|turns?):/)).default([]),
    healthz: z.union([z.number().int(), z.literal('unreachable')]),
    httpItems: z.array(checkItemSchema).default([]),
    callMs: z.number().int().positive().max(30_000).default(4_000),
    connectTimeoutMs: z.number().int().positive().max(60_000).default(10_000),
  })
  .strict();

declare global {
  interface Window {
    __siteCheckResult?: { done: boolean; items: CheckItem[]; error: string | null };
  }
}

type SitePlan = z.infer<typeof sitePlanSchema>;

function parsePlan(): { plan: SitePlan } | { error: string } {
  try {
    return { plan: sitePlanSchema.parse(JSON.parse(decodeURIComponent(location.hash.replace(/^#/, '')))) };
  } catch (error) {
    return { error: `This page needs a site check plan in its address: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const planned = parsePlan();

function SiteCheck() {
  const [state, setState] = useState<{ done: boolean; items: CheckItem[]; error: string | null }>(() =>
    'error' in planned ? { done: true, items: [], error: planned.error } : { done: false, items: [], error: null },
  );
  useEffect(() => {
    if ('error' in planned) return;
    const { plan } = planned;
    let cancelled = false;
    const items: CheckItem[] = [];
    const publish = (done: boolean) => !cancelled && setState({ done, items: [...items], error: null });
    void runBrowserProbes(plan, (item) => (items.push(item), publish(false)))
      .then(() => (items.push(...plan.httpItems), publish(true)))
      .catch((error: unknown) => !cancelled && setState({ done: true, items: [...items, ...plan.httpItems], error: error instanceof Error ? error.message : String(error) }));
    return () => {
      cancelled = true;
    };
  }, []);
  useEffect(() => {
    window.__siteCheckResult = state;
  }, [state]);
  return <SiteCheckPage {...state} />;
}

const root = document.getElementById('root');
if (!root) throw new Error('site-check/index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <SiteCheck />
  </StrictMode>,
);
