// The proctor tray's menu as data: what it shows and which actions are enabled, from the kiosk's state.
// The Electron glue turns it into a Menu and binds each `action` to a handler.

export interface TrayState {
  proctorEmail: string | null;
  online: boolean;
  pending: number;
  oldestPendingAgeMs: number | null;
  deadLetters: number;
  proxyReachable: boolean | null;
  activeInterview: boolean;
  /** Set when the tenant config is missing or invalid: only Quit is possible then. */
  configError: string | null;
  /** The kiosk page kept crashing and main gave up on it (renderer-crash-policy): a restart is needed. */
  screenFailed: boolean;
  /** The running interview's call as the candidate is shown it; null when no call runs. */
  seatLink: 'stable' | 'unstable' | null;
}

/** What the tray shows before anything has happened: online, nothing queued, nobody signed in. */
export function initialTrayState(configError: string | null): TrayState {
  return {
    proctorEmail: null,
    online: true,
    pending: 0,
    oldestPendingAgeMs: null,
    deadLetters: 0,
    proxyReachable: null,
    activeInterview: false,
    configError,
    screenFailed: false,
    seatLink: null,
  };
}

export type TrayAction = 'signIn' | 'signOut' | 'startInterview' | 'endInterview' | 'retryUploads' | 'deviceCheck' | 'siteCheck' | 'quit';

export type TrayItem = { type: 'separator' } | { type: 'status'; label: string } | { type: 'action'; action: TrayAction; label: string; enabled: boolean };

export function formatAge(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

export function uploadsLabel(state: Pick<TrayState, 'online' | 'pending' | 'oldestPendingAgeMs'>): string {
  const network = state.online ? 'Online' : 'Offline';
  if (state.pending === 0) return `${network} · all uploads done`;
  const age = state.oldestPendingAgeMs === null ? '' : ` (oldest ${formatAge(state.oldestPendingAgeMs)})`;
  return `${network} · ${state.pending} upload${state.pending === 1 ? '' : 's'} waiting${age}`;
}

export function trayMenuModel(state: TrayState): TrayItem[] {
  if (state.configError) {
    return [
      { type: 'status', label: `${state.configError.startsWith('config.') ? 'Not configured' : 'Cannot start'}: ${state.configError}` },
      { type: 'separator' },
      { type: 'action', action: 'quit', label: 'Quit…', enabled: true },
    ];
  }
  const signedIn = state.proctorEmail !== null;
  const items: TrayItem[] = [
    ...(state.screenFailed ? [{ type: 'status', label: SCREEN_FAILED } as const] : []),
    { type: 'status', label: signedIn ? `Proctor: ${state.proctorEmail}` : 'No proctor signed in' },
    { type: 'status', label: uploadsLabel(state) },
  ];
  if (state.deadLetters > 0) items.push({ type: 'status', label: `${state.deadLetters} upload${state.deadLetters === 1 ? ' was' : 's were'} refused by the server` });
  items.push({ type: 'status', label: state.proxyReachable === null ? 'Proxy: not checked' : state.proxyReachable ? 'Proxy: reachable' : 'Proxy: unreachable' });
  if (state.activeInterview && state.seatLink !== null) {
    items.push({ type: 'status', label: state.seatLink === 'unstable' ? SEAT_LINK_UNSTABLE : "Candidate's connection: stable" });
  }
  items.push({ type: 'separator' });
  items.push(signedIn ? { type: 'action', action: 'signOut', label: 'Sign out', enabled: !state.activeInterview } : { type: 'action', action: 'signIn', label: 'Sign in…', enabled: true });
  items.push({ type: 'action', action: 'startInterview', label: 'Start interview…', enabled: signedIn && !state.activeInterview });
  items.push({ type: 'action', action: 'endInterview', label: 'End interview…', enabled: state.activeInterview });
  items.push({ type: 'action', action: 'retryUploads', label: 'Retry uploads now', enabled: state.pending > 0 });
  items.push({ type: 'action', action: 'deviceCheck', label: 'Device check…', enabled: !state.activeInterview });
  // A test call and 1 MB uploads would compete with a running interview for the site's uplink.
  items.push({ type: 'action', action: 'siteCheck', label: 'Site check…', enabled: !state.activeInterview });
  items.push({ type: 'separator' });
  items.push({ type: 'action', action: 'quit', label: 'Quit…', enabled: true });
  return items;
}

const SEAT_LINK_UNSTABLE = "Candidate's connection: unstable (the clock waits; it recovers by itself)";
const SCREEN_FAILED = 'The kiosk screen kept crashing: quit (PIN) and restart the kiosk';

export function trayTooltip(state: TrayState): string {
  if (state.configError) return 'Interview kiosk — not configured';
  if (state.screenFailed) return `Interview kiosk — ${SCREEN_FAILED}`;
  const link = state.activeInterview && state.seatLink === 'unstable' ? ' · connection unstable' : '';
  return `Interview kiosk — ${uploadsLabel(state)}${state.activeInterview ? ' · interview running' : ''}${link}`;
}
