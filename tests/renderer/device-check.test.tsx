// The device check driven by the real interview controller: a refused or missing device reaches a
// final state (never "asking…" forever), the connection line says it waits for the microphone, Start
// stays locked with the reason, Retry asks again, and main hears every outcome.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/App';
import { ActionsContext } from '../../src/renderer/interview/actions-context';
import { InterviewController } from '../../src/renderer/interview/interview-controller';
import { MediaAccessError, type LocalMedia } from '../../src/renderer/media/local-media';
import { useAppStore } from '../../src/renderer/stores/app-store';
import { useConnectionStore } from '../../src/renderer/stores/connection-store';
import { useInterviewStore } from '../../src/renderer/stores/interview-store';
import { useTranscriptStore } from '../../src/renderer/stores/transcript-store';
import type { KioskApi } from '../../src/shared/kiosk-api';
import { KioskIpcError } from '../../src/shared/kiosk-api';
import { interviewLaunch } from './fixtures/interview-launch';

const launch = interviewLaunch();

function setup(acquireMedia: () => Promise<LocalMedia>, acquireCamera?: () => Promise<{ stream: MediaStream }>) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const reports: unknown[] = [];
  const kiosk = {
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    config: { get: vi.fn(async () => Promise.reject(new KioskIpcError('ipc.not_available', 'no'))) },
    interview: { current: vi.fn(async () => null), resume: vi.fn(async () => null), finish: vi.fn(async () => ({ queued: true as const })) },
    transcript: { append: vi.fn(async () => ({ savedIds: [] })) },
    session: { events: vi.fn(async ({ events }: { events: unknown[] }) => ({ saved: events.length })) },
    devices: {
      report: vi.fn(async (report: unknown) => {
        reports.push(report);
        return { reported: true as const };
      }),
    },
  } as unknown as KioskApi;
  const createSession = vi.fn(() => ({ prewarm: async () => {}, preconnect: async () => {}, start: async () => {}, send: () => true, close: () => {}, proxyReachable: true }));
  const controller = new InterviewController({
    kiosk,
    acquireMedia: vi.fn(acquireMedia),
    acquireCamera,
    createSession,
    createRecorder: () => ({ start: async () => {}, stop: async () => {}, addRemoteAudio: () => {} }),
    playRemoteAudio: () => {},
    completionHoldMs: 0,
  });
  return { controller, kiosk, listeners, reports, createSession };
}

async function intoDeviceCheck(h: ReturnType<typeof setup>) {
  render(
    <ActionsContext.Provider value={h.controller}>
      <App />
    </ActionsContext.Provider>,
  );
  await act(() => h.controller.init());
  act(() => h.listeners.get('interview.launched')!(launch));
  fireEvent.click(await screen.findByRole('button', { name: 'I agree, continue' }));
}

const line = (name: string) => within(screen.getByTestId('device-checks')).getByText(name).closest('li')!;
const stream = () => ({ getTracks: () => [] }) as unknown as MediaStream;

beforeEach(() => {
  // jsdom has no media playback; the preview only needs play() to answer.
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  useAppStore.getState().ready({ name: 'interview-kiosk', version: '1.0.0', platform: 'linux', shell: 'browser-host' });
  useInterviewStore.getState().reset();
  useConnectionStore.getState().reset();
  useTranscriptStore.getState().clear();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('device check final states', () => {
  it('a denied microphone and camera: final lines, connection waiting for the microphone, Start locked with the reason, main told', async () => {
    const h = setup(async () => {
      throw new MediaAccessError('microphone_blocked', 'refused', 'denied', 'denied');
    });
    await intoDeviceCheck(h);
    await vi.waitFor(() => expect(line('Microphone').textContent).toContain('not allowed'));
    expect(line('Camera').textContent).toContain('not allowed');
    expect(line('Camera').className).toContain('problem');
    expect(line('Connection').textContent).toContain('waits for the microphone');
    expect(document.body.textContent).not.toContain('asking…');
    expect(document.body.textContent).not.toContain('connecting…');
    const start = screen.getByRole('button', { name: 'Start the interview' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    expect(screen.getByText(/stays locked until the microphone works/)).toBeTruthy();
    await vi.waitFor(() =>
      expect(h.reports.at(-1)).toEqual({ interviewSessionId: launch.interviewSessionId, microphone: 'denied', camera: 'denied', screen: 'device-check' }),
    );
    expect(h.createSession).not.toHaveBeenCalled();
  });

  it('Retry asks again; once the microphone works the call warms up, Start unlocks and main hears the new state', async () => {
    let allowed = false;
    const h = setup(async () => {
      if (!allowed) throw new MediaAccessError('microphone_busy', 'busy', 'busy', 'busy');
      return { microphone: stream(), camera: stream(), stop: () => {} };
    });
    await intoDeviceCheck(h);
    const retry = await screen.findByRole('button', { name: 'Retry the microphone and camera' });
    expect(line('Microphone').textContent).toContain('in use by another program');
    allowed = true;
    fireEvent.click(retry);
    await vi.waitFor(() => expect(line('Microphone').textContent).toContain('ready'));
    await vi.waitFor(() => expect((screen.getByRole('button', { name: 'Start the interview' }) as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull();
    expect(h.createSession).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(h.reports.at(-1)).toMatchObject({ microphone: 'ok', camera: 'ok' }));
  });

  it('a missing camera with a working microphone: Start unlocks, Retry asks for the camera alone', async () => {
    const acquireCamera = vi.fn(async () => ({ stream: stream() }));
    const h = setup(async () => ({ microphone: stream(), camera: null, cameraProblem: 'missing', stop: () => {} }), acquireCamera);
    await intoDeviceCheck(h);
    await vi.waitFor(() => expect(line('Camera').textContent).toContain('none found: only sound will be recorded'));
    await vi.waitFor(() => expect((screen.getByRole('button', { name: 'Start the interview' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Retry the camera' }));
    await vi.waitFor(() => expect(line('Camera').textContent).toContain('ready'));
    expect(acquireCamera).toHaveBeenCalledTimes(1);
    // The call stays on the microphone it was warmed with.
    expect(h.createSession).toHaveBeenCalledTimes(1);
    const onDeviceCheck = h.reports.filter((report) => (report as { screen?: string }).screen === 'device-check');
    expect(onDeviceCheck.map((report) => (report as { camera: string }).camera)).toEqual(['missing', 'ok']);
  });
});
