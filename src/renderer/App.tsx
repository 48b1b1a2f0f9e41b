import { useAppStore } from './stores/app-store';

export function App() {
  const state = useAppStore((store) => store.state);
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
    <main>
      <h1>Interview kiosk</h1>
      <p className="muted" data-testid="app-info">
        Version {state.info.version} · {state.info.platform} · {state.info.shell}
      </p>
    </main>
  );
}
