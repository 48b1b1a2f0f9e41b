import { describe, expect, it } from 'vitest';
import { circleIconPng } from '../../../../src/main/tray/tray-icon';

describe('tray icon', () => {
  it('draws a valid PNG icon', () => {
    const png = circleIconPng('#16a34a', 16);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(16);
  });
});
