// What every window main opens gets, whatever its role: no menu (a menu's accelerators reload, open
// devtools or quit behind the page's back), the shortcut filter, the navigation policy, no window.open
// and no <webview>. One list so a new window cannot be opened with half of it; the Electron window
// factories hand their window to `hardenWindow` and add only their role's extras (kiosk mode, focus).
// Electron appears here as types only, so this runs, and is tested, under plain Node.
import type { BrowserWindow, WebContents } from 'electron';
import type { IpcEnvelope } from '../../shared/ipc-contract';
import type { IpcDispatch } from '../ipc/ipc-dispatcher';
import type { LockdownLog } from '../lockdown/lockdown-log';
import { createNavigationPolicy, windowOpenDecision } from '../lockdown/navigation-policy';
import { decideShortcut, PROCTOR_ACTION } from '../lockdown/shortcut-policy';

export const WINDOW_ROLES = ['kiosk', 'proctor'] as const;
export type WindowRole = (typeof WINDOW_ROLES)[number];

export interface WindowHardening {
  role: WindowRole;
  menu: 'none';
  shortcutFilter: true;
  windowOpen: 'deny';
  webviews: 'refuse';
  /** App paths the window must never show: the proctor's page carries proctor authority. */
  forbiddenPathPrefixes: readonly string[];
}

/** The application menu main installs at startup: none, so no window inherits the default one. */
export const APPLICATION_MENU = null;

export function windowHardening(role: WindowRole): WindowHardening {
  return {
    role,
    menu: 'none',
    shortcutFilter: true,
    windowOpen: 'deny',
    webviews: 'refuse',
    forbiddenPathPrefixes: role === 'kiosk' ? ['/proctor/'] : [],
  };
}

type Preventable = { preventDefault(): void };

/** The few members of a BrowserWindow the hardening touches; a test stands in for them. */
export interface HardenableWindow {
  removeMenu: BrowserWindow['removeMenu'];
  webContents: {
    on: WebContents['on'];
    setWindowOpenHandler: WebContents['setWindowOpenHandler'];
  };
}

export interface HardenWindowInput {
  appUrl: string;
  platform: string;
  lockdown: () => LockdownLog | null;
  /** The proctor chord was pressed in this window (see PROCTOR_CHORD): main opens the proctor's way in. */
  onProctorChord?: () => void;
}

export function hardenWindow(window: HardenableWindow, hardening: WindowHardening, input: HardenWindowInput): void {
  const where = { window: hardening.role };
  // removeMenu alone leaves macOS's application menu; APPLICATION_MENU covers that at startup.
  window.removeMenu();
  const contents = window.webContents;
  const mayNavigate = createNavigationPolicy(input.appUrl, { forbiddenPathPrefixes: hardening.forbiddenPathPrefixes });
  const refuseNavigation = (event: Preventable, url: string) => {
    const decision = mayNavigate(url);
    if (!decision.allow) {
      event.preventDefault();
      input.lockdown()?.record('navigation_blocked', { url, reason: decision.reason, ...where });
    }
  };
  contents.on('will-navigate', (event, url) => refuseNavigation(event, url));
  contents.on('will-redirect', (event, url) => refuseNavigation(event, url));
  contents.on('will-frame-navigate', (event) => refuseNavigation(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    input.lockdown()?.record('window_open_blocked', { url, ...where });
    return windowOpenDecision();
  });
  contents.on('before-input-event', (event, keys) => {
    const decision = decideShortcut(keys, input.platform);
    if (!decision.block) return;
    event.preventDefault();
    // The chord is the proctor's, not a blocked escape attempt: it is not logged as one.
    if (decision.action === PROCTOR_ACTION) {
      // Holding the chord repeats the keyDown; one press opens the window once.
      if (!keys.isAutoRepeat) input.onProctorChord?.();
      return;
    }
    input.lockdown()?.record('shortcut_blocked', { action: decision.action, key: keys.key, ...where });
  });
}

/**
 * Whether a window of this role may call a channel or hear an event: `proctor.*` is the proctor's
 * alone (the status carries the proctor's email). The proctor handlers guard their actions too; this
 * also covers `proctor.status` and the events, in both shells.
 */
export function roleMayUse(role: WindowRole, channelOrEvent: string): boolean {
  return role === 'proctor' || !channelOrEvent.startsWith('proctor.');
}

/** The answer to a `proctor.*` call from any other window: the proctor handlers' own error. */
export const PROCTOR_ONLY = {
  ok: false,
  error: { code: 'proctor.forbidden', message: 'Proctor actions are only available from the proctor window.' },
} as const satisfies IpcEnvelope<never>;

/** The dispatcher as a shell exposes it to its pages: `proctor.*` answers only the proctor's frames. */
export function guardProctorChannels(dispatch: IpcDispatch, isProctorSender: (senderUrl: string) => boolean): IpcDispatch {
  return (channel, payload, senderUrl, page) =>
    roleMayUse(senderUrl !== undefined && isProctorSender(senderUrl) ? 'proctor' : 'kiosk', channel)
      ? dispatch(channel, payload, senderUrl, page)
      : Promise.resolve(PROCTOR_ONLY);
}
