// Dedicated-machine tenants: interview-start hands the kiosk `…/v1/signal?instance=<machine id>`, but
// Fly's edge may deliver the upgrade to any machine of the app. The wrong machine answers with a
// `fly-replay` header, and Fly's proxy replays the same request on the named machine.

const machineIdPattern = /^[0-9a-z]{6,32}$/;

/** The machine the request must be replayed on, or null when this machine should serve it. */
export function replayTarget(requestUrl: string | undefined, ownMachineId: string | undefined): string | null {
  if (!ownMachineId) return null;
  const query = (requestUrl ?? '').split('?')[1];
  if (!query) return null;
  const wanted = new URLSearchParams(query).get('instance');
  if (!wanted || wanted === ownMachineId || !machineIdPattern.test(wanted)) return null;
  return wanted;
}

export function replayResponse(machineId: string): string {
  return `HTTP/1.1 307 Temporary Redirect\r\nfly-replay: instance=${machineId}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}
