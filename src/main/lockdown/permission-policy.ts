// Which web permissions the kiosk grants: camera and microphone for the app's own pages, nothing
// else, never screen or window capture. Pure, so it is tested without Electron.

export interface PermissionRequest {
  permission: string;
  /** The origin (or URL) of the frame asking. */
  requestingUrl: string;
  /** For `media`: which devices are asked for. */
  mediaTypes?: readonly string[];
}

const ALLOWED_MEDIA = new Set(['audio', 'video']);

export function createPermissionPolicy(appUrl: string): (request: PermissionRequest) => boolean {
  const isApp = appOriginMatcher(appUrl);
  return (request) => {
    if (request.permission !== 'media') return false;
    if (!isApp(request.requestingUrl)) return false;
    const types = request.mediaTypes ?? [];
    // An empty list is how Chromium asks to enumerate devices with labels; still camera/mic only.
    return types.every((type) => ALLOWED_MEDIA.has(type));
  };
}

/** Permission *checks* (as opposed to requests) Chromium makes synchronously, e.g. for enumerateDevices. */
export function createPermissionCheckPolicy(appUrl: string): (permission: string, requestingUrl: string) => boolean {
  const isApp = appOriginMatcher(appUrl);
  return (permission, requestingUrl) => (permission === 'media' || permission === 'speaker-selection') && isApp(requestingUrl);
}

/** Display capture (getDisplayMedia) is never granted on a kiosk. */
export const displayCaptureAllowed = false;

/**
 * The answer to `setDisplayMediaRequestHandler`'s callback that refuses: `null`, the form Electron 45's
 * typings give it (`callback(streams: Streams | null)`), which makes getDisplayMedia reject in the page.
 * An empty object is not a refusal: main throws on a video request it cannot satisfy, and Electron shows
 * that uncaught error in a dialog over the kiosk.
 */
export const DISPLAY_MEDIA_REFUSAL = null;

export function appOriginMatcher(appUrl: string): (url: string) => boolean {
  const app = new URL(appUrl);
  if (app.protocol === 'file:') {
    const folder = app.href.slice(0, app.href.lastIndexOf('/') + 1);
    return (url) => {
      const parsed = parse(url);
      // file: frames report the origin "file://" in permission requests; accept only the app's folder or that bare origin.
      return parsed !== null && parsed.protocol === 'file:' && (parsed.href.startsWith(folder) || url === 'file://' || url === 'file:///');
    };
  }
  if (app.protocol !== 'http:' && app.protocol !== 'https:') {
    return (url) => {
      const parsed = parse(url);
      return parsed !== null && parsed.protocol === app.protocol && parsed.host === app.host && app.host !== '';
    };
  }
  return (url) => parse(url)?.origin === app.origin;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
