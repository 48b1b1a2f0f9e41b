import { useEffect, useRef } from 'react';
import { useInterviewActions } from '../interview/actions-context';
import { useInterviewStore } from '../stores/interview-store';

export default function ConsentScreen() {
  const actions = useInterviewActions();
  const launch = useInterviewStore((store) => store.launch);
  const organisation = useInterviewStore((store) => store.config?.branding.organisationName);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  if (!launch) return null;
  const { policies, candidate, position } = launch;
  return (
    <main className="consent" data-screen="consent">
      <h1 ref={heading} tabIndex={-1}>
        Welcome, {candidate.name}
      </h1>
      <p className="lead">
        Your interview for <strong>{position.title}</strong>
        {organisation ? ` with ${organisation}` : ''} takes up to {policies.maxDurationMinutes} minutes.
      </p>
      <section className="consent-text" aria-labelledby="consent-heading">
        <h2 id="consent-heading">Before we begin</h2>
        <div className="scroll" tabIndex={0}>
          {policies.consentText.split(/\n{2,}/).map((paragraph, index) => (
            <p key={index}>{paragraph}</p>
          ))}
        </div>
        <p className="recording-notice" data-testid="recording-notice">
          {policies.recording
            ? 'This interview is recorded: the camera and both voices are saved for the hiring team.'
            : 'This interview is not recorded on video. A written transcript of both voices is kept.'}
        </p>
      </section>
      <div className="actions">
        <button type="button" onClick={() => actions.acceptConsent()}>
          I agree, continue
        </button>
        <button type="button" className="secondary" onClick={() => actions.declineConsent()}>
          I do not agree
        </button>
      </div>
    </main>
  );
}
