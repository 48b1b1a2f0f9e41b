// A dedicated machine (one per interview, created by the backend with `auto_destroy` and restart policy
// `no`) is destroyed by Fly only when its process exits. The backend also DELETEs it when the interview
// closes, but a failed DELETE, or an interview that never closes, would leave it running and billing.
// So the proxy on a dedicated machine exits by itself once its interview is evidently over: no kiosk
// came at all, or the last kiosk left and did not come back within the reconnect grace.

export interface DedicatedLifetimeLimits {
  /** How long a new machine waits for the kiosk's first connection. */
  firstConnectMs: number;
  /** How long after the last socket closed a kiosk may still reconnect (network drop, reload). */
  reconnectGraceMs: number;
}

export const defaultDedicatedLifetime: DedicatedLifetimeLimits = { firstConnectMs: 10 * 60_000, reconnectGraceMs: 5 * 60_000 };

/** Watches connection counts over time and says when the dedicated proxy's interview is over. */
export function createDedicatedLifetime(startedAtMs: number, limits: DedicatedLifetimeLimits = defaultDedicatedLifetime) {
  let everConnected = false;
  let idleSinceMs = startedAtMs;
  let lastCount = 0;
  return {
    /** Feed the current open-socket count; true once the machine should exit. */
    observe(nowMs: number, connections: number): boolean {
      if (connections > 0) {
        everConnected = true;
      } else if (lastCount > 0) {
        idleSinceMs = nowMs;
      }
      lastCount = connections;
      if (connections > 0) return false;
      return nowMs - idleSinceMs >= (everConnected ? limits.reconnectGraceMs : limits.firstConnectMs);
    },
  };
}
