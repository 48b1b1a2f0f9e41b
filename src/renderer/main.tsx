import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectKiosk, setKiosk } from './kiosk-client';
import { useAppStore } from './stores/app-store';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

connectKiosk()
  .then(async (api) => {
    setKiosk(api);
    useAppStore.getState().ready(await api.app.info());
  })
  .catch((error: unknown) => {
    useAppStore.getState().failed(error instanceof Error ? error.message : 'The kiosk service did not answer.');
  });
