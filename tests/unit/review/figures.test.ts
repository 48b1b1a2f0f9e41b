// How the review console labels and formats a report's figures, whatever keys the report grows.
import { describe, expect, it } from 'vitest';
import { clock, formatDuration, formatFigure, labelOf, unitKeyFor } from '../../../src/review/figures';

describe('report figures', () => {
  it.each([
    ['candidate_words_per_minute', 'Candidate words per minute'],
    ['talk_time_ms', 'Talk time'],
    ['longest_silence_ms', 'Longest silence'],
    ['rtt_ms', 'Round-trip time'],
    ['some_new_figure', 'Some new figure'],
  ])('labels %s as "%s"', (key, label) => expect(labelOf(key)).toBe(label));

  it.each([
    [850, '850 ms'],
    [4200, '4.2 s'],
    [65_000, '1 min 05 s'],
    [3_600_000, '60 min 00 s'],
  ])('says %d ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('reads the unit from the key, and plain counts stay plain', () => {
    expect(formatFigure('response_latency_ms', 1500)).toBe('1.5 s');
    expect(formatFigure('candidate_words_per_minute', 132.46)).toBe('132.5 per minute');
    expect(formatFigure('packet_loss_ratio', 0.025)).toBe('2.5 %');
    expect(formatFigure('interruptions', 3)).toBe('3');
  });

  it('gives a group’s members the group’s unit unless they carry their own', () => {
    expect(formatFigure(unitKeyFor('candidate', 'talk_time_ms'), 65_000)).toBe('1 min 05 s');
    expect(formatFigure(unitKeyFor('median', 'response_latency_ms'), 900)).toBe('900 ms');
    expect(formatFigure(unitKeyFor('failed', 'turns'), 2)).toBe('2');
    expect(formatFigure(unitKeyFor('rtt_ms', 'connection'), 120)).toBe('120 ms');
  });

  it('shows times from the start as a clock', () => {
    expect(clock(0)).toBe('00:00');
    expect(clock(247_900)).toBe('04:07');
    expect(clock(3_723_000)).toBe('1:02:03');
    expect(clock(-5)).toBe('00:00');
  });
});
