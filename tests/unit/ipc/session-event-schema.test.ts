import { describe, expect, it } from 'vitest';
import { sessionEventSchema } from '../../../src/shared/domain/interview';

const base = { id: '0194f3a2-7c1e-7a00-8000-0000000000aa', at: '2026-11-27T09:00:00.000Z' };

describe('session log entries at the IPC boundary', () => {
  it('accepts what the backend accepts', () => {
    expect(sessionEventSchema.safeParse({ ...base, kind: 'webrtc_status', data: { status: 'ice_checking' } }).success).toBe(true);
    expect(sessionEventSchema.safeParse({ ...base, kind: 'sdp_offer', data: { sdp: 'v=0\r\n' } }).success).toBe(true);
    expect(sessionEventSchema.safeParse({ ...base, kind: 'lockdown', data: { what: 'focus_lost' } }).success).toBe(true);
  });

  it('refuses a status change without a lower_snake status, and an offer or answer without its SDP', () => {
    for (const data of [{}, { status: 'Connected' }, { status: 'x'.repeat(41) }, { status: 3 }]) {
      const result = sessionEventSchema.safeParse({ ...base, kind: 'webrtc_status', data });
      expect(result.success, JSON.stringify(data)).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['data', 'status']);
    }
    for (const kind of ['sdp_offer', 'sdp_answer'] as const) {
      const result = sessionEventSchema.safeParse({ ...base, kind, data: { call_id: 'c' } });
      expect(result.error?.issues[0]?.path).toEqual(['data', 'sdp']);
    }
  });
});
