import { useEffect, useRef, useState } from 'react';
import { isCompleteTurn, TranscriptView } from '../components/TranscriptView';
import { useInterviewActions } from '../interview/actions-context';
import { useConnectionStore } from '../stores/connection-store';
import { elapsedMs, remainingMs } from '../../shared/domain/interview-clock';
import { useInterviewStore } from '../stores/interview-store';
import { useTranscriptStore } from '../stores/transcript-store';

/**
 * How long the room stays quiet after an interviewer's completed turn before it points the candidate
 * at "I have finished": longer than a pause between sentences, short enough that the end of the
 * script is never met with silence.
 */
export const CLOSING_PROMPT_AFTER_MS = 6_000;

function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function Clock() {
  const startedAt = useInterviewStore((store) => store.roomStartedAt);
  const deadlineAt = useInterviewStore((store) => store.deadlineAt);
  const clock = useInterviewStore((store) => store.clock);
  const now = useNow();
  if (startedAt === null || deadlineAt === null) return null;
  // The clock module stops for the proctor's breaks and counts extra time.
  const remaining = clock ? remainingMs(clock, now) : deadlineAt - now;
  const elapsed = clock ? elapsedMs(clock, now) : now - startedAt;
  return (
    <p className={`clock ${remaining < 120_000 ? 'closing' : ''}`} role="timer" aria-label={`Elapsed ${formatClock(elapsed)}, remaining ${formatClock(remaining)}`}>
      <span>{formatClock(elapsed)}</span>
      <span className="muted"> elapsed · </span>
      <span>{formatClock(remaining)}</span>
      <span className="muted"> left</span>
    </p>
  );
}

function SpeakingIndicator() {
  const interviewer = useConnectionStore((store) => store.interviewerSpeaking);
  const candidate = useConnectionStore((store) => store.candidateSpeaking);
  const status = useConnectionStore((store) => store.status);
  const label = status !== 'live' ? 'Waiting for the interviewer' : interviewer ? 'The interviewer is speaking' : candidate ? 'Listening to you' : 'Listening';
  return (
    <div className={`speaking ${interviewer ? 'interviewer' : candidate ? 'candidate' : 'idle'}`} role="status" data-testid="speaking-indicator">
      <span className="pulse" aria-hidden="true" />
      {label}
    </div>
  );
}

function ConnectionBadge() {
  const status = useConnectionStore((store) => store.status);
  const attempt = useConnectionStore((store) => store.attempt);
  const roundTripMs = useConnectionStore((store) => store.roundTripMs);
  const text =
    status === 'live'
      ? roundTripMs !== null && roundTripMs > 400
        ? 'Connection slow'
        : 'Connected'
      : status === 'reconnecting'
        ? `Reconnecting… (try ${attempt})`
        : status === 'connecting'
          ? 'Connecting…'
          : status === 'failed'
            ? 'Disconnected'
            : 'Ending';
  return (
    <span className={`badge ${status}`} data-testid="connection-badge" data-status={status}>
      {text}
    </span>
  );
}

/**
 * Identifies the moment the room went quiet after the interviewer completed a turn (null while anyone
 * speaks, the call is not live, or the candidate has the last word). Any change restarts the wait.
 */
function useQuietAfterInterviewer(): string | null {
  const last = useTranscriptStore((store) => store.turns.at(-1));
  const interviewer = useConnectionStore((store) => store.interviewerSpeaking);
  const candidate = useConnectionStore((store) => store.candidateSpeaking);
  const status = useConnectionStore((store) => store.status);
  if (!last || last.speaker !== 'interviewer' || !isCompleteTurn(last.state)) return null;
  if (interviewer || candidate || status !== 'live') return null;
  return `${last.itemId}:${last.state}`;
}

export default function RoomScreen({ closingPromptAfterMs = CLOSING_PROMPT_AFTER_MS }: { closingPromptAfterMs?: number }) {
  const actions = useInterviewActions();
  const phase = useInterviewStore((store) => store.phase);
  const position = useInterviewStore((store) => store.launch?.position.title);
  const status = useConnectionStore((store) => store.status);
  const linkUnstable = useConnectionStore((store) => store.linkUnstable);
  const [confirming, setConfirming] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const finish = useRef<HTMLButtonElement>(null);
  const keepGoing = useRef<HTMLButtonElement>(null);
  useEffect(() => heading.current?.focus(), []);

  // The kiosk cannot tell a closing line from a question, so after a quiet spell it offers both ways on.
  const quiet = useQuietAfterInterviewer();
  const [quietFor, setQuietFor] = useState<string | null>(null);
  useEffect(() => {
    if (quiet === null) return;
    const timer = setTimeout(() => setQuietFor(quiet), closingPromptAfterMs);
    return () => clearTimeout(timer);
  }, [quiet, closingPromptAfterMs]);
  const prompting = phase === 'room' && !confirming && quiet !== null && quietFor === quiet;
  useEffect(() => {
    if (prompting) finish.current?.focus();
  }, [prompting]);
  // The confirm buttons replace "I have finished" and back: keep keyboard focus on what is there.
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) keepGoing.current?.focus();
    else if (wasConfirming.current) finish.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  return (
    <main className="room" data-screen="room">
      <header className="room-header">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            Interview{position ? `: ${position}` : ''}
          </h1>
          <Clock />
        </div>
        <ConnectionBadge />
      </header>
      <SpeakingIndicator />
      {status === 'reconnecting' ? (
        <p className="banner" role="status" data-testid="reconnecting">
          Reconnecting… Your transcript is safe. Please wait; the interviewer will continue where you left off.
        </p>
      ) : (
        linkUnstable &&
        status === 'live' && (
          <p className="banner" role="status" data-testid="link-unstable">
            The connection is unstable. You do not need to do anything; if the interviewer stops, wait a moment.
          </p>
        )
      )}
      <TranscriptView />
      <footer className="room-footer">
        {prompting && (
          <p className="closing-prompt" role="status" data-testid="closing-prompt">
            If the interviewer has finished, press “I have finished”. If you still want to answer, just speak.
          </p>
        )}
        {phase === 'ending' ? (
          <p className="muted" role="status">
            Saving your interview…
          </p>
        ) : confirming ? (
          <div className="actions" role="group" aria-label="Confirm finishing">
            <span>Finish the interview now?</span>
            <button type="button" onClick={() => actions.finishInterview()}>
              Yes, I am done
            </button>
            <button ref={keepGoing} type="button" className="secondary" onClick={() => setConfirming(false)}>
              No, continue
            </button>
          </div>
        ) : (
          <button ref={finish} type="button" className={prompting ? 'primary' : 'secondary'} onClick={() => setConfirming(true)}>
            I have finished
          </button>
        )}
      </footer>
    </main>
  );
}
