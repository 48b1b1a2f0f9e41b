import { checkIds, checkLabels, overall, type CheckItem } from '../../shared/site-check/verdicts';

const verdictWords = { pass: 'Pass', warn: 'Warning', fail: 'Fail' } as const;

export function SiteCheckPage({ items, done, error }: { items: readonly CheckItem[]; done: boolean; error: string | null }) {
  const result = overall(items);
  return (
    <main className="site-check" data-screen="site-check" data-state={done ? 'done' : 'running'}>
      <h1>Site readiness check</h1>
      <p className="lead muted">The path from this machine to the interview service, the backend and the video service, measured now.</p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="summary" aria-live="polite" data-testid="site-check-summary">
        {done ? `Overall: ${verdictWords[result]}${result === 'fail' ? ' — open what the failed lines say before go-live.' : ''}` : 'Checking…'}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Measured</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {checkIds.map((id) => {
            const item = items.find((candidate) => candidate.id === id);
            return (
              <tr key={id} data-check={id} data-verdict={item?.verdict ?? 'pending'}>
                <th scope="row">{checkLabels[id]}</th>
                <td className={`verdict verdict-${item?.verdict ?? 'pending'}`}>{item ? verdictWords[item.verdict] : done ? 'Not run' : 'Checking…'}</td>
                <td>{item?.measured ?? ''}</td>
                <td>
                  {item?.reason ?? ''}
                  {item?.firewall ? <p className="firewall">Firewall: {item.firewall}</p> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </main>
  );
}
