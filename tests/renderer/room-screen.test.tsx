// The room in jsdom: the prompt that follows the interviewer's closing turn (on a controlled clock), the
// transcript following the newest turn unless the candidate scrolled back, what screen readers are
// told, and axe over the room's markup (colour contrast needs a real layout: the e2e covers it).
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/App';
import { TranscriptView } from '../../src/renderer/components/TranscriptView';
import { ActionsContext } from '../../src/renderer/interview/actions-context';
import type { InterviewActions } from '../../src/renderer/interview/interview-controller';
import type { TranscriptTurn } from '../../src/renderer/realtime/transcript-assembler';
import RoomScreen, { CLOSING_PROMPT_AFTER_MS } from '../../src/renderer/screens/RoomScreen';
import { useAppStore } from '../../src/renderer/stores/app-store';
import { useConnectionStore } from '../../src/renderer/stores/connection-store';
import { useInterviewStore } from '../../src/renderer/stores/interview-store';
import { useTranscriptStore } from '../../src/renderer/stores/transcript-store';
import { interviewLaunch } from './fixtures/interview-launch';

const turn = (itemId: string, overrides: Partial<TranscriptTurn> = {}): TranscriptTurn => ({
  itemId,
  speaker: 'interviewer',
  text: `text of ${itemId}`,
  state: 'final',
  entry: null,
  saved: false,
  ...overrides,
});

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

function renderRoom(props: { closingPromptAfterMs?: number } = {}) {
  const actions = fakeActions();
  render(
    <ActionsContext.Provider value={actions}>
      <RoomScreen {...props} />
    </ActionsContext.Provider>,
  );
  return actions;
}

const show = (turns: TranscriptTurn[]) => act(() => useTranscriptStore.getState().show(turns));
const advance = (ms: number) => act(() => vi.advanceTimersByTime(ms));
const prompt = () => screen.queryByTestId('closing-prompt');
const finishButton = () => screen.getByRole('button', { name: 'I have finished' });

beforeEach(() => {
  useInterviewStore.getState().reset();
  useInterviewStore.getState().launched(interviewLaunch());
  useInterviewStore.getState().roomOpened(Date.now(), Date.now() + 25 * 60_000);
  useConnectionStore.getState().reset();
  useConnectionStore.getState().statusChanged('live', 0);
  useTranscriptStore.getState().clear();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('the room after the interviewer has spoken', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('moves focus to its heading when it opens', () => {
    renderRoom();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Interview: Compiler Engineer' }));
  });

  it(`prompts for "I have finished" ${CLOSING_PROMPT_AFTER_MS} ms after a completed interviewer turn with nothing after it, and moves focus there`, () => {
    renderRoom();
    show([turn('a1'), turn('c1', { speaker: 'candidate' }), turn('a2', { text: 'That is all. Thank you.' })]);
    advance(CLOSING_PROMPT_AFTER_MS - 1);
    expect(prompt()).toBeNull();
    expect(document.activeElement).not.toBe(finishButton());
    advance(1);
    expect(prompt()?.textContent).toMatch(/press “I have finished”/);
    expect(document.activeElement).toBe(finishButton());
  });

  it('waits the time it is given', () => {
    renderRoom({ closingPromptAfterMs: 1_000 });
    show([turn('a1')]);
    advance(999);
    expect(prompt()).toBeNull();
    advance(1);
    expect(prompt()).not.toBeNull();
  });

  it('stays quiet while the interviewer turn is still arriving or playing, or while anyone speaks', () => {
    renderRoom();
    show([turn('a1', { state: 'live', text: 'That is' })]);
    advance(CLOSING_PROMPT_AFTER_MS * 3);
    show([turn('a1', { state: 'text-done' })]);
    advance(CLOSING_PROMPT_AFTER_MS * 3);
    expect(prompt()).toBeNull();
    show([turn('a1')]);
    act(() => useConnectionStore.getState().speaking('interviewer', true));
    advance(CLOSING_PROMPT_AFTER_MS * 3);
    expect(prompt()).toBeNull();
    act(() => {
      useConnectionStore.getState().speaking('interviewer', false);
      useConnectionStore.getState().speaking('candidate', true);
    });
    advance(CLOSING_PROMPT_AFTER_MS * 3);
    expect(prompt()).toBeNull();
  });

  it('does not prompt when the candidate had the last word, or the call is not live', () => {
    renderRoom();
    show([turn('a1'), turn('c1', { speaker: 'candidate' })]);
    advance(CLOSING_PROMPT_AFTER_MS * 3);
    expect(prompt()).toBeNull();
    show([turn('a1'), turn('c1', { speaker: 'candidate' }), turn('a2')]);
    act(() => useConnectionStore.getState().statusChanged('reconnecting', 1));
    advance(CLOSING_PROMPT_AFTER_MS * 3);
    expect(prompt()).toBeNull();
  });

  it('starts the wait again when the conversation moves on, and takes the prompt away when the candidate answers', () => {
    renderRoom();
    show([turn('a1')]);
    advance(CLOSING_PROMPT_AFTER_MS - 2_000);
    show([turn('a1'), turn('c1', { speaker: 'candidate' }), turn('a2')]);
    advance(2_000);
    expect(prompt()).toBeNull();
    advance(CLOSING_PROMPT_AFTER_MS - 2_000);
    expect(prompt()).not.toBeNull();
    act(() => useConnectionStore.getState().speaking('candidate', true));
    expect(prompt()).toBeNull();
    show([turn('a1'), turn('c1', { speaker: 'candidate' }), turn('a2'), turn('c2', { speaker: 'candidate', state: 'live', text: 'One more' })]);
    act(() => useConnectionStore.getState().speaking('candidate', false));
    advance(CLOSING_PROMPT_AFTER_MS * 3);
    expect(prompt()).toBeNull();
  });

  it('gives way to the confirmation, keeping focus on its buttons, and is gone while the interview ends', () => {
    const actions = renderRoom();
    show([turn('a1')]);
    advance(CLOSING_PROMPT_AFTER_MS);
    fireEvent.click(finishButton());
    expect(prompt()).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'No, continue' }));
    fireEvent.click(screen.getByRole('button', { name: 'No, continue' }));
    expect(document.activeElement).toBe(finishButton());
    expect(prompt()).not.toBeNull();
    fireEvent.click(finishButton());
    fireEvent.click(screen.getByRole('button', { name: 'Yes, I am done' }));
    expect(actions.finishInterview).toHaveBeenCalledTimes(1);
    act(() => useInterviewStore.getState().ended('completed'));
    expect(prompt()).toBeNull();
    expect(screen.getByText('Saving your interview…')).toBeTruthy();
  });
});

