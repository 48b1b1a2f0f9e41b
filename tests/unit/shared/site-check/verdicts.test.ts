import { describe, expect, it } from 'vitest';
import { answerMediaAddresses } from '../../../../src/renderer/site-check/browser-probes';
import { callVerdict, checkItemSchema, clockVerdict, formatTable, iceVerdict, overall, proxyVerdict, uploadVerdict, type CheckItem } from '../../../../src/shared/site-check/verdicts';

const connected = { outcome: 'connected' as const, packetsReceived: 100, mediaAddresses: ['udp 203.0.113.5:3478'] };

describe('site check verdicts', () => {
  it('passes a clean call and grades RTT and loss at the thresholds', () => {
    expect(callVerdict({ ...connected, rttMs: 20, lossFraction: 0 }).verdict).toBe('pass');
    expect(callVerdict({ ...connected, rttMs: 299, lossFraction: 0.019 }).verdict).toBe('pass');
    expect(callVerdict({ ...connected, rttMs: 300, lossFraction: 0 }).verdict).toBe('warn');
    expect(callVerdict({ ...connected, rttMs: 20, lossFraction: 0.02 }).verdict).toBe('warn');
    const lossy = callVerdict({ ...connected, rttMs: 400, lossFraction: 0.08 });
    expect(lossy.verdict).toBe('fail');
    expect(lossy.reason).toContain('round trip 400 ms');
    expect(callVerdict({ ...connected, rttMs: 1_000, lossFraction: 0 }).verdict).toBe('fail');
  });

  it('warns, not passes, a connected call without statistics', () => {
    expect(callVerdict({ ...connected, rttMs: null, lossFraction: 0 })).toMatchObject({ verdict: 'warn', reason: expect.stringContaining('no RTT or loss') });
  });

  it('fails a call without media with the provider addresses to open for UDP', () => {
    const item = callVerdict({ outcome: 'no-media', rttMs: null, lossFraction: null, packetsReceived: 0, mediaAddresses: ['udp 203.0.113.5:3478', 'udp 203.0.113.6:3478'] });
    expect(item).toMatchObject({ verdict: 'fail', measured: 'no media path' });
    expect(item.firewall).toBe('Allow outgoing UDP from the kiosk to udp 203.0.113.5:3478, udp 203.0.113.6:3478, and the replies back in (a stateful firewall does).');
    expect(callVerdict({ outcome: 'no-media', rttMs: null, lossFraction: null, packetsReceived: 0, mediaAddresses: [] }).firewall).toContain("the provider's media addresses");
  });

  it('tells a refused pass (warn) from an unreachable proxy (fail, open TCP 443 to its host)', () => {
    expect(proxyVerdict({ proxyUrl: 'wss://kiosk-proxy.fly.dev/v1/signal', healthz: 200, socket: 'ready', ms: 40 }).verdict).toBe('pass');
    expect(proxyVerdict({ proxyUrl: 'wss://kiosk-proxy.fly.dev/v1/signal', healthz: 200, socket: 'refused', ms: 40 }).verdict).toBe('warn');
    const down = proxyVerdict({ proxyUrl: 'wss://kiosk-proxy.fly.dev/v1/signal', healthz: 'unreachable', socket: 'unreachable', ms: null });
    expect(down).toMatchObject({ verdict: 'fail' });
    expect(down.firewall).toContain('TCP 443');
    expect(down.firewall).toContain('kiosk-proxy.fly.dev:443');
    expect(proxyVerdict({ proxyUrl: 'wss://p.example/v1/signal', healthz: 503, socket: 'ready', ms: 10 }).verdict).toBe('fail');
  });

  it('needs host candidates only when no STUN or TURN is configured, and says which server gave nothing', () => {
    expect(iceVerdict({ host: 2, srflx: 0, relay: 0, prflx: 0 }, []).verdict).toBe('pass');
    expect(iceVerdict({ host: 0, srflx: 0, relay: 0, prflx: 0 }, []).verdict).toBe('fail');
    const stunless = iceVerdict({ host: 2, srflx: 0, relay: 0, prflx: 0 }, ['stun:stun.example:3478']);
    expect(stunless).toMatchObject({ verdict: 'warn', firewall: 'Allow outgoing UDP to stun:stun.example:3478.' });
    expect(iceVerdict({ host: 2, srflx: 1, relay: 0, prflx: 0 }, ['turn:turn.example:3478']).verdict).toBe('warn');
  });

  it('grades uploads by kbit/s and fails an unreachable service with its host', () => {
    expect(uploadVerdict('upload-video', 'https://ws.api.video/upload', { kbps: 5_000, status: 401 })).toMatchObject({ verdict: 'pass', measured: '5.0 Mbit/s (HTTP 401)' });
    expect(uploadVerdict('upload-video', 'https://ws.api.video/upload', { kbps: 500, status: 401 }).verdict).toBe('warn');
    expect(uploadVerdict('upload-video', 'https://ws.api.video/upload', { kbps: 100, status: 401 }).verdict).toBe('fail');
    expect(uploadVerdict('upload-backend', 'https://x.supabase.co', { kbps: 5_000, status: 502 }).verdict).toBe('fail');
    expect(uploadVerdict('upload-backend', 'https://x.supabase.co', { error: 'fetch failed' })).toMatchObject({ verdict: 'fail', firewall: 'Allow TCP 443 (HTTPS) from the kiosk to x.supabase.co:443.' });
  });

  it('grades clock skew either way', () => {
    expect(clockVerdict({ skewMs: 300 })).toMatchObject({ verdict: 'pass', measured: '+0.3 s' });
    expect(clockVerdict({ skewMs: -20 }).measured).toBe('±0.0 s');
    expect(clockVerdict({ skewMs: -6_000 }).verdict).toBe('warn');
    expect(clockVerdict({ skewMs: 61_000 })).toMatchObject({ verdict: 'fail', firewall: expect.stringContaining('NTP') });
    expect(clockVerdict({ error: 'no Date' }).verdict).toBe('fail');
  });

  it('is failing overall on any fail and prints the failure advice under the table', () => {
    const items: CheckItem[] = [clockVerdict({ skewMs: 0 }), callVerdict({ outcome: 'no-media', rttMs: null, lossFraction: null, packetsReceived: 0, mediaAddresses: ['udp 10.0.0.1:3478'] })];
    expect(overall(items)).toBe('fail');
    expect(overall([clockVerdict({ skewMs: 0 })])).toBe('pass');
    expect(overall([clockVerdict({ skewMs: 6_000 }), clockVerdict({ skewMs: 0 })])).toBe('warn');
    const table = formatTable(items);
    // The table keeps the checks' fixed order, whatever order the probes finished in.
    expect(table.indexOf('Test call')).toBeLessThan(table.indexOf('Clock against'));
    expect(table).toContain('Overall: FAIL');
    expect(table).toContain('Firewall: Allow outgoing UDP from the kiosk to udp 10.0.0.1:3478');
  });

  it('rejects malformed items at the page boundary', () => {
    expect(checkItemSchema.safeParse({ id: 'test-call', verdict: 'maybe', measured: '' }).success).toBe(false);
    expect(checkItemSchema.safeParse({ id: 'nope', verdict: 'pass', measured: '' }).success).toBe(false);
    expect(checkItemSchema.safeParse({ id: 'clock', verdict: 'pass', measured: '0 s', extra: 1 }).success).toBe(false);
  });
});

