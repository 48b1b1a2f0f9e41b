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

/** Bounds of the transcript a re-offer may carry (docs/protocol.md, "Reconnecting a GPT-Live call"). */
export const historyLimits = { maxItems: 400, maxTextChars: 20_000, maxTotalChars: 200_000 } as const;

const historyEntrySchema = z.strictObject({
  speaker: z.enum(['candidate', 'interviewer']),
  // The kiosk's own entry bound (shared/domain/transcript.ts); an empty turn teaches the provider nothing.
  text: z.string().min(1, 'text is empty').max(historyLimits.maxTextChars),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const historySchema = z
  .array(historyEntrySchema)
  .max(historyLimits.maxItems)
  .refine((entries) => entries.reduce((sum, entry) => sum + entry.text.length, 0) <= historyLimits.maxTotalChars, {
    message: `history holds more than ${historyLimits.maxTotalChars} characters of text`,
  });

export const offerMessageSchema = z.strictObject({
  type: z.literal('offer'),
  id: z.string().min(1).max(128),
  sdp,
  // Room for the backend's largest session config: a 24 kB brief (positions_brief_size) as a signed JWT,
  // encrypted (its base64url is base64url-encoded once more).
  session: z.string().min(1).max(96_000).optional(),
  /** The interview so far, for a provider that takes its history at session creation (GPT-Live). */
  history: historySchema.optional(),
});
export type OfferMessage = z.infer<typeof offerMessageSchema>;

export type ServerMessage =
  | { type: 'ready'; sessionId: string; expiresAt: string; api: 'realtime' | 'live' }
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
