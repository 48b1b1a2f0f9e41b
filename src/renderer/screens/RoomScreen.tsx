import { useEffect, useState } from 'react';
import { TranscriptView } from '../components/TranscriptView';
import { useInterviewActions } from '../interview/actions-context';
import { useConnectionStore } from '../stores/connection-store';
import { useInterviewStore } from '../stores/interview-store';

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
  const now = useNow();
  if (startedAt === null || deadlineAt === null) return null;
  const remaining = deadlineAt - now;
  return (
    <p className={`clock ${remaining < 120_000 ? 'closing' : ''}`} aria-label={`Elapsed ${formatClock(now - startedAt)}, remaining ${formatClock(remaining)}`}>
      <span>{formatClock(now - startedAt)}</span>
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

export default function RoomScreen() {
  const actions = useInterviewActions();
  const phase = useInterviewStore((store) => store.phase);
  const position = useInterviewStore((store) => store.launch?.position.title);
  const status = useConnectionStore((store) => store.status);
  const [confirming, setConfirming] = useState(false);
  return (
    <main className="room" data-screen="room">
      <header className="room-header">
        <div>
          <h1>Interview{position ? `: ${position}` : ''}</h1>
          <Clock />
        </div>
        <ConnectionBadge />
      </header>
      <SpeakingIndicator />
      {status === 'reconnecting' && (
        <p className="banner" role="status" data-testid="reconnecting">
          Reconnecting… Your transcript is safe. Please wait; the interviewer will continue where you left off.
        </p>
      )}
      <TranscriptView />
      <footer className="room-footer">
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
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              No, continue
            </button>
          </div>
        ) : (
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            I have finished
          </button>
        )}
      </footer>
    </main>
  );
}