describe('answerMediaAddresses', () => {
  it('lists each candidate address of an answer once', () => {
    const sdp = ['v=0', 'a=candidate:1 1 UDP 2130706431 203.0.113.5 3478 typ host', 'a=candidate:2 1 udp 1694498815 203.0.113.5 3478 typ srflx raddr 0.0.0.0 rport 0', 'a=candidate:3 1 TCP 1 203.0.113.7 443 typ host tcptype passive', ''].join('\r\n');
    expect(answerMediaAddresses(sdp)).toEqual(['udp 203.0.113.5:3478', 'tcp 203.0.113.7:443']);
    expect(answerMediaAddresses('v=0\r\n')).toEqual([]);
  });
});

describe('firewall advice names the real port', () => {
  it('uses the URL port when there is one, 443 otherwise', () => {
    expect(uploadVerdict('upload-backend', 'http://10.0.0.5:54321', { error: 'refused' }).firewall).toBe('Allow TCP 54321 (HTTPS) from the kiosk to 10.0.0.5:54321.');
    expect(proxyVerdict({ proxyUrl: 'ws://10.0.0.5:8080/v1/signal', healthz: 'unreachable', socket: 'refused', ms: 3 })).toMatchObject({
      verdict: 'fail',
      reason: "The proxy's /healthz cannot be reached over HTTPS.",
      firewall: expect.stringContaining('Allow TCP 8080'),
    });
  });
});
