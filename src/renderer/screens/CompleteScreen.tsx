import { useEffect, useRef } from 'react';
import { useInterviewStore } from '../stores/interview-store';
import { useTranscriptStore } from '../stores/transcript-store';

const closing: Record<string, string> = {
  completed: 'Thank you — your interview is complete.',
  time_limit: 'Time is up — thank you, your interview is complete.',
  proctor: 'Your proctor has ended the interview. Thank you.',
  candidate_left: 'The interview did not go ahead. Thank you for your time.',
  error: 'The interview had to stop early. Thank you for your patience.',
};

export default function CompleteScreen() {
  const reason = useInterviewStore((store) => store.endReason);
  const queued = useInterviewStore((store) => store.finishQueued);
  const unsaved = useTranscriptStore((store) => store.unsaved);
  const lastSeq = useInterviewStore((store) => store.lastSeq);
  const roomStartedAt = useInterviewStore((store) => store.roomStartedAt);
  // Declined at consent, or stopped before the room opened with nothing saved from an earlier run:
  // there is nothing to have saved, and saying so would be untrue.
  const nothingRecorded = roomStartedAt === null && (lastSeq ?? -1) < 0;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="complete" data-screen="complete">
      <h1 ref={heading} tabIndex={-1}>
        {closing[reason ?? 'completed']}
      </h1>
      <p className="lead" data-testid="completion-status">
        {nothingRecorded
          ? 'Nothing was recorded.'
          : queued && unsaved === 0
            ? 'Everything you said has been saved.'
            : 'Your answers are kept safely on this kiosk and will be sent shortly.'}
      </p>
      <p className="muted">You may now leave the room. Please let the proctor know you have finished.</p>
    </main>
  );
}
