import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LockdownEventType } from '../../../../src/main/lockdown/lockdown-log';
import { isProctorPage } from '../../../../src/main/window/renderer-protocol';
import {
  APPLICATION_MENU,
  guardProctorChannels,
  hardenWindow,
  PROCTOR_ONLY,
  roleMayUse,
  WINDOW_ROLES,
  windowHardening,
  type HardenableWindow,
  type WindowRole,
} from '../../../../src/main/window/window-hardening';

/** Stands in for a BrowserWindow: records what the hardening did and lets the test fire its events. */
function fakeWindow() {
  const contents = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const state = { menuRemoved: false };
  const window = {
    removeMenu: () => {
      state.menuRemoved = true;
    },
    webContents: Object.assign(contents, {
      setWindowOpenHandler: (handler: typeof openHandler) => {
        openHandler = handler;
      },
    }),
  } as unknown as HardenableWindow;
  const fire = (event: string, ...args: unknown[]) => {
    let prevented = false;
    const electronEvent = { preventDefault: () => (prevented = true), url: args[0] };
    contents.emit(event, electronEvent, ...args);
    return prevented;
  };
  return { window, state, fire, open: (url: string) => openHandler?.({ url }) };
}

function harden(role: WindowRole) {
  const fake = fakeWindow();
  const recorded: Array<[LockdownEventType, Record<string, unknown> | undefined]> = [];
  const chords = { pressed: 0 };
  hardenWindow(fake.window, windowHardening(role), {
    appUrl: 'kiosk-app://renderer/index.html',
    platform: 'win32',
    lockdown: () => ({ record: (type, detail) => recorded.push([type, detail]) }),
    onProctorChord: () => chords.pressed++,
  });
  return { ...fake, recorded, chords };
}

const key = (input: Partial<{ key: string; code: string; control: boolean; shift: boolean; alt: boolean; isAutoRepeat: boolean }>) => ({
  type: 'keyDown',
  key: 'a',
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...input,
});

describe('window hardening', () => {
  it('gives every window role no menu, the shortcut filter, no window.open and no webview', () => {
    for (const role of WINDOW_ROLES) {
      expect(windowHardening(role), role).toMatchObject({ role, menu: 'none', shortcutFilter: true, windowOpen: 'deny', webviews: 'refuse' });
    }
    expect(APPLICATION_MENU).toBeNull();
  });

  it("keeps only the candidate's window off the proctor page", () => {
    expect(windowHardening('kiosk').forbiddenPathPrefixes).toEqual(['/proctor/']);
    expect(windowHardening('proctor').forbiddenPathPrefixes).toEqual([]);
  });

  it.each(WINDOW_ROLES)('attack: reload, devtools and quit shortcuts in the %s window are swallowed and logged', (role) => {
    const { fire, recorded, state } = harden(role);
    expect(state.menuRemoved).toBe(true);
    expect(fire('before-input-event', key({ key: 'r', control: true }))).toBe(true);
    expect(fire('before-input-event', key({ key: 'I', control: true, shift: true }))).toBe(true);
    expect(fire('before-input-event', key({ key: 'F4', alt: true }))).toBe(true);
    expect(fire('before-input-event', key({ key: 'a' }))).toBe(false);
    expect(recorded.filter(([type]) => type === 'shortcut_blocked').map(([, detail]) => detail)).toEqual([
      { action: 'reload', key: 'r', window: role },
      { action: 'devtools', key: 'I', window: role },
      { action: 'close', key: 'F4', window: role },
    ]);
  });

  it.each(WINDOW_ROLES)('hands the proctor chord in the %s window to main once per press, hidden from the page and not logged as an escape', (role) => {
    const { fire, recorded, chords } = harden(role);
    const chord = { key: 'P', code: 'KeyP', control: true, alt: true, shift: true };
    expect(fire('before-input-event', key(chord))).toBe(true);
    expect(fire('before-input-event', key({ ...chord, isAutoRepeat: true }))).toBe(true);
    expect(fire('before-input-event', key({ key: 'P', code: 'KeyP', control: true, shift: true }))).toBe(false);
    expect(chords.pressed).toBe(1);
    expect(recorded.filter(([type]) => type === 'shortcut_blocked')).toEqual([]);
  });

  it.each(WINDOW_ROLES)('attack: the %s window cannot be navigated, redirected or framed off the app, open windows or attach a webview', (role) => {
    const { fire, open } = harden(role);
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(fire(event, 'https://evil.example/'), event).toBe(true);
      expect(fire(event, 'kiosk-app://renderer/index.html#/consent'), event).toBe(false);
    }
    expect(fire('will-attach-webview')).toBe(true);
    expect(open('kiosk-app://renderer/index.html')).toEqual({ action: 'deny' });
  });

  it("attack: the candidate's window cannot reach the proctor page by any spelling; the proctor's may", () => {
    const kiosk = harden('kiosk');
    const proctor = harden('proctor');
    for (const url of ['kiosk-app://renderer/proctor/index.html', 'kiosk-app://renderer/%70roctor/index.html', 'kiosk-app://renderer/%2570roctor/index.html']) {
      expect(kiosk.fire('will-navigate', url), url).toBe(true);
    }
    expect(proctor.fire('will-navigate', 'kiosk-app://renderer/proctor/index.html#quit')).toBe(false);
  });
});

