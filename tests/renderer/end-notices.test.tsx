// What the candidate reads at the end, driven by the real interview controller over a fake kiosk: a
// notice from before the end must not contradict the completion screen, and an interview that never
// started must not claim to have saved anything.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/App';
import { ActionsContext } from '../../src/renderer/interview/actions-context';
import { InterviewController } from '../../src/renderer/interview/interview-controller';
import { plainErrorFor } from '../../src/renderer/interview/plain-errors';
import { MediaAccessError, type LocalMedia } from '../../src/renderer/media/local-media';
import { useAppStore } from '../../src/renderer/stores/app-store';
import { useConnectionStore } from '../../src/renderer/stores/connection-store';
import { useInterviewStore } from '../../src/renderer/stores/interview-store';
import { useTranscriptStore } from '../../src/renderer/stores/transcript-store';
import type { InterviewLaunch } from '../../src/shared/domain/interview';
import type { KioskApi } from '../../src/shared/kiosk-api';
import { KioskIpcError } from '../../src/shared/kiosk-api';
import { interviewLaunch } from './fixtures/interview-launch';
import { realtimeGaWriter } from '../../src/renderer/realtime/provider-writer';

const SAVED = 'Everything you said has been saved.';
const NOT_HEARD = /nothing has been recorded/;

function kioskFake() {
  const listeners = new Map<string, (payload: unknown) => void>();
  const kiosk = {
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    config: { get: vi.fn(async () => Promise.reject(new KioskIpcError('ipc.not_available', 'no'))) },
    interview: {
      current: vi.fn(async () => null),
      resume: vi.fn(async () => null),
      roomOpened: vi.fn(async ({ startedAt }: { startedAt: string }) => ({ roomStartedAt: startedAt })),
      finish: vi.fn(async () => ({ queued: true as const })),
    },
    transcript: { append: vi.fn(async ({ entries }: { entries: Array<{ id: string }> }) => ({ savedIds: entries.map((entry) => entry.id) })) },
    session: { events: vi.fn(async ({ events }: { events: unknown[] }) => ({ saved: events.length })) },
  } as unknown as KioskApi;
  return { kiosk, listeners };
}

async function start(options: { media: () => Promise<LocalMedia>; launch: InterviewLaunch }) {
  const { kiosk, listeners } = kioskFake();
  const controller = new InterviewController({
    kiosk,
    acquireMedia: options.media,
    createSession: () => ({ prewarm: async () => {}, preconnect: async () => {}, writer: realtimeGaWriter, start: async () => {}, send: () => true, close: () => {}, proxyReachable: true }),
    createRecorder: () => ({ start: async () => {}, stop: async () => {}, addRemoteAudio: () => {} }),
    playRemoteAudio: () => {},
    completionHoldMs: 0,
  });
  render(
    <ActionsContext.Provider value={controller}>
      <App />
    </ActionsContext.Provider>,
  );
  await act(() => controller.init());
  act(() => listeners.get('interview.launched')!(options.launch));
  return { controller, kiosk, listeners };
}

const workingMedia = async (): Promise<LocalMedia> => ({ microphone: {} as MediaStream, camera: null, stop: () => {} });
const blockedMicrophone = async (): Promise<LocalMedia> => {
  throw new MediaAccessError('microphone_blocked', 'The microphone could not be used.');
};

beforeEach(() => {
  useAppStore.getState().ready({ name: 'interview-kiosk', version: '1.0.0', platform: 'linux', shell: 'browser-host' });
  useInterviewStore.getState().reset();
  useConnectionStore.getState().reset();
  useTranscriptStore.getState().clear();
});
afterEach(cleanup);

describe('notices at the end of an interview', () => {
  it('a declined consent ends saying nothing was recorded, not that everything was saved', async () => {
    const { kiosk } = await start({ media: workingMedia, launch: interviewLaunch() });
    fireEvent.click(await screen.findByRole('button', { name: 'I do not agree' }));
    expect(await screen.findByRole('heading', { name: 'The interview did not go ahead. Thank you for your time.' })).toBeTruthy();
    expect(screen.getByTestId('completion-status').textContent).toBe('Nothing was recorded.');
    expect(document.body.textContent).not.toContain(SAVED);
    expect(kiosk.interview.finish).toHaveBeenCalledWith(expect.objectContaining({ reason: 'candidate_left', lastSeq: -1 }));
  });

  it('the blocked-microphone notice does not stay above "everything saved" when the proctor ends a resumed interview', async () => {
    // Resumed after a reload with three entries already saved: the device check comes back, the microphone fails.
    const { listeners } = await start({ media: blockedMicrophone, launch: interviewLaunch({ nextSeq: 3 }) });
    expect((await screen.findByRole('alert')).textContent).toMatch(NOT_HEARD);
    act(() => listeners.get('interview.endRequested')!({ reason: 'proctor' }));
    expect(await screen.findByRole('heading', { name: 'Your proctor has ended the interview. Thank you.' })).toBeTruthy();
    expect(screen.getByTestId('completion-status').textContent).toBe(SAVED);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(document.body.textContent).not.toMatch(NOT_HEARD);
  });

  it('the blocked-microphone notice goes once the microphone works', () => {
    useInterviewStore.getState().failed(plainErrorFor('microphone_blocked'));
    useInterviewStore.getState().devicesChanged({ camera: 'ok' });
    expect(useInterviewStore.getState().error?.title).toBe('We cannot hear you yet');
    useInterviewStore.getState().devicesChanged({ microphone: 'ok' });
    expect(useInterviewStore.getState().error).toBeNull();
  });

  it('a notice about the call itself stays through the end, where it still holds', () => {
    useInterviewStore.getState().failed(plainErrorFor('connection_lost'));
    useInterviewStore.getState().devicesChanged({ microphone: 'ok' });
    useInterviewStore.getState().finished(4, true);
    expect(useInterviewStore.getState().error?.title).toBe('The connection was lost');
  });

  it('a room that opened and closed before anyone spoke does not claim "nothing was recorded" (the camera may have been)', async () => {
    const { controller } = await start({ media: workingMedia, launch: interviewLaunch() });
    fireEvent.click(await screen.findByRole('button', { name: 'I agree, continue' }));
    const begin = await screen.findByRole('button', { name: 'Start the interview' });
    await vi.waitFor(() => expect((begin as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(begin);
    await screen.findByRole('button', { name: 'I have finished' });
    await act(() => controller.end('completed'));
    expect(screen.getByTestId('completion-status').textContent).toBe(SAVED);
  });
});
