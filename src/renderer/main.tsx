import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadScreens } from './App';
import { ActionsContext } from './interview/actions-context';
import { InterviewController } from './interview/interview-controller';
import { connectKiosk } from './kiosk-client';
import { useAppStore } from './stores/app-store';
import type { InterviewActions } from './interview/interview-controller';
import { preconnectIdleMsFrom } from './realtime/call-preconnect';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

let controller: InterviewController | null = null;
// Screens only act once the bridge is up; until then the app shows "Starting the kiosk…".
const actions: InterviewActions = {
  acceptConsent: () => controller?.acceptConsent(),
  declineConsent: () => controller?.declineConsent(),
  startInterview: () => controller?.startInterview(),
  confirmSpeaker: () => controller?.confirmSpeaker(),
  playSpeakerTest: () => controller?.playSpeakerTest() ?? Promise.resolve(),
  finishInterview: () => controller?.finishInterview(),
  retryDevices: () => controller?.retryDevices(),
  localMedia: () => controller?.localMedia() ?? null,
};

createRoot(root).render(
  <StrictMode>
    <ActionsContext.Provider value={actions}>
      <App />
    </ActionsContext.Provider>
  </StrictMode>,
);

connectKiosk()
  .then(async (api) => {
    useAppStore.getState().ready(await api.app.info());
    controller = new InterviewController({ kiosk: api, preconnectIdleMs: preconnectIdleMsFrom(window.location.search) });
    await controller.init();
    preloadScreens();
  })
  .catch((error: unknown) => {
    useAppStore.getState().failed(error instanceof Error ? error.message : 'The kiosk service did not answer.');
  });
