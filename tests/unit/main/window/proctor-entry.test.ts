import { describe, expect, it } from 'vitest';
import { proctorEntryView } from '../../../../src/main/window/proctor-entry';

describe('where the proctor chord leads', () => {
  it('asks for the proctor’s credentials when nobody is signed in', () => {
    expect(proctorEntryView({ configError: null, proctorSignedIn: false })).toBe('sign-in');
  });

  it('shows today’s interviews (start, end) to a signed-in proctor', () => {
    expect(proctorEntryView({ configError: null, proctorSignedIn: true })).toBe('interviews');
  });

  it('offers only the PIN to quit when the kiosk has no valid config, like the tray', () => {
    expect(proctorEntryView({ configError: 'config.missing', proctorSignedIn: false })).toBe('quit');
    expect(proctorEntryView({ configError: 'config.invalid', proctorSignedIn: true })).toBe('quit');
  });
});
