// The proctor window: sign in, list and start today's interviews, device check, PIN to quit. It talks
// to main only through `window.kiosk`, like the kiosk window; tokens never reach this page.
import type { KioskApi } from '../../shared/kiosk-api';
import { messageOf } from '../error-fields';
import { connectKiosk } from '../kiosk-client';
import { formatSyncLine, viewFromHash, type ProctorView } from './proctor-view';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function say(message: string) {
  $('message').textContent = message;
}

async function main() {
  const kiosk: KioskApi = await connectKiosk();
  // One interview at a time: while one runs, only its own button (Resume) stays usable.
  let activeInterviewId: string | null = null;
  const startButtons = new Map<string, { button: HTMLButtonElement; startable: boolean }>();
  const refreshStartButtons = () => {
    for (const [id, { button, startable }] of startButtons) {
      const blocked = activeInterviewId !== null && activeInterviewId !== id;
      button.disabled = !startable || blocked;
      button.title = blocked ? 'Another interview is running on this kiosk; end it first.' : '';
    }
  };

  const showStatus = (status: Awaited<ReturnType<KioskApi['proctor']['status']>>) => {
    $('status').textContent = status.signedIn ? `Signed in as ${status.email}` : 'Not signed in';
    $('sign-out').hidden = !status.signedIn;
    $('sign-in-form').hidden = status.signedIn;
    $('end-interview').hidden = status.activeInterviewSessionId === null;
    activeInterviewId = status.activeInterviewSessionId;
    refreshStartButtons();
  };
  const showSync = (state: Awaited<ReturnType<KioskApi['sync']['status']>>) => {
    $('sync').textContent = formatSyncLine(state);
  };

  function show(view: ProctorView) {
    for (const name of ['sign-in', 'interviews', 'device-check', 'quit'] as const) $(`view-${name}`).hidden = name !== view;
    say('');
    if (view === 'interviews') void loadInterviews();
  }

  async function loadInterviews() {
    const list = $('interview-list');
    list.replaceChildren();
    startButtons.clear();
    try {
      const { interviews } = await kiosk.proctor.listInterviews();
      if (interviews.length === 0) list.append(Object.assign(document.createElement('li'), { textContent: 'No interviews scheduled today.' }));
      for (const interview of interviews) {
        const item = document.createElement('li');
        const label = document.createElement('span');
        label.textContent = `${new Date(interview.scheduledAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} · ${interview.candidateName} · ${interview.positionTitle} (${interview.status.replace('_', ' ')})`;
        const start = document.createElement('button');
        start.type = 'button';
        start.textContent = interview.status === 'in_progress' ? 'Resume' : 'Start';
        startButtons.set(interview.id, { button: start, startable: interview.status === 'scheduled' || interview.status === 'in_progress' });
        start.addEventListener('click', async () => {
          start.disabled = true;
          try {
            await kiosk.proctor.startInterview({ interviewSessionId: interview.id });
            say(`The interview with ${interview.candidateName} is starting on the kiosk.`);
            // In the desktop app this is the proctor's own window; a browser tab simply stays open.
            window.close();
          } catch (error) {
            say(messageOf(error));
            refreshStartButtons();
          }
        });
        item.append(label, start);
        list.append(item);
      }
      refreshStartButtons();
    } catch (error) {
      say(messageOf(error));
    }
  }

  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      showStatus(await kiosk.proctor.signIn({ email: String(form.get('email')), password: String(form.get('password')) }));
      (event.target as HTMLFormElement).reset();
      location.hash = '#interviews';
    } catch (error) {
      say(messageOf(error));
    }
  });
  $('sign-out').addEventListener('click', async () => showStatus(await kiosk.proctor.signOut()));
  $('refresh-interviews').addEventListener('click', () => void loadInterviews());
  $('end-interview').addEventListener('click', async () => {
    if (!confirm('End the running interview now?')) return;
    const { ending } = await kiosk.proctor.endInterview();
    say(ending ? 'The interview is ending.' : 'No interview is running.');
  });
  $('quit-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      await kiosk.proctor.quit({ pin: String(form.get('pin')) });
      say('Quitting…');
    } catch (error) {
      say(messageOf(error));
    }
    (event.target as HTMLFormElement).reset();
  });
  $('start-check').addEventListener('click', () => void deviceCheck());

  async function deviceCheck() {
    const result = $('device-result');
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      $<HTMLVideoElement>('camera').srcObject = stream;
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      context.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      let peak = 0;
      const started = performance.now();
      const tick = () => {
        analyser.getFloatTimeDomainData(samples);
        const level = Math.min(1, Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length) * 4);
        peak = Math.max(peak, level);
        $<HTMLMeterElement>('mic-level').value = level;
        if (performance.now() - started < 5_000) requestAnimationFrame(tick);
        else {
          result.textContent = `Camera: ${stream.getVideoTracks()[0]?.label ?? 'none'} · Microphone: ${peak > 0.02 ? 'hears sound' : 'silent — check the microphone'}`;
          stream.getTracks().forEach((track) => track.stop());
          void context.close();
        }
      };
      result.textContent = 'Speak for a few seconds…';
      tick();
    } catch (error) {
      result.textContent = `Device check failed: ${messageOf(error)}`;
    }
  }

  kiosk.on('proctor.status', showStatus);
  kiosk.on('sync.state', showSync);
  window.addEventListener('hashchange', () => show(viewFromHash(location.hash)));
  showStatus(await kiosk.proctor.status());
  showSync(await kiosk.sync.status());
  show(viewFromHash(location.hash));
}

main().catch((error) => {
  $('status').textContent = `The proctor window could not start: ${messageOf(error)}`;
});
