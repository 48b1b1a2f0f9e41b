import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../src/host/browser-host';
import { BROWSER_HOST_APP_INFO } from '../../../src/host/node-core';
import { createUnconfiguredNodePlatform } from '../../../src/host/node-platform';
import { createEventHub } from '../../../src/main/ipc/event-hub';
import { createKioskCore } from '../../../src/main/kiosk-core';
import { metaContentSecurityPolicy, metaPoliciesOf } from '../../../src/main/lockdown/content-security-policy';

let host: BrowserHost;
const events = createEventHub();
/** Every call that reached the core, with the sender the host vouched for. */
const dispatched: Array<{ channel: string; sender: string | undefined }> = [];

// Today's hand-kept meta CSP, so the tests see the host replace it.
const looseMeta = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src 'self' ws: wss: http: https:" />`;

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), `<!doctype html><html><head><meta charset="UTF-8" />${looseMeta}<title>kiosk</title></head></html>`);
  mkdirSync(join(rendererDir, 'proctor'));
  writeFileSync(join(rendererDir, 'proctor', 'index.html'), `<!doctype html><html><head>${looseMeta}<title>proctor</title></head></html>`);
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  host = await startBrowserHost({
    rendererDir,
    createCore: (policy) => {
      const core = createKioskCore({ ...policy, appInfo: BROWSER_HOST_APP_INFO, platform: createUnconfiguredNodePlatform() });
      return {
        ...core,
        events,
        dispatch: (channel, payload, sender) => {
          dispatched.push({ channel, sender });
          return core.dispatch(channel, payload, sender);
        },
      };
    },
  });
});

afterAll(async () => {
  await host.close();
});

const origin = (url: string) => new URL(url).origin;
const bridgeOf = (url: string) => `${origin(url).replace('http', 'ws')}/bridge`;

function call(origin: string | undefined, message: string, bridge = bridgeOf(host.url)): Promise<{ data?: unknown; closeCode?: number; refused?: number }> {
  const socket = new WebSocket(bridge, origin ? { origin } : {});
  return new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(message));
    socket.on('message', (data) => {
      resolve({ data: JSON.parse(data.toString()) });
      socket.close();
    });
    socket.on('unexpected-response', (_request, response) => resolve({ refused: response.statusCode }));
    socket.on('close', (code) => resolve({ closeCode: code }));
    socket.on('error', reject);
  });
}

/** A socket that collects the events the host forwards to it. */
async function listen(pageUrl: string) {
  const socket = new WebSocket(bridgeOf(pageUrl), { origin: origin(pageUrl) });
  const seen: string[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; event?: string; id?: number };
    if (message.type === 'event') seen.push(message.event!);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  // A reply after the events were published proves the host had its chance to forward them.
  const settled = () =>
    new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        if ((JSON.parse(data.toString()) as { type: string }).type === 'reply') resolve();
      });
      socket.send(JSON.stringify({ id: 99, channel: 'app.info' }));
    });
  return { seen, settled, close: () => socket.close() };
}

const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([first]) => first === name)
    ?.slice(1) ?? [];

describe('browser host bridge', () => {
  it('serves the renderer', async () => {
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>kiosk</title>');
    expect((await fetch(`${host.url}assets/app.js`)).status).toBe(200);
  });

  it('answers a contract call from the app origin', async () => {
    const reply = await call(origin(host.url), JSON.stringify({ id: 7, channel: 'app.info' }));
    expect(reply.data).toMatchObject({ type: 'reply', id: 7, envelope: { ok: true, value: { shell: 'browser-host' } } });
  });

  it('refuses a socket to a foreign origin and to a client that sends none, so no event reaches them', async () => {
    for (const foreign of ['https://evil.example', undefined]) {
      await expect(call(foreign, JSON.stringify({ id: 1, channel: 'app.info' }))).resolves.toEqual({ refused: 403 });
      await expect(call(foreign, JSON.stringify({ id: 1, channel: 'app.info' }), bridgeOf(host.proctorUrl))).resolves.toEqual({ refused: 403 });
    }
  });

  it('closes the socket on a message that is not a bridge request', async () => {
    await expect(call(origin(host.url), 'not json')).resolves.toEqual({ closeCode: 1003 });
    await expect(call(origin(host.url), JSON.stringify({ channel: 'app.info' }))).resolves.toEqual({ closeCode: 1003 });
  });
});

