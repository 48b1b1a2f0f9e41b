// The pre-connected call: while the candidate reads the consent and checks their devices, the whole
// call is set up (offer/answer through the proxy, data channel open) with the microphone held back and
// no response requested, so Start only releases the microphone and asks for the greeting.
import { z } from 'zod';

/**
 * How long a pre-connected call waits for Start before it is closed. Most candidates read the consent
 * and check their devices in well under a minute; three minutes covers a slow reader without keeping a
 * provider session (and a slot of the proxy) open for someone who walked away. After it, Start makes a
 * fresh call as if nothing had been pre-connected, one round trip slower. It is also far below the
 * provider's session cap (PROVIDER_CALL_CAP_MS), so an idle wait never eats into the interview's call.
 */
export const PRECONNECT_IDLE_MS = 3 * 60_000;

/**
 * Takes the microphone off the call's senders without renegotiating: nothing is sent (no RTP, not even
 * silence) while the candidate is on the consent screen, and the track itself stays live for the device
 * check's meter and the recorder. The returned function puts it back, which is all Start has to do.
 */
export async function holdMicrophone(pc: RTCPeerConnection): Promise<() => Promise<void>> {
  const held: Array<[RTCRtpSender, MediaStreamTrack]> = [];
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'audio') continue;
    held.push([sender, sender.track]);
    await sender.replaceTrack(null);
  }
  return async () => {
    for (const [sender, track] of held.splice(0)) await sender.replaceTrack(track);
  };
}

/** Whether a call connected a while ago is still good to hand to the candidate. */
export function stillUsable(pc: RTCPeerConnection, channel: RTCDataChannel, socketOpen: boolean): boolean {
  return channel.readyState === 'open' && socketOpen && pc.connectionState !== 'failed' && pc.connectionState !== 'closed';
}

const idleOverride = z.coerce.number().int().min(100).max(PRECONNECT_IDLE_MS);

/**
 * A shorter idle bound, from the `preconnectIdleMs` query parameter: only the test host's URL carries
 * it (Electron loads the renderer without one), so e2e can wait past the bound in seconds. It can only
 * shorten the bound; anything else is ignored.
 */
export function preconnectIdleMsFrom(search: string): number | undefined {
  const raw = new URLSearchParams(search).get('preconnectIdleMs');
  if (raw === null) return undefined;
  const parsed = idleOverride.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
