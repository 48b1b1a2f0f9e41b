// Protocol v1 on /v1/signal (docs/protocol.md): the frames a client may send and the ones it gets back.
import { z } from 'zod';

export const protocolName = 'kiosk-signal.v1';
export const bearerPrefix = 'bearer.';

export const errorCodes = [
  'bad_request',
  'unauthorized',
  'session_busy',
  'rate_limited',
  'upstream_rejected',
  'upstream_unavailable',
  'timeout',
] as const;
export type SignalErrorCode = (typeof errorCodes)[number];

// An SDP body: text starting with the version line and holding at least one media section.
const sdp = z
  .string()
  .min(1, 'sdp is empty')
  .max(60_000)
  .refine((value) => value.startsWith('v=0') && /\r?\nm=\w+ /.test(value), 'sdp is not an SDP offer');

export const offerMessageSchema = z.strictObject({
  type: z.literal('offer'),
  id: z.string().min(1).max(128),
  sdp,
  // Room for the backend's largest signed config: a 24 kB brief (positions_brief_size) as a JWT.
  session: z.string().min(1).max(48_000).optional(),
});
export type OfferMessage = z.infer<typeof offerMessageSchema>;

export type ServerMessage =
  | { type: 'ready'; sessionId: string; expiresAt: string }
  | { type: 'answer'; id: string; sdp: string; callId: string }
  | { type: 'error'; id: string | null; code: SignalErrorCode; message: string };

/** Reads the client's subprotocol list: the protocol name plus exactly one bearer token. */
export function readSubprotocols(header: string | undefined): { speaksV1: boolean; token: string | undefined } {
  const offered = (header ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  const bearers = offered.filter((value) => value.startsWith(bearerPrefix));
  return {
    speaksV1: offered.includes(protocolName),
    token: bearers.length === 1 ? bearers[0]!.slice(bearerPrefix.length) : undefined,
  };
}
