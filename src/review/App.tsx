import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ReviewApiError, type InterviewList, type ListFilters, type ReviewApi } from './review-api';
import { InterviewScreen } from './InterviewScreen';
import { outcomeLabel, useFocusHeading, when } from './ui';

type Route = { screen: 'list' } | { screen: 'interview'; id: string };

function routeFromHash(hash: string): Route {
  const match = /^#\/interview\/([0-9a-f-]{36})$/i.exec(hash);
  return match ? { screen: 'interview', id: match[1]! } : { screen: 'list' };
}

export function App({ api }: { api: ReviewApi }) {
  const [email, setEmail] = useState<string | null | undefined>(undefined);
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));

  useEffect(() => {
    void api.currentEmail().then(setEmail);
    const onHash = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [api]);

  const signOut = useCallback(async () => {
    await api.signOut();
    setEmail(null);
  }, [api]);

  /** An expired or refused session sends the reviewer back to sign in rather than showing an empty page. */
  const onAuthError = useCallback(
    (error: unknown) => {
      if (error instanceof ReviewApiError && error.status === 401) void signOut();
    },
    [signOut],
  );

  if (email === undefined) return <p className="loading">Loading…</p>;
  if (email === null) return <SignInScreen api={api} onSignedIn={setEmail} />;
  return (
    <>
      <header className="console-header">
        <p className="brand">Review console</p>
        <p className="who">
          Signed in as <strong data-testid="signed-in-as">{email}</strong>
        </p>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      {route.screen === 'list' ? (
        <ListScreen api={api} onAuthError={onAuthError} />
      ) : (
        <InterviewScreen api={api} id={route.id} onAuthError={onAuthError} />
      )}
    </>
  );
}

function SignInScreen({ api, onSignedIn }: { api: ReviewApi; onSignedIn: (email: string) => void }) {
  const heading = useFocusHeading<HTMLHeadingElement>('sign-in');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await api.signIn(email, String(form.get('password') ?? ''));
      onSignedIn((await api.currentEmail()) ?? email);
    } catch (caught) {
      setError(caught instanceof ReviewApiError && caught.code === 'sign_in_failed' ? 'The e-mail or password is not right.' : 'Signing in failed: the server could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1 ref={heading} tabIndex={-1}>
        Review console
      </h1>
      <p className="muted">Sign in with your assessment centre account to review finished interviews.</p>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}

function ListScreen({ api, onAuthError }: { api: ReviewApi; onAuthError: (error: unknown) => void }) {
  const heading = useFocusHeading<HTMLHeadingElement>('list');
  const [filters, setFilters] = useState<ListFilters>({});
  const [data, setData] = useState<InterviewList | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.list(filters).then(
      (answer) => {
        if (!live) return;
        setError(null);
        setData(answer);
      },
      (caught: unknown) => {
        if (!live) return;
        onAuthError(caught);
        setError(caught instanceof Error ? caught.message : 'The interviews could not be loaded.');
      },
    );
    return () => {
      live = false;
    };
  }, [api, filters, onAuthError]);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = String(form.get(name) ?? '');
      return value === '' ? undefined : value;
    };
    setFilters({
      from: text('from'),
      to: text('to'),
      position_id: text('position'),
      review_status: text('review') as ListFilters['review_status'],
    });
  }

  return (
    <main className="list">
      <h1 ref={heading} tabIndex={-1}>
        Finished interviews
      </h1>
      <form className="filters" onSubmit={apply} aria-label="Filter the interviews">
        <label>
          From
          <input name="from" type="date" />
        </label>
        <label>
          To
          <input name="to" type="date" />
        </label>
        <label>
          Position
          <select name="position" defaultValue="">
            <option value="">All positions</option>
            {data?.positions.map((position) => (
              <option key={position.id} value={position.id}>
                {position.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Review
          <select name="review" defaultValue="">
            <option value="">Any</option>
            <option value="pending">Awaiting review</option>
            <option value="reviewed">Reviewed</option>
          </select>
        </label>
        <button type="submit" className="secondary">
          Apply filters
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && data.interviews.length === 0 && <p data-testid="no-interviews">No finished interviews match.</p>}
      {data && data.interviews.length > 0 && (
        <table className="interviews" data-testid="interview-table">
          <caption className="visually-hidden">Finished interviews, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Candidate</th>
              <th scope="col">Position</th>
              <th scope="col">Outcome</th>
              <th scope="col">Review</th>
            </tr>
          </thead>
          <tbody>
            {data.interviews.map((interview) => (
              <tr key={interview.id}>
                <td>{when(interview.started_at ?? interview.scheduled_at)}</td>
                <td>
                  <a href={`#/interview/${interview.id}`}>{interview.candidate.name}</a>
                </td>
                <td>{interview.position.title}</td>
                <td>{outcomeLabel(interview.status, interview.end_reason)}</td>
                <td>
                  <span className={`pill ${interview.review_status}`}>
                    {interview.review_status === 'reviewed'
                      ? `Reviewed (${interview.decisions} decision${interview.decisions === 1 ? '' : 's'})`
                      : 'Awaiting review'}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
