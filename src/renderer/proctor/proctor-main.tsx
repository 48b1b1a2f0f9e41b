// The proctor's page, in the kiosk's React and design. It talks to main only through `window.kiosk`,
// like the kiosk window; tokens never reach it.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { messageOf } from '../error-fields';
import { connectKiosk } from '../kiosk-client';
import { ProctorApp } from './ProctorApp';
import './proctor.css';

const root = document.getElementById('root');
if (!root) throw new Error('proctor/index.html has no #root element');

connectKiosk()
  .then((kiosk) =>
    createRoot(root).render(
      <StrictMode>
        <ProctorApp kiosk={kiosk} />
      </StrictMode>,
    ),
  )
  .catch((error: unknown) => {
    root.textContent = `The proctor window could not start: ${messageOf(error)}`;
  });
