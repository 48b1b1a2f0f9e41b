import { useInterviewStore } from '../stores/interview-store';

/** A problem in plain words, announced to screen readers, with what happens next. */
export function ErrorNotice() {
  const error = useInterviewStore((store) => store.error);
  if (!error) return null;
  return (
    <section className="notice" role="alert" aria-labelledby="notice-title">
      <h2 id="notice-title">{error.title}</h2>
      <p>{error.message}</p>
      <p className="muted">{error.next}</p>
    </section>
  );
}

/** Covers the screen while main has paused the kiosk; the interview resumes when it lifts. */
export function PausedNotice() {
  const paused = useInterviewStore((store) => store.paused);
  const onBreak = useInterviewStore((store) => store.onBreak);
  if (!paused && onBreak) {
    return (
      <div className="paused-overlay" role="alertdialog" aria-modal="true" aria-labelledby="paused-title" data-testid="proctor-break">
        <h2 id="paused-title">A short break</h2>
        <p>Your proctor has paused the interview. The clock is stopped and your microphone is off; the interview carries on when they resume it.</p>
      </div>
    );
  }
  if (!paused) return null;
  return (
    <div className="paused-overlay" role="alertdialog" aria-modal="true" aria-labelledby="paused-title">
      <h2 id="paused-title">The interview is paused</h2>
      <p>Please stay where you are. The proctor has been told and will help you in a moment.</p>
    </div>
  );
}
