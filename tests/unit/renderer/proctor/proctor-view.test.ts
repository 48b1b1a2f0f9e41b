import { describe, expect, it } from 'vitest';
import { formatSyncLine, viewFromHash } from '../../../../src/renderer/proctor/proctor-view';

describe('proctor page', () => {
  it('opens the view the tray asked for, and sign-in for anything else', () => {
    expect(viewFromHash('#interviews')).toBe('interviews');
    expect(viewFromHash('#quit')).toBe('quit');
    expect(viewFromHash('#device-check')).toBe('device-check');
    expect(viewFromHash('#../../etc')).toBe('sign-in');
    expect(viewFromHash('')).toBe('sign-in');
  });
  it('summarises the sync state for the proctor', () => {
    const line = formatSyncLine({
      online: false,
      pending: 3,
      oldestPendingAgeMs: 120_000,
      deadLetters: 1,
      lastError: { code: 'sync.network', message: 'The backend could not be reached.', at: new Date().toISOString() },
      lastSyncAt: null,
    });
    expect(line).toBe('Offline · 3 uploads waiting · oldest 2 min · 1 refused by the server · last error: The backend could not be reached.');
  });
});