describe('proctor channels', () => {
  const guarded = () => {
    const reached: string[] = [];
    const dispatch = guardProctorChannels(async (channel, _payload, sender) => {
      reached.push(`${channel} from ${sender}`);
      return { ok: true, value: null };
    }, isProctorPage);
    return { dispatch, reached };
  };

  it.each(['kiosk-app://renderer/index.html', 'kiosk-app://renderer/proctor/..%2findex.html', undefined])(
    "attack: the candidate's window (%s) reads the proctor's status or acts as the proctor",
    async (sender) => {
      const { dispatch, reached } = guarded();
      for (const channel of ['proctor.status', 'proctor.signIn', 'proctor.quit']) await expect(dispatch(channel, {}, sender)).resolves.toEqual(PROCTOR_ONLY);
      expect(reached).toEqual([]);
      await expect(dispatch('app.info', undefined, sender)).resolves.toEqual({ ok: true, value: null });
    },
  );

  it("passes the proctor window's calls through", async () => {
    const { dispatch, reached } = guarded();
    await dispatch('proctor.status', undefined, 'kiosk-app://renderer/proctor/index.html#sign-in');
    expect(reached).toEqual(['proctor.status from kiosk-app://renderer/proctor/index.html#sign-in']);
  });

  it("keeps proctor events from the candidate's window only", () => {
    expect(roleMayUse('kiosk', 'proctor.status')).toBe(false);
    expect(roleMayUse('kiosk', 'interview.launched')).toBe(true);
    expect(roleMayUse('proctor', 'proctor.status')).toBe(true);
    expect(roleMayUse('proctor', 'sync.state')).toBe(true);
  });
});

// The factories are Electron glue and not run here; reading their source is how this suite checks
// the glue (as electron-free-modules.test.ts does), so a window added without the hardening fails.
describe('every window main creates is hardened', () => {
  const mainDir = resolve('src/main');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });
  const withWindows = files(mainDir)
    .map((file) => ({ file: relative(mainDir, file), text: readFileSync(file, 'utf8') }))
    .filter(({ text }) => /new BrowserWindow\(/.test(text));

  it('the check sees both window factories', () => {
    expect(withWindows.map(({ file }) => file).sort()).toEqual(['window/kiosk-window.electron.ts', 'window/proctor-window.electron.ts']);
  });

  it.each(withWindows.map(({ file, text }) => [file, text]))('attack: %s hands each new window to hardenWindow', (_file, text) => {
    const created = text.match(/new BrowserWindow\(/g)!.length;
    const hardened = text.match(/hardenWindow\(window, windowHardening\('(kiosk|proctor)'\)/g) ?? [];
    expect(hardened.length).toBe(created);
  });

  it('attack: each role is applied by its own factory', () => {
    const byFile = Object.fromEntries(withWindows.map(({ file, text }) => [file, text]));
    expect(byFile['window/kiosk-window.electron.ts']).toContain("windowHardening('kiosk')");
    expect(byFile['window/proctor-window.electron.ts']).toContain("windowHardening('proctor')");
  });

  it('attack: the composition root removes the application menu before it opens a window', () => {
    const index = readFileSync(join(mainDir, 'index.ts'), 'utf8');
    const menu = index.indexOf('Menu.setApplicationMenu(APPLICATION_MENU)');
    expect(menu).toBeGreaterThan(index.indexOf('function start()'));
    expect(menu).toBeLessThan(index.indexOf('createKioskWindow({'));
    expect(menu).toBeLessThan(index.indexOf('createProctorWindowOpener({'));
  });

  it("attack: the composition root hands the candidate's window the proctor's channels or events", () => {
    const index = readFileSync(join(mainDir, 'index.ts'), 'utf8');
    expect(index).toContain('registerElectronIpc(ipcMain, guardProctorChannels(core.dispatch, isProctorPage))');
    expect(index).toMatch(/roleMayUse\(role, event\)\) window\.webContents\.send\(event, payload\)/);
    expect(index.match(/webContents\.send\(/g)).toHaveLength(1);
  });
});
