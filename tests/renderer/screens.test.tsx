import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/App';
import { TranscriptView } from '../../src/renderer/components/TranscriptView';
import { ActionsContext } from '../../src/renderer/interview/actions-context';
import type { InterviewActions } from '../../src/renderer/interview/interview-controller';
import { plainErrorFor } from '../../src/renderer/interview/plain-errors';
import type { TranscriptTurn } from '../../src/renderer/realtime/transcript-assembler';
import { useAppStore } from '../../src/renderer/stores/app-store';
import { useConnectionStore } from '../../src/renderer/stores/connection-store';
import { useInterviewStore } from '../../src/renderer/stores/interview-store';
import { useTranscriptStore } from '../../src/renderer/stores/transcript-store';
import { interviewLaunch } from './fixtures/interview-launch';

const launch = interviewLaunch();

function fakeActions(): InterviewActions {
  return {
    acceptConsent: vi.fn(),
    declineConsent: vi.fn(),
    startInterview: vi.fn(),
    confirmSpeaker: vi.fn(),
    playSpeakerTest: vi.fn(async () => {}),
    finishInterview: vi.fn(),
    retryDevices: vi.fn(),
    localMedia: () => null,
  };
}

function renderApp(actions = fakeActions()) {
  render(
    <ActionsContext.Provider value={actions}>
      <App />
    </ActionsContext.Provider>,
  );
  return actions;
}

const turn = (itemId: string, overrides: Partial<TranscriptTurn> = {}): TranscriptTurn => ({
  itemId,
  speaker: 'interviewer',
  text: `text of ${itemId}`,
  state: 'final',
  entry: null,
  saved: false,
  ...overrides,
});

beforeEach(() => {
  useAppStore.getState().ready({ name: 'interview-kiosk', version: '1.0.0', platform: 'linux', shell: 'browser-host' });
  useInterviewStore.getState().reset();
  useInterviewStore.getState().failed(null);
  useConnectionStore.getState().reset();
  useTranscriptStore.getState().clear();
});
afterEach(cleanup);

describe('kiosk screens', () => {
  it('waits on the attract screen until an interview is launched', () => {
    renderApp();
    expect(screen.getByRole('heading', { name: 'Interview kiosk' })).toBeTruthy();
    expect(screen.getByText(/Your proctor will start your interview/)).toBeTruthy();
  });

  it('shows the tenant consent text and the recording notice, and acts only through the controller', async () => {
    const actions = renderApp();
    act(() => useInterviewStore.getState().launched(launch));
    expect(await screen.findByRole('heading', { name: 'Welcome, Grace Hopper' })).toBeTruthy();
    expect(screen.getByText('We keep a transcript.')).toBeTruthy();
    expect(screen.getByText('You can stop at any time.')).toBeTruthy();
    expect(screen.getByTestId('recording-notice').textContent).toMatch(/is recorded/);
    fireEvent.click(screen.getByRole('button', { name: 'I agree, continue' }));
    expect(actions.acceptConsent).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'I do not agree' }));
    expect(actions.declineConsent).toHaveBeenCalledTimes(1);
  });

  it('says plainly when the interview is not recorded', async () => {
    renderApp();
    act(() => useInterviewStore.getState().launched({ ...launch, policies: { ...launch.policies, recording: false } }));
    expect((await screen.findByTestId('recording-notice')).textContent).toMatch(/not recorded/);
  });

  it('unlocks Start only when the microphone and the connection are ready', async () => {
    const actions = renderApp();
    act(() => {
      useInterviewStore.getState().launched(launch);
      useInterviewStore.getState().toPhase('device-check');
    });
    const start = await screen.findByRole('button', { name: 'Start the interview' });
    expect((start as HTMLButtonElement).disabled).toBe(true);
    act(() => useInterviewStore.getState().devicesChanged({ microphone: 'ok', camera: 'missing' }));
    expect((start as HTMLButtonElement).disabled).toBe(true);
    act(() => useConnectionStore.getState().proxyChecked(true));
    expect((start as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText(/only sound will be recorded/)).toBeTruthy();
    fireEvent.click(start);
    expect(actions.startInterview).toHaveBeenCalledTimes(1);
  });

  it('keeps the transcript on screen while reconnecting and asks before finishing', async () => {
    const actions = renderApp();
    act(() => {
      useInterviewStore.getState().launched(launch);
      useInterviewStore.getState().roomOpened(Date.now(), Date.now() + 25 * 60_000);
      useTranscriptStore.getState().show([turn('a1'), turn('c1', { speaker: 'candidate', state: 'live', text: 'I was' })]);
      useConnectionStore.getState().statusChanged('reconnecting', 2);
    });
    expect(await screen.findByTestId('reconnecting')).toBeTruthy();
    expect(screen.getByTestId('connection-badge').textContent).toBe('Reconnecting… (try 2)');
    expect(screen.getByText('text of a1')).toBeTruthy();
    expect(screen.getByText('I was')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'I have finished' }));
    expect(actions.finishInterview).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, I am done' }));
    expect(actions.finishInterview).toHaveBeenCalledTimes(1);
  });

  it('shows an error in plain words with what happens next', () => {
    renderApp();
    act(() => useInterviewStore.getState().failed(plainErrorFor('connection_lost')));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/The connection was lost/);
    expect(alert.textContent).toMatch(/Please tell the proctor/);
    expect(alert.textContent).not.toMatch(/Error:|at .*\.ts/);
  });

  it('thanks the candidate and says whether everything is saved', async () => {
    renderApp();
    act(() => {
      useInterviewStore.getState().launched(launch);
      useInterviewStore.getState().ended('time_limit');
      useInterviewStore.getState().finished(4, true);
    });
    expect(await screen.findByRole('heading', { name: /Time is up/ })).toBeTruthy();
    expect(screen.getByTestId('completion-status').textContent).toBe('Everything you said has been saved.');
  });
});

