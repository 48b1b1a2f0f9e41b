// Electron glue: the kiosk session's permission, capture, download and CSP rules, each decided by a
// pure policy in src/main/window.
import type { Session } from 'electron';
import type { LockdownLog } from './lockdown-log';
import { contentSecurityPolicy } from './content-security-policy';
import { createPermissionCheckPolicy, createPermissionPolicy, DISPLAY_MEDIA_REFUSAL, displayCaptureAllowed } from './permission-policy';

export interface SessionLockdownInput {
  session: Session;
  appUrl: string;
  allowedOrigins: readonly string[];
  devServerUrl?: string;
  lockdown: () => LockdownLog | null;
}

export function applySessionLockdown(input: SessionLockdownInput): string {
  const { session } = input;
  const mayRequest = createPermissionPolicy(input.appUrl);
  const mayCheck = createPermissionCheckPolicy(input.appUrl);
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const granted = mayRequest({ permission, requestingUrl: details.requestingUrl ?? webContents?.getURL() ?? '', mediaTypes });
    if (!granted) input.lockdown()?.record('permission_denied', { permission, mediaTypes, url: details.requestingUrl });
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => mayCheck(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => {
    if (!displayCaptureAllowed) input.lockdown()?.record('permission_denied', { permission: 'display-capture' });
    callback(DISPLAY_MEDIA_REFUSAL);
  });
  session.on('will-download', (event) => event.preventDefault());
  const csp = contentSecurityPolicy({ allowedOrigins: input.allowedOrigins, devServerUrl: input.devServerUrl });
  // Covers the development server (http); the packaged app's own scheme sets the header itself.
  session.webRequest.onHeadersReceived((details, callback) => {
    const isPage = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    callback({ responseHeaders: isPage ? { ...details.responseHeaders, 'Content-Security-Policy': [csp] } : details.responseHeaders });
  });
  return csp;
}
