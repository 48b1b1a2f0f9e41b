// The proctor's page: sign in, today's interviews with their real state, the seat's devices with
// what to do, the proctor's own device check, and the PIN to quit. Each view puts focus on its heading.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { SeatStatus } from '../../shared/domain/devices';
import type { ProctorOperations, ProctorStatus, ScheduledInterview } from '../../shared/domain/proctor';
import type { SyncState } from '../../shared/domain/sync';
import type { AppInfo } from '../../shared/ipc-contract';
import type { KioskApi } from '../../shared/kiosk-api';
import { messageOf } from '../error-fields';
import { formatSyncLine, interviewState, lockoutText, rowAction, seatLines, seatLinkLine, seatScreenText, SUCCESS_MESSAGE_MS, viewFromHash, type ProctorView } from './proctor-view';

type Message = { kind: 'success' | 'error' | 'info'; text: string } | null;

const VIEWS: Array<{ view: ProctorView; label: string }> = [
  { view: 'sign-in', label: 'Sign in' },
  { view: 'interviews', label: 'Interviews' },
  { view: 'device-check', label: 'Device check' },
  { view: 'quit', label: 'Quit' },
];

function useHashView(): ProctorView {
  const [view, setView] = useState(() => viewFromHash(location.hash));
  useEffect(() => {
    const changed = () => setView(viewFromHash(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return view;
}

/** Success clears itself; an error stays until the next action. */
function useMessage(): [Message, (message: Message) => void] {
  const [message, setMessage] = useState<Message>(null);
  useEffect(() => {
    if (message?.kind !== 'success') return;
    const timer = setTimeout(() => setMessage(null), SUCCESS_MESSAGE_MS);
    return () => clearTimeout(timer);
  }, [message]);
  return [message, setMessage];
}

function Heading({ children }: { children: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function ProctorApp({ kiosk }: { kiosk: KioskApi }) {
  const view = useHashView();
  const [status, setStatus] = useState<ProctorStatus | null>(null);
  const [sync, setSync] = useState<SyncState | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [message, setMessage] = useMessage();

  const readStatus = useCallback(() => {
    void kiosk.proctor.status().then(setStatus, (error: unknown) => setMessage({ kind: 'error', text: messageOf(error) }));
  }, [kiosk, setMessage]);

  useEffect(() => {
    readStatus();
    void kiosk.sync.status().then(setSync, () => undefined);
    void kiosk.app.info().then(setInfo, () => undefined);
    // The event names nobody: each page asks for its own status (the sign-in belongs to one page).
    const offStatus = kiosk.on('proctor.status', () => readStatus());
    const offSync = kiosk.on('sync.state', setSync);
    return () => {
      offStatus();
      offSync();
    };
  }, [kiosk, readStatus]);

  useEffect(() => setMessage(null), [view, setMessage]);

  // In the browser host the kiosk is a terminal's process: quitting is Ctrl+C there, not a button here.
  const canQuit = info?.shell !== 'browser-host';
  const views = VIEWS.filter((entry) => entry.view !== 'quit' || canQuit);

  return (
    <>
      <header className="proctor-header">
        <p className="brand">Proctor</p>
        <p className="who" data-testid="proctor-status" aria-live="polite">
          {status === null ? 'Connecting…' : status.signedIn ? `Signed in as ${status.email}` : 'Not signed in'}
        </p>
        <nav aria-label="Proctor">
          <ul>
            {views.map((entry) => (
              <li key={entry.view}>
                <a href={`#${entry.view}`} aria-current={entry.view === view ? 'page' : undefined}>
                  {entry.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main data-view={view}>
        {view === 'sign-in' && <SignIn kiosk={kiosk} status={status} onStatus={setStatus} say={setMessage} />}
        {view === 'interviews' && <Interviews kiosk={kiosk} status={status} say={setMessage} closeAfterStart={info?.shell === 'electron'} />}
        {view === 'device-check' && <DeviceCheck />}
        {view === 'quit' && (canQuit ? <Quit kiosk={kiosk} say={setMessage} /> : <BrowserQuit />)}
        <div aria-live="polite">
          {message && (
            <p className={`message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="proctor-message">
              {message.text}
            </p>
          )}
        </div>
        {sync && (
          <p className="sync" data-testid="proctor-sync">
            {formatSyncLine(sync)}
          </p>
        )}
      </main>
    </>
  );
}

type Say = (message: Message) => void;

function SignIn({ kiosk, status, onStatus, say }: { kiosk: KioskApi; status: ProctorStatus | null; onStatus: (status: ProctorStatus) => void; say: Say }) {
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    try {
      onStatus(await kiosk.proctor.signIn({ email: String(data.get('email')), password: String(data.get('password')) }));
      form.reset();
      location.hash = '#interviews';
    } catch (error) {
      say({ kind: 'error', text: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel">
      <Heading>Sign in</Heading>
      {status?.signedIn ? (
        <div className="row-actions">
          <p>You are signed in as {status.email}.</p>
          <button type="button" className="secondary" onClick={() => void kiosk.proctor.signOut().then(onStatus)}>
            Sign out
          </button>
        </div>
      ) : (
        <form onSubmit={(event) => void submit(event)} aria-label="Proctor sign-in">
          <label>
            Email <input name="email" type="email" autoComplete="username" required />
          </label>
          <label>
            Password <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      )}
    </section>
  );
}

function Interviews({ kiosk, status, say, closeAfterStart }: { kiosk: KioskApi; status: ProctorStatus | null; say: Say; closeAfterStart: boolean }) {
  const [interviews, setInterviews] = useState<ScheduledInterview[] | null>(null);
  const [startingId, setStartingId] = useState<string | null>(null);
  const [seat, setSeat] = useState<SeatStatus | null>(null);
  const signedIn = status?.signedIn ?? false;
  const activeId = status?.activeInterviewSessionId ?? null;

  const load = useCallback(
    () =>
      kiosk.proctor.listInterviews().then(
        ({ interviews: listed }) => setInterviews(listed),
        (error: unknown) => say({ kind: 'error', text: messageOf(error) }),
      ),
    [kiosk, say],
  );

  // Again whenever an interview starts or ends here, so every row shows its state as stored now.
  useEffect(() => {
    if (signedIn) void load();
  }, [signedIn, activeId, load]);

  useEffect(() => {
    void kiosk.proctor.seat().then(setSeat, () => undefined);
    return kiosk.on('proctor.seat', setSeat);
  }, [kiosk]);

  const start = async (interview: ScheduledInterview) => {
    setStartingId(interview.id);
    try {
      await kiosk.proctor.startInterview({ interviewSessionId: interview.id });
      say({ kind: 'success', text: `The interview with ${interview.candidateName} is starting on the kiosk.` });
      // The desktop proctor window sits above the kiosk's: it gets out of the candidate's way (the tray
      // opens it again, still signed in). A browser tab stays open beside the kiosk.
      if (closeAfterStart) window.close();
      await load();
    } catch (error) {
      say({ kind: 'error', text: messageOf(error) });
    } finally {
      setStartingId(null);
    }
  };

  const end = async () => {
    if (!confirm('End the running interview now?')) return;
    try {
      const { ending } = await kiosk.proctor.endInterview();
      say(ending ? { kind: 'success', text: 'The interview is ending.' } : { kind: 'info', text: 'No interview is running.' });
    } catch (error) {
      say({ kind: 'error', text: messageOf(error) });
    }
  };

  return (
    <>
      <section>
        <div className="row-actions spread">
          <Heading>Today's interviews</Heading>
          <div className="row-actions">
            <button type="button" className="secondary" disabled={!signedIn} onClick={() => void load()}>
              Refresh
            </button>
            {activeId !== null && signedIn && (
              <button type="button" className="danger" onClick={() => void end()}>
                End the running interview
              </button>
            )}
          </div>
        </div>
        {!signedIn ? (
          <p className="muted">
            Sign in to see and start today's interviews. <a href="#sign-in">Sign in</a>
          </p>
        ) : (
          <>
          {activeId !== null && <p className="muted">An interview is running on this kiosk: end it before starting another.</p>}
          <ul className="interviews" data-testid="interview-list">
            {interviews?.length === 0 && <li>No interviews scheduled today.</li>}
            {interviews?.map((interview) => {
              const state = interviewState(interview);
              const action = rowAction(interview, activeId, startingId);
              return (
                <li key={interview.id} data-interview={interview.id} data-candidate={interview.candidateName}>
                  <span>
                    <span className="when">{new Date(interview.scheduledAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</span>
                    <strong>{interview.candidateName}</strong> · {interview.positionTitle}
                    <span className={`state ${state.tone}`} data-testid="interview-state">
                      {state.label}
                    </span>
                    {action.reason && activeId === interview.id && <span className="reason">{action.reason}</span>}
                  </span>
                  {action.label && (
                    <button
                      type="button"
                      disabled={action.disabled}
                      title={action.reason ?? undefined}
                      onClick={() => void start(interview)}
                      aria-label={`${action.label} the interview with ${interview.candidateName}`}
                    >
                      {action.label}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          </>
        )}
      </section>
      {signedIn && activeId !== null && (
        <RunningInterview kiosk={kiosk} interviewSessionId={activeId} candidateName={interviews?.find((row) => row.id === activeId)?.candidateName ?? null} say={say} />
      )}
      <Seat seat={seat} running={activeId !== null} />
    </>
  );
}

const EXTRA_MINUTES = [5, 10, 15, 30] as const;

/** The proctor's operations on the running interview; each lands in its session log. */
function RunningInterview({ kiosk, interviewSessionId, candidateName, say }: { kiosk: KioskApi; interviewSessionId: string; candidateName: string | null; say: Say }) {
  const [ops, setOps] = useState<ProctorOperations | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [minutes, setMinutes] = useState<number>(10);
  useEffect(() => {
    void kiosk.proctor.operations().then(setOps, () => undefined);
    return kiosk.on('proctor.operations', setOps);
  }, [kiosk]);
  const current = ops?.interviewSessionId === interviewSessionId ? ops : null;
  const act = async (work: () => Promise<unknown>, success: string) => {
    setBusy(true);
    try {
      await work();
      say({ kind: 'success', text: success });
      return true;
    } catch (error) {
      say({ kind: 'error', text: messageOf(error) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const paused = current?.paused ?? false;
  return (
    <section className="panel" aria-labelledby="running-heading" data-testid="running-interview">
      <h2 id="running-heading">Running interview{candidateName ? ` with ${candidateName}` : ''}</h2>
      <p className="muted" data-testid="operations-summary">
        {paused ? 'On a break: the clock is stopped and the microphone is off.' : 'In progress.'}
        {current && current.extraMinutes > 0 ? ` Extra time granted: ${current.extraMinutes} min.` : ''}
        {current && current.incidents > 0 ? ` Incident notes: ${current.incidents}.` : ''}
      </p>
      <div className="operations">
        <div className="row-actions">
          {current?.identityConfirmed ? (
            <span className="state success">identity confirmed</span>
          ) : (
            <button
              type="button"
              className="secondary"
              disabled={busy || candidateName === null}
              onClick={() => void act(() => kiosk.proctor.confirmIdentity({ interviewSessionId, candidateName: candidateName! }), 'Identity confirmed and logged.')}
            >
              Confirm the candidate is {candidateName ?? '…'}
            </button>
          )}
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void act(() => (paused ? kiosk.proctor.resume() : kiosk.proctor.pause()), paused ? 'The interview resumes.' : 'The interview is on a break.')}
          >
            {paused ? 'Resume the interview' : 'Pause for a break'}
          </button>
        </div>
        <div className="row-actions">
          <label className="inline">
            Extra time{' '}
            <select value={minutes} onChange={(event) => setMinutes(Number(event.target.value))}>
              {EXTRA_MINUTES.map((value) => (
                <option key={value} value={value}>
                  {value} min
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" disabled={busy} onClick={() => void act(() => kiosk.proctor.extraTime({ minutes }), `${minutes} minutes of extra time granted.`)}>
            Grant extra time
          </button>
        </div>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => kiosk.proctor.incident({ note }), 'The incident note is in the session log.').then((done) => done && setNote(''));
          }}
        >
          <label>
            Incident note
            <textarea value={note} onChange={(event) => setNote(event.target.value)} rows={2} maxLength={4_000} required />
          </label>
          <button type="submit" className="secondary" disabled={busy || note.trim() === ''}>
            Add to the session log
          </button>
        </form>
      </div>
    </section>
  );
}

function Seat({ seat, running }: { seat: SeatStatus | null; running: boolean }) {
  return (
    <section className="panel" aria-labelledby="seat-heading" data-testid="proctor-seat">
      <h2 id="seat-heading">The candidate's seat</h2>
      {seat === null ? (
        <p className="muted">
          {running ? 'The kiosk window has not reported the candidate’s microphone and camera yet.' : 'No interview is running on this kiosk.'}
        </p>
      ) : (
        <>
        {seatScreenText(seat) && <p data-testid="seat-screen">{seatScreenText(seat)}</p>}
        <ul className="seat-lines">
          {[...seatLines(seat), ...(seatLinkLine(seat) ? [seatLinkLine(seat)!] : [])].map((line) => (
            <li key={line.device} className={line.tone} data-device={line.device.toLowerCase()} data-state={line.state}>
              <strong>{line.device}</strong>: {line.text}
              {line.advice && <p className="advice">{line.advice}</p>}
            </li>
          ))}
        </ul>
        </>
      )}
    </section>
  );
}

function DeviceCheck() {
  const video = useRef<HTMLVideoElement>(null);
  const [level, setLevel] = useState(0);
  const [result, setResult] = useState<string>('');
  const [running, setRunning] = useState(false);

  const check = async () => {
    setRunning(true);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      if (video.current) video.current.srcObject = stream;
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      context.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      let peak = 0;
      const started = performance.now();
      setResult('Speak for a few seconds…');
      const tick = () => {
        analyser.getFloatTimeDomainData(samples);
        const now = Math.min(1, Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length) * 4);
        peak = Math.max(peak, now);
        setLevel(now);
        if (performance.now() - started < 5_000) requestAnimationFrame(tick);
        else {
          setResult(`Camera: ${stream.getVideoTracks()[0]?.label ?? 'none'} · Microphone: ${peak > 0.02 ? 'hears sound' : 'silent — check the microphone'}`);
          stream.getTracks().forEach((track) => track.stop());
          void context.close();
          setRunning(false);
        }
      };
      tick();
    } catch (error) {
      setResult(`Device check failed: ${messageOf(error)}`);
      setRunning(false);
    }
  };

  return (
    <section className="panel">
      <Heading>Device check</Heading>
      <p className="muted">Checks this machine's camera and microphone before a candidate sits down.</p>
      <video ref={video} autoPlay muted playsInline aria-label="Camera picture" />
      <meter min={0} max={1} value={level} aria-label="Microphone level" />
      <p aria-live="polite">{result}</p>
      <button type="button" disabled={running} onClick={() => void check()}>
        Check camera and microphone
      </button>
    </section>
  );
}

function Quit({ kiosk, say }: { kiosk: KioskApi; say: Say }) {
  const [lockedForMs, setLockedForMs] = useState(0);
  const [busy, setBusy] = useState(false);
  const readLockout = useCallback(() => {
    void kiosk.proctor.pinLockout().then(({ lockedForMs: ms }) => setLockedForMs(ms), () => undefined);
  }, [kiosk]);
  useEffect(readLockout, [readLockout]);
  useEffect(() => {
    if (lockedForMs <= 0) return;
    const timer = setTimeout(() => setLockedForMs((ms) => Math.max(0, ms - 1_000)), Math.min(1_000, lockedForMs));
    return () => clearTimeout(timer);
  }, [lockedForMs]);
  const lockout = lockoutText(lockedForMs);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const pin = String(new FormData(form).get('pin'));
    setBusy(true);
    try {
      await kiosk.proctor.quit({ pin });
      say({ kind: 'success', text: 'The kiosk is closing.' });
    } catch (error) {
      say({ kind: 'error', text: messageOf(error) });
      readLockout();
    } finally {
      setBusy(false);
      form.reset();
    }
  };
  return (
    <section className="panel">
      <Heading>Quit the kiosk</Heading>
      <form onSubmit={(event) => void submit(event)} aria-label="Quit the kiosk">
        <label>
          Proctor PIN{' '}
          <input
            name="pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            minLength={6}
            maxLength={64}
            pattern="[0-9]{6,64}"
            title="The proctor PIN is 6 or more digits."
            required
            aria-describedby={lockout ? 'pin-lockout' : undefined}
          />
        </label>
        {lockout && (
          <p id="pin-lockout" className="message error" data-testid="pin-lockout">
            {lockout}
          </p>
        )}
        <button type="submit" disabled={busy || lockout !== null}>
          {busy ? 'Checking…' : 'Quit'}
        </button>
      </form>
    </section>
  );
}

function BrowserQuit() {
  return (
    <section className="panel">
      <Heading>Quit the kiosk</Heading>
      <p>
        This kiosk runs in browser mode: stop it with <kbd>Ctrl</kbd>+<kbd>C</kbd> in the terminal where <code>npm start</code> runs. The desktop
        kiosk asks for the proctor PIN here.
      </p>
    </section>
  );
}
