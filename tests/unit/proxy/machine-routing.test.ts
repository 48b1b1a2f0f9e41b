import { describe, expect, it } from 'vitest';
import { replayResponse, replayTarget } from '../../../proxy/src/machine-routing';

describe('dedicated-machine routing', () => {
  it('names the machine to replay on when the kiosk asked for another one', () => {
    expect(replayTarget('/v1/signal?instance=e784079b449483', '3d8d9930a19d89')).toBe('e784079b449483');
  });

  it('serves the request itself when it is the machine asked for, or nothing was asked', () => {
    expect(replayTarget('/v1/signal?instance=3d8d9930a19d89', '3d8d9930a19d89')).toBeNull();
    expect(replayTarget('/v1/signal', '3d8d9930a19d89')).toBeNull();
    expect(replayTarget('/v1/signal?other=1', '3d8d9930a19d89')).toBeNull();
  });

  it('never replays off Fly or towards a malformed id (no header injection)', () => {
    expect(replayTarget('/v1/signal?instance=e784079b449483', undefined)).toBeNull();
    expect(replayTarget('/v1/signal?instance=abc%0d%0aX-Evil:%201', '3d8d9930a19d89')).toBeNull();
    expect(replayTarget('/v1/signal?instance=../../x', '3d8d9930a19d89')).toBeNull();
  });

  it('answers with the fly-replay header and no body', () => {
    const response = replayResponse('e784079b449483');
    expect(response).toMatch(/^HTTP\/1\.1 307 /);
    expect(response).toContain('\r\nfly-replay: instance=e784079b449483\r\n');
    expect(response.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });
});
