// How the emulator judges a call request the way the provider does: the GA session object (strict, so
// a misspelt or beta-era field is refused as the provider refuses it), the SDP offer, and the error
// bodies the provider sends back.
import { z } from 'zod';

const transcription = z.strictObject({
  model: z.string().min(1),
  language: z.string().optional(),
  prompt: z.string().optional(),
});

const turnDetection = z.union([
  z.strictObject({
    type: z.literal('server_vad'),
    threshold: z.number().min(0).max(1).optional(),
    prefix_padding_ms: z.number().int().nonnegative().optional(),
    silence_duration_ms: z.number().int().nonnegative().optional(),
    idle_timeout_ms: z.number().int().nonnegative().nullable().optional(),
    create_response: z.boolean().optional(),
    interrupt_response: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal('semantic_vad'),
    eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
    create_response: z.boolean().optional(),
    interrupt_response: z.boolean().optional(),
  }),
]);

const audioFormat = z.union([
  z.strictObject({ type: z.literal('audio/pcm'), rate: z.literal(24000).optional() }),
  z.strictObject({ type: z.enum(['audio/pcmu', 'audio/pcma']) }),
]);

export const realtimeSessionSchema = z.strictObject({
  type: z.literal('realtime'),
  model: z.string().min(1).optional(),
  instructions: z.string().optional(),
  output_modalities: z.array(z.enum(['audio', 'text'])).optional(),
  audio: z
    .strictObject({
      input: z
        .strictObject({
          format: audioFormat.optional(),
          transcription: transcription.nullable().optional(),
          noise_reduction: z.strictObject({ type: z.enum(['near_field', 'far_field']) }).nullable().optional(),
          turn_detection: turnDetection.nullable().optional(),
        })
        .optional(),
      output: z
        .strictObject({
          format: audioFormat.optional(),
          voice: z.string().min(1).optional(),
          speed: z.number().min(0.25).max(1.5).optional(),
        })
        .optional(),
    })
    .optional(),
  max_output_tokens: z.union([z.number().int().positive(), z.literal('inf')]).optional(),
  tool_choice: z.string().optional(),
  tools: z.array(z.unknown()).optional(),
  tracing: z.unknown().optional(),
  truncation: z.unknown().optional(),
  include: z.array(z.enum(['item.input_audio_transcription.logprobs'])).optional(),
  prompt: z.unknown().optional(),
});
export type RealtimeSession = z.infer<typeof realtimeSessionSchema>;

// GPT-Live's `InitialItem` as the OpenAI SDKs describe it (openai-python src/openai/types/live/
// initial_item_param.py): a developer, user or assistant message with exactly one text part, `input_text`
// for developer and user, `text` or `output_text` for the assistant; `id`, `status` and `type` optional.
const inputTextPart = z.strictObject({ type: z.literal('input_text').optional(), text: z.string() });
const initialItemFields = { id: z.string().nullable().optional(), status: z.enum(['incomplete', 'completed']).nullable().optional(), type: z.literal('message').optional() };
const liveInitialItemSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('developer'), content: z.tuple([inputTextPart]), ...initialItemFields }),
  z.strictObject({ role: z.literal('user'), content: z.tuple([inputTextPart]), ...initialItemFields }),
  z.strictObject({
    role: z.literal('assistant'),
    content: z.tuple([z.union([z.strictObject({ type: z.literal('text').optional(), text: z.string() }), z.strictObject({ type: z.literal('output_text'), text: z.string() })])]),
    ...initialItemFields,
  }),
]);

/** GPT-Live's documented bounds on `input`: "at most 128 messages and 8,192 rendered tokens in total". */
export const liveInputBounds = { maxItems: 128, maxTokens: 8_192 } as const;

/**
 * The emulator has no tokenizer: it counts a token per four characters (the usual English average) and
 * four more per message for its framing, which is close enough to refuse what the provider refuses.
 */
export function estimatedInputTokens(items: ReadonlyArray<{ content: ReadonlyArray<{ text: string }> }>): number {
  return items.reduce((sum, item) => sum + 4 + item.content.reduce((parts, part) => parts + Math.ceil(part.text.length / 4), 0), 0);
}

const liveInputSchema = z
  .array(liveInitialItemSchema)
  .max(liveInputBounds.maxItems)
  .refine((items) => estimatedInputTokens(items) <= liveInputBounds.maxTokens, { message: `the history is longer than ${liveInputBounds.maxTokens} tokens` });

/** GPT-Live's create-session body: the startup session config plus a WebRTC transport with the offer. */
export const liveSessionRequestSchema = z.strictObject({
  session: z.strictObject({
    model: z.string().min(1),
    instructions: z.string().optional(),
    audio: z.strictObject({ output: z.strictObject({ voice: z.string().min(1).optional() }).optional() }).optional(),
    client: z.unknown().optional(),
    delegation: z.unknown().optional(),
    input: liveInputSchema.optional(),
    store: z.boolean().optional(),
  }),
  transport: z.strictObject({ type: z.literal('webrtc'), sdp: z.string() }),
});
export type LiveSessionRequest = z.infer<typeof liveSessionRequestSchema>;

export interface ProviderError {
  status: number;
  body: { error: { message: string; type: string; code: string | null; param: string | null } };
}

export function providerError(status: number, message: string, type: string, code: string | null, param: string | null = null): ProviderError {
  return { status, body: { error: { message, type, code, param } } };
}

/** The provider refuses an offer that is not SDP or carries no media section before it tries ICE. */
export function checkOffer(sdp: unknown, param: string): ProviderError | null {
  if (typeof sdp !== 'string' || sdp.trim() === '') return providerError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', 'missing_required_parameter', param);
  if (!sdp.startsWith('v=0') || !/\r?\nm=(audio|application) /.test(sdp)) {
    return providerError(400, 'The SDP offer could not be parsed.', 'invalid_request_error', 'invalid_offer', param);
  }
  if (!/\r?\na=fingerprint:/.test(sdp)) return providerError(400, 'The SDP offer has no DTLS fingerprint.', 'invalid_request_error', 'invalid_offer', param);
  return null;
}

/** The provider's own words for a wrong key, including its habit of echoing a masked form of the key. */
export function invalidKeyError(sentKey: string | null): ProviderError {
  const masked = sentKey && sentKey.length > 8 ? `${sentKey.slice(0, 4)}${'*'.repeat(8)}${sentKey.slice(-4)}` : '<none>';
  return providerError(401, `Incorrect API key provided: ${masked}. You can find your API key in your account settings.`, 'invalid_request_error', 'invalid_api_key');
}

export function zodToProviderError(error: z.ZodError, prefix: string): ProviderError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const path = [prefix, ...issue.path.map(String), issue.keys[0]].filter(Boolean).join('.');
    return providerError(400, `Unknown parameter: '${path}'.`, 'invalid_request_error', 'unknown_parameter', path);
  }
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return providerError(400, `Invalid value for '${path}': ${issue.message}`, 'invalid_request_error', 'invalid_value', path);
}