/** jsdom lays nothing out: give the transcript's scroller a height and a scroll position to read. */
function fakeScrollBox(element: HTMLElement, box: { scrollHeight: number; clientHeight: number }) {
  let top = 0;
  Object.defineProperty(element, 'scrollHeight', { configurable: true, get: () => box.scrollHeight });
  Object.defineProperty(element, 'clientHeight', { configurable: true, get: () => box.clientHeight });
  Object.defineProperty(element, 'scrollTop', {
    configurable: true,
    get: () => top,
    set: (value: number) => {
      top = Math.max(0, Math.min(value, box.scrollHeight - box.clientHeight));
    },
  });
}

describe('the transcript', () => {
  it('follows the newest turn, holds still once the candidate scrolls back, and jumps back on request', () => {
    show([turn('a1'), turn('c1', { speaker: 'candidate' })]);
    render(<TranscriptView />);
    const scroller = screen.getByTestId('transcript');
    const box = { scrollHeight: 1_000, clientHeight: 400 };
    fakeScrollBox(scroller, box);
    box.scrollHeight = 1_200;
    show([turn('a1'), turn('c1', { speaker: 'candidate' }), turn('a2')]);
    expect(scroller.scrollTop).toBe(800);
    expect(screen.queryByRole('button', { name: /Jump to the latest turn/ })).toBeNull();

    // A small nudge near the bottom still follows; a real scroll back does not.
    scroller.scrollTop = 790;
    fireEvent.scroll(scroller);
    expect(screen.queryByRole('button', { name: /Jump to the latest turn/ })).toBeNull();
    scroller.scrollTop = 100;
    fireEvent.scroll(scroller);
    box.scrollHeight = 1_400;
    show([turn('a1'), turn('c1', { speaker: 'candidate' }), turn('a2'), turn('c2', { speaker: 'candidate' })]);
    expect(scroller.scrollTop).toBe(100);
    const jump = screen.getByRole('button', { name: /Jump to the latest turn/ });

    fireEvent.click(jump);
    expect(scroller.scrollTop).toBe(1_000);
    expect(screen.queryByRole('button', { name: /Jump to the latest turn/ })).toBeNull();
    expect(document.activeElement).toBe(scroller);
    box.scrollHeight = 1_600;
    show([turn('a1'), turn('c1', { speaker: 'candidate' }), turn('a2'), turn('c2', { speaker: 'candidate' }), turn('a3')]);
    expect(scroller.scrollTop).toBe(1_200);
  });

  it('announces a turn once it is complete, never by its fragments, and is not itself a live region', () => {
    show([turn('a1', { state: 'live', text: 'Hello and' })]);
    render(<TranscriptView />);
    const announcer = screen.getByRole('log');
    expect(announcer.getAttribute('aria-live')).toBe('polite');
    expect(announcer.getAttribute('aria-relevant')).toBe('additions');
    expect(announcer.textContent).toBe('');
    const transcript = screen.getByRole('region', { name: 'Transcript' });
    expect(transcript.closest('[aria-live]')).toBeNull();
    expect(transcript.querySelector('[aria-live], [role="log"]')).toBeNull();

    show([turn('a1', { state: 'text-done', text: 'Hello and welcome.' })]);
    expect(announcer.textContent).toBe('');
    show([turn('a1', { text: 'Hello and welcome.' }), turn('c1', { speaker: 'candidate', state: 'live', text: 'Hi I' })]);
    expect(announcer.textContent).toBe('Interviewer: Hello and welcome.');
    show([
      turn('a1', { text: 'Hello and welcome.' }),
      turn('c1', { speaker: 'candidate', state: 'failed', text: '' }),
      turn('a2', { state: 'interrupted', text: 'Sorry, I did' }),
    ]);
    expect([...announcer.querySelectorAll('p')].map((line) => line.textContent)).toEqual([
      'Interviewer: Hello and welcome.',
      'You: your answer could not be made out.',
      'Interviewer, cut short: Sorry, I did',
    ]);
  });

  it('keeps only a few completed turns in the announcer, in conversation order', () => {
    show(Array.from({ length: 30 }, (_, index) => turn(`t${index}`)));
    render(<TranscriptView />);
    expect([...screen.getByRole('log').querySelectorAll('p')].map((line) => line.textContent)).toEqual(
      ['t26', 't27', 't28', 't29'].map((id) => `Interviewer: text of ${id}`),
    );
  });

  it('lists turns as list items of a list (axe listitem), with the scroller reachable by keyboard', () => {
    show([turn('a1'), turn('c1', { speaker: 'candidate' })]);
    render(<TranscriptView />);
    const transcript = screen.getByRole('region', { name: 'Transcript' });
    expect(transcript.tabIndex).toBe(0);
    const list = within(transcript).getByRole('list');
    expect(list.getAttribute('role')).toBeNull();
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
  });
});

