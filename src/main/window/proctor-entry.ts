// Where the proctor chord (PROCTOR_CHORD) takes the proctor: the same entrances the tray offers, so
// the chord gives nobody more than the tray would. Signing in needs the proctor's own credentials;
// quitting needs the PIN. Kept pure so the choice is tested without Electron.

export type ProctorView = 'sign-in' | 'interviews' | 'device-check' | 'quit';

export interface ProctorEntryState {
  /** The tenant config is missing or invalid: quitting (with the PIN) is all that is possible. */
  configError: string | null;
  proctorSignedIn: boolean;
}

export function proctorEntryView(state: ProctorEntryState): ProctorView {
  if (state.configError !== null) return 'quit';
  return state.proctorSignedIn ? 'interviews' : 'sign-in';
}
