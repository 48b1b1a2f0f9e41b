import { describe, expect, it } from 'vitest';
import { formatSyncLine, interviewState, lockoutText, rowAction, seatLines, seatLinkLine, seatScreenText, viewFromHash } from '../../../../src/renderer/proctor/proctor-view';

const a = '0194f3a2-7c1e-7a00-8000-00000000000a';
const b = '0194f3a2-7c1e-7a00-8000-00000000000b';

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

describe('interview rows', () => {
  it('say how each interview ended, as stored, not just "completed"', () => {
    expect(interviewState({ status: 'scheduled', endReason: null }).label).toBe('scheduled');
    expect(interviewState({ status: 'in_progress', endReason: null }).label).toBe('in progress');
    expect(interviewState({ status: 'completed', endReason: 'completed' })).toEqual({ label: 'completed', tone: 'success' });
    expect(interviewState({ status: 'completed', endReason: 'candidate_left' }).label).toBe('declined or left');
    expect(interviewState({ status: 'completed', endReason: 'proctor' }).label).toBe('ended by the proctor');
    expect(interviewState({ status: 'completed', endReason: 'time_limit' }).label).toBe('ended at the time limit');
    expect(interviewState({ status: 'completed', endReason: 'error' })).toEqual({ label: 'ended by an error', tone: 'danger' });
    // An older backend that sends no reason still reads as completed.
    expect(interviewState({ status: 'completed', endReason: null }).label).toBe('completed');
  });

  it('offer Start only while nothing runs, keep it disabled while starting, and never for an ended interview', () => {
    expect(rowAction({ id: a, status: 'scheduled' }, null, null)).toEqual({ label: 'Start', disabled: false, reason: null });
    expect(rowAction({ id: a, status: 'scheduled' }, null, a)).toMatchObject({ label: 'Starting…', disabled: true });
    expect(rowAction({ id: b, status: 'scheduled' }, null, a)).toMatchObject({ label: 'Start', disabled: true });
    expect(rowAction({ id: a, status: 'in_progress' }, a, null)).toMatchObject({ label: 'Resume', disabled: true, reason: 'Running on this kiosk now.' });
    expect(rowAction({ id: b, status: 'scheduled' }, a, null)).toMatchObject({ disabled: true, reason: expect.stringContaining('Another interview') });
    // Running on another kiosk (in progress, not ours): it can be taken over here.
    expect(rowAction({ id: b, status: 'in_progress' }, null, null)).toEqual({ label: 'Resume', disabled: false, reason: null });
    expect(rowAction({ id: a, status: 'completed' }, null, null)).toEqual({ label: null, disabled: true, reason: null });
  });
});

describe('seat lines', () => {
  it('say what failed and what the proctor can do about it', () => {
    const [microphone, camera] = seatLines({ interviewSessionId: a, microphone: 'denied', camera: 'busy', reportedAt: '2026-12-04T09:00:00Z' });
    expect(microphone).toMatchObject({ device: 'Microphone', text: 'refused', tone: 'danger' });
    expect(microphone!.advice).toMatch(/allow it for the kiosk.*press Retry.*cannot start without it/);
    expect(camera).toMatchObject({ device: 'Camera', text: 'in use by another program', tone: 'warning' });
    expect(camera!.advice).toMatch(/close it.*Retry.*sound only/);
  });

  it('say which screen the candidate is on, when the kiosk said', () => {
    const seat = { interviewSessionId: a, microphone: 'ok' as const, camera: 'ok' as const, reportedAt: '2026-12-04T09:00:00Z' };
    expect(seatScreenText({ ...seat, screen: 'device-check' })).toBe('The candidate is on the device check.');
    expect(seatScreenText({ ...seat, screen: 'room' })).toBe('The candidate is in the interview room.');
    expect(seatScreenText(seat)).toBeNull();
  });

  it("add the call's link once the kiosk reports it, with what the proctor can do when it is unstable", () => {
    const seat = { interviewSessionId: a, microphone: 'ok' as const, camera: 'ok' as const, reportedAt: '2026-12-04T09:00:00Z' };
    expect(seatLinkLine(seat)).toBeNull();
    expect(seatLinkLine({ ...seat, link: 'stable' })).toMatchObject({ device: 'Connection', text: 'stable', advice: null, tone: 'success' });
    const unstable = seatLinkLine({ ...seat, link: 'unstable' });
    expect(unstable).toMatchObject({ device: 'Connection', state: 'unstable', tone: 'warning' });
    expect(unstable!.advice).toMatch(/recovers by itself.*given back/);
  });

  it('have no advice for working devices', () => {
    expect(seatLines({ interviewSessionId: a, microphone: 'ok', camera: 'waiting', reportedAt: '2026-12-04T09:00:00Z' }).map((line) => line.advice)).toEqual([null, null]);
  });
});

describe('PIN lockout line', () => {
  it('counts down in whole seconds and goes at zero', () => {
    expect(lockoutText(0)).toBeNull();
    expect(lockoutText(1)).toBe('Too many wrong PINs. Try again in 1 s.');
    expect(lockoutText(29_001)).toBe('Too many wrong PINs. Try again in 30 s.');
    expect(lockoutText(125_000)).toBe('Too many wrong PINs. Try again in 2 min 05 s.');
  });
});
