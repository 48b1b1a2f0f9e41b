import { useEffect, useRef } from 'react';
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

/**
 * Takes focus while it covers the screen (so a screen reader reads it and no key reaches the room
 * behind it) and gives it back to where it was when it lifts.
 */
function Overlay({ title, children, testId }: { title: string; children: string; testId?: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => before?.focus();
  }, []);
  return (
    <div className="paused-overlay" role="alertdialog" aria-modal="true" aria-labelledby="paused-title" data-testid={testId}>
      <h2 id="paused-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p>{children}</p>
    </div>
  );
}

/** Covers the screen while main has paused the kiosk, or the proctor called a break; the interview resumes when it lifts. */
export function PausedNotice() {
  const paused = useInterviewStore((store) => store.paused);
  const onBreak = useInterviewStore((store) => store.onBreak);
  if (paused) return <Overlay title="The interview is paused">Please stay where you are. The proctor has been told and will help you in a moment.</Overlay>;
  if (onBreak) {
    return (
      <Overlay title="A short break" testId="proctor-break">
        Your proctor has paused the interview. The clock is stopped and your microphone is off; the interview carries on when they resume it.
      </Overlay>
    );
  }
  return null;
}
