// npm start's console: human lines on a terminal, JSON when piped or asked for, and the demo's
// in-memory sign-ins said once in words instead of as a raw warning.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleLogger, demoNotes, outputMode } from '../../../scripts/console-output';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('npm start output mode', () => {
  it('is pretty on a terminal, JSON in a pipe, and the flags win', () => {
    expect(outputMode({}, true)).toBe('pretty');
    expect(outputMode({}, false)).toBe('json');
    expect(outputMode({ json: true }, true)).toBe('json');
    expect(outputMode({ pretty: true }, false)).toBe('pretty');
  });
});

describe('console logger', () => {
  it('pretty: a human line with time, level, name and message, not JSON', () => {
    const out = capture();
    createConsoleLogger({ mode: 'pretty', level: 'info', name: 'start', destination: out.stream }).info('ready');
    const line = out.text().trim();
    expect(line).toMatch(/^\[?\d{2}:\d{2}:\d{2}\]? INFO \(start\): ready$/);
    expect(() => JSON.parse(line)).toThrow();
  });

  it('json: one parseable object a line', async () => {
    const out = capture();
    createConsoleLogger({ mode: 'json', level: 'info', name: 'start', destination: out.stream }).info({ urls: { kiosk: 'http://x/' } }, 'ready');
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(out.text().trim())).toMatchObject({ level: 30, name: 'start', msg: 'ready', urls: { kiosk: 'http://x/' } });
  });

  it('drops the in-memory-vault warning the summary already explained, and nothing else', async () => {
    const out = capture();
    const logger = createConsoleLogger({ mode: 'json', level: 'warn', name: 'kiosk', destination: out.stream });
    logger.warn({ code: 'vault.encryption_unavailable' }, "this kiosk's device credentials are kept in memory only");
    logger.warn({ code: 'sync.network' }, 'the backend could not be reached');
    await new Promise((resolve) => setImmediate(resolve));
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ code: 'sync.network' });
  });
});

describe('demo notes', () => {
  it('say the first start created the database only when it did', () => {
    expect(demoNotes({ tokenKeySet: true, firstRun: true }).join(' ')).toContain('first start');
    expect(demoNotes({ tokenKeySet: true, firstRun: false })).toEqual([]);
  });
  it('say in words what in-memory sign-ins mean for a local demo', () => {
    expect(demoNotes({ tokenKeySet: false, firstRun: false }).join(' ')).toMatch(/memory only.*signs in again.*Nothing to do/);
  });
});
