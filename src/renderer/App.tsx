import { lazy, Suspense, useEffect } from 'react';
import { ErrorNotice, PausedNotice } from './components/ErrorNotice';
import { AttractScreen } from './screens/AttractScreen';
import { useAppStore } from './stores/app-store';
import { useInterviewStore } from './stores/interview-store';

// Only the waiting screen ships in the first bundle; the rest load while the proctor launches.
const ConsentScreen = lazy(() => import('./screens/ConsentScreen'));
const DeviceCheckScreen = lazy(() => import('./screens/DeviceCheckScreen'));
const RoomScreen = lazy(() => import('./screens/RoomScreen'));
const CompleteScreen = lazy(() => import('./screens/CompleteScreen'));

/** Warms the lazy screens' chunks so the first transition does not wait on a fetch. */
export function preloadScreens(): void {
  void import('./screens/ConsentScreen');
  void import('./screens/DeviceCheckScreen');
  void import('./screens/RoomScreen');
  void import('./screens/CompleteScreen');
}

export function App() {
  const state = useAppStore((store) => store.state);
  const phase = useInterviewStore((store) => store.phase);
  const accent = useInterviewStore((store) => store.config?.branding.accentColor);
  useEffect(() => {
    // The tenant's colour, set through the CSSOM (the CSP allows no inline styles).
    if (accent) document.documentElement.style.setProperty('--accent', accent);
  }, [accent]);
  if (state.status === 'connecting') {
    return (
      <main aria-busy="true">
        <p className="muted">Starting the kiosk…</p>
      </main>
    );
  }
  if (state.status === 'failed') {
    return (
      <main>
        <h1>This kiosk cannot start</h1>
        <p className="error" role="alert">
          {state.message}
        </p>
        <p className="muted">Please ask the proctor for help.</p>
      </main>
    );
  }
  return (
    <>
      <ErrorNotice />
      <PausedNotice />
      <Suspense
        fallback={
          <main aria-busy="true">
            <p className="muted">One moment…</p>
          </main>
        }
      >
        {phase === 'idle' && <AttractScreen info={state.info} />}
        {phase === 'consent' && <ConsentScreen />}
        {phase === 'device-check' && <DeviceCheckScreen />}
        {(phase === 'room' || phase === 'ending') && <RoomScreen />}
        {phase === 'complete' && <CompleteScreen />}
      </Suspense>
    </>
  );
}
