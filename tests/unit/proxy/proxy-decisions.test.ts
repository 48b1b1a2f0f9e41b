// The proxy's small decisions, without sockets: rate buckets, subprotocol reading, error mapping and
// redaction, and which session settings win.
import { describe, expect, it } from 'vitest';
import { resolveSessionSettings } from '../../../proxy/src/providers/provider-adapter';
import { multipartBody } from '../../../proxy/src/providers/provider-http';
import { redactSecrets, upstreamErrorFromFailure, upstreamErrorFromResponse } from '../../../proxy/src/providers/upstream-error';
import { TokenBucket } from '../../../proxy/src/rate-limiter';
import { readSubprotocols } from '../../../proxy/src/signal-protocol';

describe('TokenBucket', () => {
  it('allows a burst, refuses beyond it, and refills at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 499;
    expect(bucket.take()).toBe(false);
    now += 1;
    expect(bucket.take()).toBe(true);
    now += 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});

describe('readSubprotocols', () => {
  it('finds the protocol and exactly one bearer token', () => {
    expect(readSubprotocols('kiosk-signal.v1, bearer.abc.def.ghi')).toEqual({ speaksV1: true, token: 'abc.def.ghi' });
    expect(readSubprotocols('bearer.abc')).toEqual({ speaksV1: false, token: 'abc' });
    expect(readSubprotocols('kiosk-signal.v1, bearer.a, bearer.b')).toEqual({ speaksV1: true, token: undefined });
    expect(readSubprotocols(undefined)).toEqual({ speaksV1: false, token: undefined });
  });
});

describe('upstream error mapping', () => {
  const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';

  it('maps status codes to protocol codes', () => {
    expect(upstreamErrorFromResponse(400, '{"error":{"message":"Bad SDP"}}', key)).toMatchObject({ code: 'upstream_rejected', kind: 'rejected', message: 'The voice provider refused the offer (HTTP 400).', detail: 'Bad SDP' });
    expect(upstreamErrorFromResponse(401, '{"error":{"message":"Incorrect API key provided: sk-p****2345"}}', key)).toMatchObject({ code: 'upstream_rejected', kind: 'auth' });
    expect(upstreamErrorFromResponse(403, '', key).message).not.toContain('sk-');
    expect(upstreamErrorFromResponse(429, '', key)).toMatchObject({ code: 'rate_limited' });
    expect(upstreamErrorFromResponse(503, '<html>', key)).toMatchObject({ code: 'upstream_unavailable', kind: 'server_error' });
    expect(upstreamErrorFromResponse(422, 'not json', key)).toMatchObject({ code: 'upstream_rejected', message: 'The voice provider refused the offer (HTTP 422).' });
    expect(upstreamErrorFromFailure(new Error('ECONNREFUSED'), false)).toMatchObject({ code: 'upstream_unavailable', kind: 'network' });
    expect(upstreamErrorFromFailure(new Error('aborted'), true)).toMatchObject({ code: 'timeout', kind: 'timeout' });
  });

  it('attack: a provider refusal naming the tenant’s organisation and project reaches the kiosk as its status and identifiers only', () => {
    const body = JSON.stringify({
      error: {
        type: 'invalid_request_error',
        code: 'unsupported_voice',
        param: 'session.audio.output.voice',
        message: 'Voice "x" is not available for organization org-AbC123xyz in project proj_9QzT2kLm (key sk-p****2345).',
      },
    });
    const error = upstreamErrorFromResponse(400, body, key);
    expect(error.message).toBe('The voice provider refused the offer (HTTP 400: invalid_request_error, unsupported_voice, session.audio.output.voice).');
    expect(error.message).not.toMatch(/org-|proj_|sk-/);
    // The operator's log keeps the words, with the key-shaped part removed.
    expect(error.detail).toContain('org-AbC123xyz');
    expect(error.detail).not.toContain('sk-p****2345');
    // Free-form text in an identifier field is dropped, not passed on.
    const sneaky = upstreamErrorFromResponse(400, JSON.stringify({ error: { type: 'see org-AbC123xyz', code: 'x'.repeat(80), message: 'm' } }), key);
    expect(sneaky.message).toBe('The voice provider refused the offer (HTTP 400).');
  });

  it('redacts the key, key-shaped strings, bearer values, and caps the length', () => {
    expect(redactSecrets(`key ${key} and sk-other-1234567 and sk-p****2345 and Bearer xyz`, key)).toBe('key [redacted] and [redacted] and [redacted] and Bearer [redacted]');
    expect(redactSecrets('x'.repeat(1000), key)).toHaveLength(300);
  });
});

describe('session settings', () => {
  const defaults = { model: 'gpt-realtime', voice: 'marin', transcriptionModel: 'gpt-4o-transcribe', instructions: 'Default.', noiseReduction: 'near_field' as const };
  it('takes signed fields over the tenant defaults, field by field', () => {
    expect(resolveSessionSettings(defaults, null)).toEqual(defaults);
    expect(resolveSessionSettings(defaults, { instructions: 'Signed.', voice: 'cedar' })).toEqual({ ...defaults, instructions: 'Signed.', voice: 'cedar' });
  });
});

describe('multipartBody', () => {
  it('builds a body that a standard multipart parser reads back', async () => {
    const { contentType, body } = multipartBody([
      { name: 'sdp', type: 'application/sdp', value: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n' },
      { name: 'session', type: 'application/json', value: '{"type":"realtime"}' },
    ]);
    const form = await new Request('http://parser.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
    expect(form.get('sdp')).toBe('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n');
    expect(form.get('session')).toBe('{"type":"realtime"}');
  });
});
