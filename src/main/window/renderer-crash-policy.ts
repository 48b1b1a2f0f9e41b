// What main does when the kiosk page's renderer process dies. A crash is reloaded (the page asks main
// for `interview.current` and resumes the same interview); a crash loop is not, because reloading a
// page that dies again within seconds leaves the candidate in front of a dead window until someone
// restarts the machine. Past the limit main gives up: it shows a static page of its own that tells
// the candidate to call the proctor, marks the tray, and logs it. The proctor chord still works there.

export interface CrashLimits {
  /** Crashes in one window that are still reloaded. */
  maxReloads: number;
  windowMs: number;
}

export const defaultCrashLimits: CrashLimits = { maxReloads: 3, windowMs: 60_000 };

export type CrashDecision = { action: 'reload'; crashesInWindow: number } | { action: 'give-up'; crashesInWindow: number };

/** Counts crashes in a sliding window; once it has given up it stays given up. */
export function createCrashTracker(limits: CrashLimits = defaultCrashLimits) {
  const crashes: number[] = [];
  let gaveUp = false;
  return {
    crashed(now: number): CrashDecision {
      crashes.push(now);
      while (crashes.length && crashes[0]! <= now - limits.windowMs) crashes.shift();
      // A crash of the give-up page itself must not bring the failing app page back.
      if (gaveUp || crashes.length > limits.maxReloads) {
        gaveUp = true;
        return { action: 'give-up', crashesInWindow: crashes.length };
      }
      return { action: 'reload', crashesInWindow: crashes.length };
    },
    gaveUp: () => gaveUp,
  };
}

/** The give-up page: static, no script, nothing to load, so it cannot crash the way the app did. */
export const GIVE_UP_PAGE_HTML = [
  '<!doctype html><html lang="en"><head><meta charset="utf-8">',
  `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
  '<title>Interview kiosk</title>',
  '<style>body{margin:0;height:100vh;display:flex;align-items:center;justify-content:center;background:#0f172a;color:#f8fafc;',
  'font:24px/1.4 system-ui,sans-serif;text-align:center}main{max-width:36em;padding:2em}h1{font-size:1.6em}</style>',
  '</head><body><main><h1>This kiosk has stopped working</h1>',
  '<p>Please call the proctor. Everything you said so far is saved on this kiosk.</p></main></body></html>',
].join('');

/** The page as a URL main can load into the window without a file or the app's scheme. */
export const giveUpPageUrl = (): string => `data:text/html;charset=utf-8,${encodeURIComponent(GIVE_UP_PAGE_HTML)}`;