describe('transcript view', () => {
  it('marks a turn saved only once main acknowledged it, and notes failed and interrupted turns', () => {
    const entry = { id: '0194f3a2-7c1e-7a00-8000-0000000000aa', seq: 0, speaker: 'interviewer' as const, text: 't', timestamp: '2026-11-27T09:00:00Z', status: 'final' as const };
    useTranscriptStore.getState().show([
      turn('a1', { entry, saved: false }),
      turn('c1', { speaker: 'candidate', state: 'failed', text: '', entry: { ...entry, seq: 1 } }),
      turn('a2', { state: 'interrupted', entry: { ...entry, seq: 2 }, saved: true }),
    ]);
    render(<TranscriptView />);
    const rows = screen.getAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('data-saved'))).toEqual(['false', 'false', 'true']);
    expect(screen.getAllByLabelText('saving')).toHaveLength(2);
    expect(screen.getByText(/could not make out this answer/)).toBeTruthy();
    expect(screen.getByText(/interrupted/)).toBeTruthy();
    expect(useTranscriptStore.getState().unsaved).toBe(2);
  });
});

describe('long transcripts', () => {
  it('keeps the latest turns on screen and brings earlier ones back on request', () => {
    useTranscriptStore.getState().show(Array.from({ length: 450 }, (_, index) => turn(`t${index}`)));
    render(<TranscriptView />);
    expect(screen.getByText('text of t449')).toBeTruthy();
    expect(screen.queryByText('text of t0')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show 200 earlier turns' }));
    fireEvent.click(screen.getByRole('button', { name: 'Show 50 earlier turns' }));
    expect(screen.getByText('text of t0')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /earlier turns/ })).toBeNull();
  });
});

describe('lockdown pause', () => {
  it('covers the screen while main has paused the kiosk, and lifts when it resumes', () => {
    renderApp();
    act(() => useInterviewStore.getState().lockdownChanged(true, 'display_added'));
    expect(screen.getByRole('alertdialog', { name: 'The interview is paused' })).toBeTruthy();
    act(() => useInterviewStore.getState().lockdownChanged(false, null));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
