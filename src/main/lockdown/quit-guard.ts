// Who may end a locked kiosk's process. A locked kiosk quits only after the proctor's PIN, or when the
// updater restarts it into a new version: electron-updater's `quitAndInstall` quits through
// `app.quit()` (Windows, AppImage) or Squirrel's native quitAndInstall, which closes every window first
// and then emits `before-quit` (Electron's autoUpdater docs), so a guard that refuses both the window's
// `close` and `before-quit` stops every install. The update permit is a capability handed only to the
// update scheduler (`updatePermit`), so nothing else can ride it to skip the PIN.

export type QuitPermit = 'unlocked' | 'pin' | 'update';

export interface QuitGuard {
  /** Whether the window may close and `before-quit` may proceed now. */
  mayQuit(): boolean;
  /**
   * Called whenever quitting becomes allowed or not. The glue makes the kiosk window closable to match:
   * Electron's `close()` on a window created with `closable: false` cancels the close
   * (`WindowList::WindowCloseCancelled` in NativeWindowMac/NativeWindowViews::Close), and a cancelled
   * window close cancels `app.quit()`, so a locked kiosk left unclosable would never quit, PIN or not.
   */
  onChange(listener: (mayQuit: boolean) => void): void;
  /** Why quitting is allowed, or null while it is not. */
  permit(): QuitPermit | null;
  /** The proctor entered the right PIN. */
  permitByPin(): void;
}

/** The updater's one right: allow the quit its install causes, and take it back if the install fails. */
export interface UpdateQuitPermit {
  grant(): void;
  withdraw(): void;
}

export function createQuitGuard(locked: boolean): QuitGuard & { updatePermit(): UpdateQuitPermit } {
  let permit: QuitPermit | null = locked ? null : 'unlocked';
  let updatePermitIssued = false;
  const listeners: Array<(mayQuit: boolean) => void> = [];
  const set = (next: QuitPermit | null) => {
    const changed = (next !== null) !== (permit !== null);
    permit = next;
    if (changed) for (const listener of listeners) listener(next !== null);
  };
  return {
    mayQuit: () => permit !== null,
    permit: () => permit,
    onChange(listener) {
      listeners.push(listener);
    },
    permitByPin() {
      set('pin');
    },
    updatePermit() {
      // One holder: the composition root hands it to the update scheduler and nobody else.
      if (updatePermitIssued) throw new Error('the update quit permit was already handed out');
      updatePermitIssued = true;
      return {
        grant() {
          if (permit === null) set('update');
        },
        withdraw() {
          if (permit === 'update') set(null);
        },
      };
    },
  };
}