describe('the proctor page', () => {
  it('lives on an origin of its own', () => {
    expect(origin(host.proctorUrl)).not.toBe(origin(host.url));
    expect(new URL(host.proctorUrl).pathname).toBe('/proctor/');
  });

  it.each(['proctor.status', 'proctor.signIn', 'proctor.listInterviews', 'proctor.startInterview', 'proctor.endInterview', 'proctor.quit'])(
    'attack: the candidate page calls %s and the call never reaches the core',
    async (channel) => {
      dispatched.length = 0;
      const reply = await call(origin(host.url), JSON.stringify({ id: 3, channel, payload: { pin: '1234', email: 'a@b.example', password: 'x', interviewSessionId: 'x' } }));
      expect(reply.data).toEqual({
        type: 'reply',
        id: 3,
        envelope: { ok: false, error: { code: 'proctor.forbidden', message: 'Proctor actions are only available from the proctor window.' } },
      });
      expect(dispatched).toEqual([]);
    },
  );

  it('the proctor page reaches the core with its own origin as the sender', async () => {
    dispatched.length = 0;
    const reply = await call(origin(host.proctorUrl), JSON.stringify({ id: 4, channel: 'proctor.status' }), bridgeOf(host.proctorUrl));
    // Unconfigured, so the core answers config.missing: the call got past the bridge.
    expect(reply.data).toMatchObject({ type: 'reply', id: 4, envelope: { ok: false, error: { code: 'config.missing' } } });
    expect(dispatched).toEqual([{ channel: 'proctor.status', sender: origin(host.proctorUrl) }]);
  });

  it("attack: the candidate's origin opens a socket on the proctor's bridge, and the proctor's on the candidate's", async () => {
    await expect(call(origin(host.url), JSON.stringify({ id: 1, channel: 'proctor.status' }), bridgeOf(host.proctorUrl))).resolves.toEqual({ refused: 403 });
    await expect(call(origin(host.proctorUrl), JSON.stringify({ id: 1, channel: 'app.info' }), bridgeOf(host.url))).resolves.toEqual({ refused: 403 });
  });

  it.each(['proctor/index.html', 'proctor/', 'proctor', '%70roctor/index.html', 'PROCTOR/index.html', 'x/%2e%2e/proctor/index.html', 'x/..%2fproctor/index.html'])(
    'attack: the candidate origin serves %s and the page there would share its origin; it redirects to the proctor origin instead',
    async (path) => {
      const response = await fetch(`${host.url}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(origin(response.headers.get('location')!)).toBe(origin(host.proctorUrl));
    },
  );

  it('the redirect lands on the proctor page; the proctor origin serves nothing of the candidate page', async () => {
    const response = await fetch(`${host.url}proctor/index.html`);
    expect(response.url).toBe(`${origin(host.proctorUrl)}/proctor/index.html`);
    expect(await response.text()).toContain('<title>proctor</title>');
    expect((await fetch(`${origin(host.proctorUrl)}/index.html`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${origin(host.proctorUrl)}/`, { redirect: 'manual' })).headers.get('location')).toBe(host.proctorUrl);
  });

  it('attack: a double-encoded path is refused rather than guessed at', async () => {
    expect((await fetch(`${host.url}%2570roctor/index.html`, { redirect: 'manual' })).status).toBe(400);
  });

  it("attack: the proctor's status (with the proctor's email) is not forwarded to the candidate page", async () => {
    const candidate = await listen(host.url);
    const proctor = await listen(host.proctorUrl);
    events.publish('proctor.status', { signedIn: true, email: 'proctor@demo.example', activeInterviewSessionId: null });
    events.publish('lockdown.changed', { paused: false, reason: null });
    await Promise.all([candidate.settled(), proctor.settled()]);
    candidate.close();
    proctor.close();
    expect(candidate.seen).toEqual(['lockdown.changed']);
    expect(proctor.seen).toEqual(['proctor.status', 'lockdown.changed']);
  });
});

describe('content security policy of the served pages', () => {
  it.each([
    ['candidate', () => host.url, () => origin(host.url)],
    ['proctor', () => host.proctorUrl, () => origin(host.proctorUrl)],
  ])('attack: the %s page carries a meta CSP looser than its header (connect-src ws: wss: http: https:)', async (_page, pageUrl, ownOrigin) => {
    const response = await fetch(pageUrl());
    const header = response.headers.get('content-security-policy');
    expect(header).not.toBeNull();
    expect(metaPoliciesOf(await response.text())).toEqual([metaContentSecurityPolicy(header!)]);
    const connect = directive(header!, 'connect-src');
    expect(connect).toEqual(["'self'", ownOrigin(), ownOrigin().replace('http:', 'ws:')]);
    expect(directive(header!, 'script-src')).toEqual(["'self'"]);
  });
});
