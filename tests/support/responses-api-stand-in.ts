// A stand-in for the provider's Responses API (POST /v1/responses) as the processing worker uses it:
// it checks the documented request shape (model, instructions, input messages, text.format json_schema
// with strict true and a closed object schema) and the bearer key, then answers what the test scripted:
// a structured output, an HTTP failure, or nothing for a long time. Unscripted requests get a valid
// answer built from the request itself (middle of each scale, the first candidate turns as evidence),
// which is also what the local stack serves without a real key.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

export type ResponsesStep =
  /** A completed response whose output_text is this value, JSON-encoded. */
  | { kind: 'output'; output: unknown }
  /** An HTTP error in the API's error shape. */
  | { kind: 'fail'; status: number; code?: string }
  /** A response that is not `completed` (e.g. incomplete: max_output_tokens). */
  | { kind: 'incomplete'; reason: string }
  /** Holds the request open this long before answering validly (a worker can die meanwhile). */
  | { kind: 'hang'; ms: number };

export interface RecordedRequest {
  key: string | null;
  body: ResponsesRequest;
}

export interface ResponsesApiStandIn {
  url: string;
  /** Accepted requests, in order (refused shapes are not recorded; see `refused`). */
  requests: RecordedRequest[];
  /** Requests refused for their shape or key: the reason each got. */
  refused: string[];
  /** Steps answered in order, one per accepted request; then valid answers. */
  script(steps: ResponsesStep[]): void;
  stop(): Promise<void>;
}

const closedObjectSchema: z.ZodType = z.lazy(() =>
  z.union([
    z
      .object({
        type: z.literal('object'),
        additionalProperties: z.literal(false),
        required: z.array(z.string()),
        properties: z.record(z.string(), closedObjectSchema),
      })
      .loose()
      .refine((schema) => Object.keys(schema.properties).every((key) => schema.required.includes(key)), {
        message: 'strict mode: every property must be required',
      }),
    z.object({ type: z.literal('array'), items: closedObjectSchema }).loose(),
    z.object({ type: z.enum(['string', 'integer', 'number', 'boolean']) }).loose(),
  ]),
);

const requestSchema = z
  .object({
    model: z.string().min(1),
    instructions: z.string().min(1).optional(),
    input: z.union([
      z.string().min(1),
      z
        .array(
          z.object({
            role: z.enum(['user', 'system', 'developer', 'assistant']),
            content: z.union([z.string(), z.array(z.object({ type: z.literal('input_text'), text: z.string() }).strict())]),
          }),
        )
        .min(1),
    ]),
    text: z
      .object({
        format: z
          .object({
            type: z.literal('json_schema'),
            name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
            strict: z.literal(true),
            schema: closedObjectSchema,
            description: z.string().optional(),
          })
          .strict(),
      })
      .strict(),
    store: z.boolean().optional(),
    temperature: z.number().optional(),
    max_output_tokens: z.number().int().optional(),
  })
  .strict();

export type ResponsesRequest = z.infer<typeof requestSchema>;

/** The rubric and transcript the worker sends as its input text. */
const workerInput = z.object({
  rubric: z.object({
    competencies: z.array(z.object({ key: z.string(), scale: z.object({ min: z.number(), max: z.number() }) }).loose()),
  }),
  transcript: z.array(z.object({ seq: z.number(), speaker: z.string(), text: z.string() })),
});

/** A valid answer to the worker's request: every competency mid-scale, citing candidate turns. */
export function validAnswerFor(body: ResponsesRequest): unknown {
  const text = typeof body.input === 'string' ? body.input : body.input.flatMap((m) => (typeof m.content === 'string' ? [m.content] : m.content.map((c) => c.text))).join('');
  let parsed: z.infer<typeof workerInput>;
  try {
    parsed = workerInput.parse(JSON.parse(text));
  } catch {
    // Not the worker's request: a well-formed answer all the same.
    return {};
  }
  const candidateSeqs = parsed.transcript.filter((turn) => turn.speaker === 'candidate' && turn.text.trim() !== '').map((turn) => turn.seq);
  return {
    competencies: parsed.rubric.competencies.map((competency, index) => ({
      key: competency.key,
      score: Math.floor((competency.scale.min + competency.scale.max) / 2),
      rationale: `Stand-in suggestion for ${competency.key}: the cited answers address it.`,
      evidence_seqs: candidateSeqs.length ? [candidateSeqs[index % candidateSeqs.length]!] : [],
    })),
  };
}

export async function startResponsesApiStandIn(options: { keys: string[]; port?: number }): Promise<ResponsesApiStandIn> {
  const requests: RecordedRequest[] = [];
  const refused: string[] = [];
  let steps: ResponsesStep[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((request, response) => {
    void handle(request).then(
      ([status, body]) => {
        if (response.destroyed) return;
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      },
      () => response.destroy(),
    );
  });

  async function handle(request: IncomingMessage): Promise<[number, unknown]> {
    const refuse = (status: number, message: string, type = 'invalid_request_error'): [number, unknown] => {
      refused.push(message);
      return [status, { error: { message, type, param: null, code: null } }];
    };
    if (request.method !== 'POST' || request.url !== '/v1/responses') return refuse(404, `no route ${request.method} ${request.url}`);
    const auth = request.headers.authorization ?? '';
    const key = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : null;
    if (!key || !options.keys.includes(key)) return refuse(401, 'Incorrect API key provided.', 'invalid_api_key');
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return refuse(400, 'content-type must be application/json');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(400, 'body is not JSON');
    }
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return refuse(400, `${issue.path.join('.')}: ${issue.message}`);
    }
    requests.push({ key, body: parsed.data });
    const step = steps.shift();
    if (step?.kind === 'fail') {
      return [step.status, { error: { message: 'The stand-in was told to fail.', type: 'server_error', param: null, code: step.code ?? null } }];
    }
    if (step?.kind === 'hang') {
      await new Promise<void>((resolveWait) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolveWait();
        }, step.ms);
        timers.add(timer);
      });
    }
    if (step?.kind === 'incomplete') return [200, response(parsed.data.model, null, step.reason)];
    const output = step?.kind === 'output' ? step.output : validAnswerFor(parsed.data);
    return [200, response(parsed.data.model, output, null)];
  }

  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    refused,
    script(next) {
      steps = [...next];
    },
    stop: () =>
      new Promise<void>((resolveStop) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolveStop());
      }),
  };
}

let responseCounter = 0;

function response(model: string, output: unknown, incomplete: string | null) {
  responseCounter += 1;
  return {
    id: `resp_standin_${responseCounter}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete ? { reason: incomplete } : null,
    model,
    output: incomplete
      ? []
      : [
          {
            type: 'message',
            id: `msg_standin_${responseCounter}`,
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: JSON.stringify(output), annotations: [] }],
          },
        ],
  };
}