describe('axe over the room', () => {
  it('finds no violations in a room with every kind of turn, the prompt, and the jump button', async () => {
    vi.useFakeTimers();
    const entry = { id: '0194f3a2-7c1e-7a00-8000-0000000000aa', seq: 0, speaker: 'interviewer' as const, text: 't', timestamp: '2026-11-27T09:00:00Z', status: 'final' as const };
    renderRoom();
    show([
      turn('a1', { entry, saved: true }),
      turn('c1', { speaker: 'candidate', state: 'failed', text: '', entry: { ...entry, seq: 1 } }),
      turn('a2', { state: 'interrupted', text: 'Sorry, I', entry: { ...entry, seq: 2 } }),
      turn('c2', { speaker: 'candidate', state: 'live', text: 'I am' }),
      turn('a3'),
    ]);
    advance(CLOSING_PROMPT_AFTER_MS);
    expect(prompt()).not.toBeNull();
    fakeScrollBox(screen.getByTestId('transcript'), { scrollHeight: 1_000, clientHeight: 400 });
    fireEvent.scroll(screen.getByTestId('transcript'));
    expect(screen.getByRole('button', { name: /Jump to the latest turn/ })).toBeTruthy();
    vi.useRealTimers();
    const results = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
    expect(results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});

describe('focus on every screen change', () => {
  it('lands on the heading of the attract, consent, device check, room and completion screens in turn', async () => {
    useAppStore.getState().ready({ name: 'interview-kiosk', version: '1.0.0', platform: 'linux', shell: 'browser-host' });
    useInterviewStore.getState().reset();
    useConnectionStore.getState().reset();
    render(
      <ActionsContext.Provider value={fakeActions()}>
        <App />
      </ActionsContext.Provider>,
    );
    const focusedHeading = async (name: string | RegExp) => {
      const heading = await screen.findByRole('heading', { level: 1, name });
      // The heading is in the DOM a moment before the screen's effect moves focus to it.
      await waitFor(() => expect(document.activeElement).toBe(heading));
    };
    await focusedHeading('Interview kiosk');
    act(() => useInterviewStore.getState().launched(interviewLaunch()));
    await focusedHeading('Welcome, Grace Hopper');
    act(() => useInterviewStore.getState().toPhase('device-check'));
    await focusedHeading(/check your microphone/);
    act(() => useInterviewStore.getState().roomOpened(Date.now(), Date.now() + 60_000));
    await focusedHeading('Interview: Compiler Engineer');
    act(() => {
      useInterviewStore.getState().ended('completed');
      useInterviewStore.getState().finished(3, true);
    });
    await focusedHeading(/your interview is complete/);
  });
});

describe('the room on a bad link', () => {
  it('shows the calm unstable notice while the link is poor, gives way to the reconnecting banner, and goes when the link is calm', () => {
    renderRoom();
    const unstable = () => screen.queryByTestId('link-unstable');
    expect(unstable()).toBeNull();
    act(() => useConnectionStore.getState().linkHealth(true));
    expect(unstable()?.textContent).toMatch(/connection is unstable/);
    expect(unstable()?.getAttribute('role')).toBe('status');
    act(() => useConnectionStore.getState().statusChanged('reconnecting', 1));
    expect(unstable()).toBeNull();
    expect(screen.getByTestId('reconnecting')).toBeTruthy();
    act(() => useConnectionStore.getState().statusChanged('live', 0));
    expect(unstable()).not.toBeNull();
    act(() => useConnectionStore.getState().linkHealth(false));
    expect(unstable()).toBeNull();
  });
});
