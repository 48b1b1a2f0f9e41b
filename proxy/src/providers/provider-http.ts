// One POST to the provider over a kept-alive connection pool. node:http rather than fetch: a signalling
// proxy's whole cost is this call, and fetch with FormData costs several times more CPU per request.
import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { upstreamErrorFromFailure, upstreamErrorFromResponse } from './upstream-error';

const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 256 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
};
/** Provider answers are a few KiB of SDP or JSON; anything far bigger is not an answer. */
const maxResponseBytes = 256 * 1024;

export interface ProviderResponse {
  status: number;
  location: string | undefined;
  body: string;
}

export interface ProviderRequest {
  url: string;
  apiKey: string;
  contentType: string;
  body: string;
  deadline: AbortSignal;
}

function readResponse(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxResponseBytes) {
        response.destroy(new Error('response too large'));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('response aborted')));
  });
}

/** POSTs and resolves with a 2xx response; every failure becomes an UpstreamError. */
export async function postToProvider({ url, apiKey, contentType, body, deadline }: ProviderRequest): Promise<ProviderResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) throw upstreamErrorFromFailure(new Error(`unsupported protocol ${target.protocol}`), false);
  let status: number;
  let location: string | undefined;
  let text: string;
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = send(
        target,
        {
          method: 'POST',
          agent,
          signal: deadline,
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType, 'content-length': Buffer.byteLength(body), accept: 'application/sdp, application/json' },
        },
        resolve,
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    status = response.statusCode ?? 0;
    location = response.headers.location;
    text = await readResponse(response);
  } catch (error) {
    throw upstreamErrorFromFailure(error, deadline.aborted);
  }
  if (status < 200 || status > 299) throw upstreamErrorFromResponse(status, text, apiKey);
  return { status, location, body: text };
}

/** multipart/form-data with text fields only, as the provider's call endpoint takes it. */
export function multipartBody(fields: Array<{ name: string; type: string; value: string }>): { contentType: string; body: string } {
  let boundary = `----kiosk-signal-${randomBytes(12).toString('hex')}`;
  while (fields.some((field) => field.value.includes(boundary))) boundary = `----kiosk-signal-${randomBytes(12).toString('hex')}`;
  const parts = fields.map((field) => `--${boundary}\r\nContent-Disposition: form-data; name="${field.name}"\r\nContent-Type: ${field.type}\r\n\r\n${field.value}\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: `${parts.join('')}--${boundary}--\r\n` };
}
