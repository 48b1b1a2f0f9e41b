// The review console's entry: reads where its backend is from config.json next to the page (written
// by whoever serves it: `npm start` locally, the deployment otherwise), then renders.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { consoleConfigSchema, createReviewApi } from './review-api';
import './review.css';

const root = createRoot(document.getElementById('root')!);

async function boot() {
  const response = await fetch('./config.json', { cache: 'no-store' });
  const config = consoleConfigSchema.parse(await response.json());
  root.render(
    <StrictMode>
      <App api={createReviewApi(config)} />
    </StrictMode>,
  );
}

boot().catch(() => {
  root.render(
    <main className="sign-in">
      <h1>Review console</h1>
      <p className="error" role="alert">
        The console is not configured: config.json is missing or invalid.
      </p>
    </main>,
  );
});
