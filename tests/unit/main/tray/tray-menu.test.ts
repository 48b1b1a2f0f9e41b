import { describe, expect, it } from 'vitest';
import { formatAge, initialTrayState, trayMenuModel, trayTooltip, type TrayState } from '../../../../src/main/tray/tray-menu';
import { trayColour } from '../../../../src/main/tray/tray-icon';

const base: TrayState = initialTrayState(null);
const actions = (state: TrayState) =>
  Object.fromEntries(trayMenuModel(state).flatMap((item) => (item.type === 'action' ? [[item.action, item.enabled]] : [])));
const labels = (state: TrayState) => trayMenuModel(state).flatMap((item) => (item.type === 'separator' ? [] : [item.label]));

describe('tray menu', () => {
  it('offers sign-in but not starting an interview to nobody', () => {
    expect(actions(base)).toMatchObject({ signIn: true, startInterview: false, endInterview: false, quit: true });
    expect(labels(base)).toContain('No proctor signed in');
  });

  it('lets a signed-in proctor start an interview, and end it only while one runs', () => {
    const signedIn = { ...base, proctorEmail: 'proctor@demo.example' };
    expect(actions(signedIn)).toMatchObject({ signOut: true, startInterview: true, endInterview: false });
    expect(actions({ ...signedIn, activeInterview: true })).toMatchObject({ signOut: false, startInterview: false, endInterview: true, deviceCheck: false });
  });

  it('offers the site check between interviews only, next to the device check', () => {
    expect(actions(base).siteCheck).toBe(true);
    expect(actions({ ...base, proctorEmail: 'proctor@demo.example', activeInterview: true }).siteCheck).toBe(false);
    const names = trayMenuModel(base).flatMap((item) => (item.type === 'action' ? [item.action] : []));
    expect(names.indexOf('siteCheck')).toBe(names.indexOf('deviceCheck') + 1);
    expect(labels(base)).toContain('Site check…');
  });

  it('shows pending uploads, their age and refused uploads', () => {
    const state = { ...base, online: false, pending: 12, oldestPendingAgeMs: 5 * 60_000, deadLetters: 2, proxyReachable: false };
    expect(labels(state)).toEqual(expect.arrayContaining(['Offline · 12 uploads waiting (oldest 5 min)', '2 uploads were refused by the server', 'Proxy: unreachable']));
    expect(actions(state).retryUploads).toBe(true);
    expect(trayColour({ ...state, configError: null })).toBe('#dc2626');
    expect(trayTooltip(state)).toContain('12 uploads waiting');
  });

  it('tells the proctor, first and in red, when the kiosk page kept crashing and main gave up on it', () => {
    const failed = { ...base, screenFailed: true };
    expect(labels(failed)[0]).toMatch(/kept crashing.*restart/);
    expect(labels(base).some((label) => /crashing/.test(label))).toBe(false);
    expect(trayTooltip(failed)).toMatch(/kept crashing/);
    expect(trayColour(failed)).toBe('#dc2626');
    expect(trayColour(base)).not.toBe('#dc2626');
  });

  it("shows the candidate's connection while an interview runs, and says so in the tooltip when unstable", () => {
    const running = { ...initialTrayState(null), proctorEmail: 'p@example.com', activeInterview: true };
    expect(labels({ ...running, seatLink: null }).some((label) => label.includes('connection'))).toBe(false);
    expect(labels({ ...running, seatLink: 'stable' })).toContain("Candidate's connection: stable");
    expect(labels({ ...running, seatLink: 'unstable' }).find((label) => label.includes('connection'))).toMatch(/unstable/);
    expect(trayTooltip({ ...running, seatLink: 'unstable' })).toMatch(/connection unstable/);
    expect(labels({ ...running, activeInterview: false, seatLink: 'unstable' }).some((label) => label.includes('connection'))).toBe(false);
  });

  it('offers only Quit when the kiosk is not configured', () => {
    expect(actions({ ...base, configError: 'config.missing' })).toEqual({ quit: true });
  });

  it('formats ages for people', () => {
    expect(formatAge(400)).toBe('1 s');
    expect(formatAge(90_000)).toBe('2 min');
    expect(formatAge(3 * 3_600_000)).toBe('3 h');
  });

});
