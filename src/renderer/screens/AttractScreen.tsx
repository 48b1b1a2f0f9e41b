import { useEffect, useRef } from 'react';
import type { AppInfo } from '../../shared/ipc-contract';
import { useInterviewStore } from '../stores/interview-store';

export function AttractScreen({ info }: { info: AppInfo }) {
  const organisation = useInterviewStore((store) => store.config?.branding.organisationName);
  const logo = useInterviewStore((store) => store.config?.branding.logoDataUrl);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="attract" data-screen="idle">
      {logo && <img className="logo" src={logo} alt={organisation ? `${organisation} logo` : 'Logo'} />}
      <h1 ref={heading} tabIndex={-1}>
        Interview kiosk
      </h1>
      {organisation && <p className="lead">{organisation}</p>}
      <p className="lead" aria-live="polite">
        Please wait here. Your proctor will start your interview in a moment.
      </p>
      <p className="muted small" data-testid="app-info">
        Version {info.version} · {info.platform} · {info.shell}
      </p>
    </main>
  );
}
