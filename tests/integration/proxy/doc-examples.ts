// Loads the JSON examples of docs/protocol.md (fenced as ```json example:NAME) so tests speak exactly
// what the document shows.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function protocolExamples(): Record<string, Record<string, unknown>> {
  const text = readFileSync(resolve('docs/protocol.md'), 'utf8');
  const examples: Record<string, Record<string, unknown>> = {};
  for (const match of text.matchAll(/```json example:([\w-]+)\n([\s\S]*?)```/g)) {
    // Examples nested in list items are indented; JSON does not mind.
    examples[match[1]!] = JSON.parse(match[2]!) as Record<string, unknown>;
  }
  return examples;
}

/** The documented offer's SDP: a Chromium-shaped audio + data channel offer. */
export function documentedOfferSdp(): string {
  return protocolExamples().offer!.sdp as string;
}
