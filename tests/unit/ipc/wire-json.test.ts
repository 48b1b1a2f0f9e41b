import { describe, expect, it } from 'vitest';
import { fromWireJson, toWireJson } from '../../../src/shared/wire-json';

describe('bridge wire JSON', () => {
  it('carries binary recording chunks intact, nested anywhere', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, index) => (index * 31) % 256);
    const decoded = fromWireJson(toWireJson({ id: 1, payload: { recordingId: 'x', bytes } })) as { payload: { bytes: Uint8Array } };
    expect(decoded.payload.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(decoded.payload.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('leaves ordinary objects that merely have a $bytes key among others alone', () => {
    expect(fromWireJson('{"$bytes":"AA==","other":1}')).toEqual({ $bytes: 'AA==', other: 1 });
  });
});
