// Which key presses the kiosk swallows before the page sees them: reload, devtools, zoom, print,
// close, new window, find, view-source, save. Electron's `before-input-event` hands us these fields.

export interface KeyInput {
  type: string;
  key: string;
  code?: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
  isAutoRepeat?: boolean;
}

export type ShortcutDecision = { block: false } | { block: true; action: string };

/**
 * The proctor's way in: Ctrl+Alt+Shift+P (Cmd+Option+Shift+P on macOS) opens the proctor window.
 * Kiosk mode hides the macOS menu bar and with it the tray, Windows' Shell Launcher has no
 * notification area, and the kiosk sits above the taskbar at `screen-saver` level, so a key chord the
 * kiosk window itself catches is the one entrance every OS keeps. It is matched on `code` (the
 * physical key): with Option held, macOS reports `key` as the character the layout makes (`∏`), not `p`.
 */
export const PROCTOR_CHORD = { code: 'KeyP', label: { darwin: 'Cmd+Option+Shift+P', other: 'Ctrl+Alt+Shift+P' } } as const;
export const PROCTOR_ACTION = 'proctor';

/** [modifier, key (lower case), action]: "mod" is Ctrl on Windows/Linux and Cmd on macOS. */
const MOD_SHORTCUTS: ReadonlyArray<[shift: boolean | 'any', key: string, action: string]> = [
  ['any', 'r', 'reload'],
  [true, 'i', 'devtools'],
  [true, 'j', 'devtools'],
  [true, 'c', 'devtools'],
  [false, '=', 'zoom'],
  ['any', '+', 'zoom'],
  [false, '-', 'zoom'],
  [false, '0', 'zoom'],
  [false, 'p', 'print'],
  [false, 'w', 'close'],
  [true, 'w', 'close'],
  [false, 'q', 'quit'],
  [false, 'n', 'new-window'],
  [true, 'n', 'new-window'],
  [false, 't', 'new-window'],
  [false, 'f', 'find'],
  [false, 'u', 'view-source'],
  [false, 's', 'save'],
  [false, 'o', 'open'],
  [false, 'h', 'hide'],
  [false, 'm', 'minimise'],
  [false, 'l', 'address'],
];

const PLAIN_KEYS: Record<string, string> = {
  F5: 'reload',
  F11: 'fullscreen',
  F12: 'devtools',
  BrowserRefresh: 'reload',
  BrowserBack: 'navigate',
  BrowserForward: 'navigate',
};

export function decideShortcut(input: KeyInput, platform: string): ShortcutDecision {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return { block: false };
  if (PLAIN_KEYS[input.key]) return { block: true, action: PLAIN_KEYS[input.key]! };
  if (input.alt && input.key === 'F4') return { block: true, action: 'close' };
  if (input.alt && (input.key === 'ArrowLeft' || input.key === 'ArrowRight')) return { block: true, action: 'navigate' };
  const mod = platform === 'darwin' ? input.meta : input.control;
  if (!mod) return { block: false };
  if (input.alt && input.shift && input.code === PROCTOR_CHORD.code) return { block: true, action: PROCTOR_ACTION };
  const key = input.key.toLowerCase();
  for (const [shift, shortcutKey, action] of MOD_SHORTCUTS) {
    if (shortcutKey === key && (shift === 'any' || shift === input.shift)) return { block: true, action };
  }
  // Ctrl/Cmd + Shift + Delete clears browsing data; Ctrl/Cmd + Option + I is devtools on macOS.
  if (input.shift && input.key === 'Delete') return { block: true, action: 'clear-data' };
  if (input.alt && key === 'i') return { block: true, action: 'devtools' };
  return { block: false };
}
