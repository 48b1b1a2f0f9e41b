// Reads request bodies for the wire stand-ins, which all speak plain node:http.
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`request body exceeds ${maxBytes} bytes`);
  }
}

/** The whole body; past `maxBytes` it rejects, and leaving the iterator early drops the request. */
export async function readRequestBody(request: IncomingMessage, maxBytes = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses multipart/form-data with the platform's own parser; rejects on a malformed body. */
export function parseMultipartForm(body: Buffer, contentType: string): Promise<FormData> {
  return new Request('http://stand-in.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
}
