// Which frames may call main: only documents served from the app's own renderer location.
// For http(s) that is the same origin; for file: URLs the renderer's folder; for the app's own
// scheme (packaged builds) the same scheme and host.

export function createSenderPolicy(appUrl: string): (senderUrl: string | undefined) => boolean {
  const app = new URL(appUrl);
  if (app.protocol === 'file:') {
    const folder = app.href.slice(0, app.href.lastIndexOf('/') + 1);
    return (senderUrl) => {
      if (!senderUrl) return false;
      const sender = safeUrl(senderUrl);
      // Normalising through URL collapses `..` so a sibling folder cannot pass the prefix test.
      return sender !== undefined && sender.protocol === 'file:' && sender.href.startsWith(folder);
    };
  }
  if (app.protocol !== 'http:' && app.protocol !== 'https:') {
    // A custom scheme (the packaged app's `kiosk-app://renderer/`) has an opaque origin ("null") in
    // WHATWG URLs, so compare scheme and host instead.
    return (senderUrl) => {
      if (!senderUrl) return false;
      const sender = safeUrl(senderUrl);
      return sender !== undefined && sender.protocol === app.protocol && sender.host === app.host && app.host !== '';
    };
  }
  return (senderUrl) => {
    if (!senderUrl) return false;
    const sender = safeUrl(senderUrl);
    return sender !== undefined && sender.origin === app.origin;
  };
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
