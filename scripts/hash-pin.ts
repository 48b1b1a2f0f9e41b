// `npx tsx scripts/hash-pin.ts`: makes the `proctorPinHash` for a tenant configuration. The PIN is read
// from standard input (typed without echo on a terminal, or piped), never from the command line, so it
// stays out of shell history and the process list. Prints the hash and how long one check took here.
import { createInterface } from 'node:readline';
import { hashPin, verifyPin } from '../src/main/identity/pin-hash';
import { proctorPinSchema } from '../src/shared/domain/proctor';

async function readLine(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const lines = createInterface({ input });
    for await (const line of lines) return line.trim();
    throw new Error('No PIN on standard input.');
  }
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  let typed = '';
  return new Promise((resolve, reject) => {
    const done = (finish: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      finish();
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(() => resolve(typed));
        if (char === '\u0003') return done(() => reject(new Error('Cancelled.')));
        if (char === '\u007f') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}

async function main() {
  const pin = await readLine('New proctor PIN (6+ digits): ');
  const shape = proctorPinSchema.safeParse(pin);
  if (!shape.success) throw new Error(shape.error.issues[0]!.message);
  if (process.stdin.isTTY && (await readLine('Same PIN again: ')) !== pin) throw new Error('The two PINs differ.');
  const hash = await hashPin(pin);
  const started = performance.now();
  if (!(await verifyPin(pin, hash))) throw new Error('The new hash does not verify its PIN; nothing was printed.');
  process.stderr.write(`One PIN check takes ${Math.round(performance.now() - started)} ms on this machine.\n`);
  console.log(hash);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
