import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { outcomeLabel, useFocusHeading, when } from './ui';
import { clock, formatFigure, labelOf, unitKeyFor } from './figures';
import type { Assessment, Competency, Decision, InterviewDetail, ReviewApi, TranscriptEntry } from './review-api';

interface Props {
  api: ReviewApi;
  id: string;
  onAuthError: (error: unknown) => void;
}

export function InterviewScreen({ api, id, onAuthError }: Props) {
  const heading = useFocusHeading<HTMLHeadingElement>(`interview-${id}`);
  const [detail, setDetail] = useState<InterviewDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [highlighted, setHighlighted] = useState<number | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    let live = true;
    api.interview(id).then(
      (answer) => live && setDetail(answer),
      (caught: unknown) => {
        if (!live) return;
        onAuthError(caught);
        setError(caught instanceof Error ? caught.message : 'The interview could not be loaded.');
      },
    );
    return () => {
      live = false;
    };
  }, [api, id, onAuthError]);

  const startedAt = detail?.interview.started_at ? Date.parse(detail.interview.started_at) : null;
  const offsetOf = useCallback((entry: TranscriptEntry) => (startedAt === null ? 0 : Math.max(0, Date.parse(entry.timestamp) - startedAt)), [startedAt]);

  function seek(entry: TranscriptEntry) {
    setHighlighted(entry.seq);
    if (video.current) {
      video.current.currentTime = offsetOf(entry) / 1000;
      void video.current.play().catch(() => undefined);
    }
  }

  /** An evidence link: bring the cited line into view, mark it, and move focus there. */
  function showLine(seq: number) {
    setHighlighted(seq);
    const line = document.getElementById(`line-${seq}`);
    line?.scrollIntoView({ block: 'center' });
    line?.focus({ preventScroll: true });
  }

  const title = detail ? `${detail.interview.candidate.name} — ${detail.interview.position.title}` : 'Interview';
  return (
    <main className="interview">
      <p className="back">
        <a href="#/">← All finished interviews</a>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!detail && !error && <p className="muted">Loading…</p>}
      {detail && (
        <>
          <p className="meta">
            {when(detail.interview.started_at)} · {outcomeLabel(detail.interview.status, detail.interview.end_reason)} · {detail.transcript.length} transcript lines
          </p>
          <div className="columns">
            <div className="column">
              <section aria-labelledby="recording-heading" className="panel">
                <h2 id="recording-heading">Recording</h2>
                <Recording detail={detail} video={video} />
              </section>
              <section aria-labelledby="transcript-heading" className="panel">
                <h2 id="transcript-heading">Transcript</h2>
                {detail.transcript.length === 0 ? (
                  <p className="muted">No transcript was stored.</p>
                ) : (
                  <ol className="transcript-lines" data-testid="transcript">
                    {detail.transcript.map((entry) => (
                      <TranscriptLine
                        key={entry.id}
                        entry={entry}
                        offsetMs={offsetOf(entry)}
                        highlighted={highlighted === entry.seq}
                        canSeek={Boolean(detail.recording?.file_url)}
                        onSeek={() => seek(entry)}
                      />
                    ))}
                  </ol>
                )}
              </section>
            </div>
            <div className="column">
              <Processing detail={detail} />
              <section aria-labelledby="analytics-heading" className="panel">
                <h2 id="analytics-heading">Analytics</h2>
                {detail.report?.analytics ? (
                  <Figures value={detail.report.analytics} />
                ) : (
                  <p data-testid="report-not-ready">Report not ready.</p>
                )}
              </section>
              <AssessmentPanel
                api={api}
                detail={detail}
                onShowLine={showLine}
                onDecisions={(decisions) => setDetail({ ...detail, decisions })}
                onAuthError={onAuthError}
              />
            </div>
          </div>
        </>
      )}
    </main>
  );
}

function Recording({ detail, video }: { detail: InterviewDetail; video: React.RefObject<HTMLVideoElement | null> }) {
  const recording = detail.recording;
  if (!recording) return <p className="muted">No recording for this interview.</p>;
  if (recording.file_url) {
    return (
      <video ref={video} controls preload="metadata" src={recording.file_url} data-testid="recording" aria-label="Interview recording">
        <track kind="captions" />
      </video>
    );
  }
  return (
    <>
      <iframe title="Interview recording (api.video player)" src={recording.player_url} allow="fullscreen" className="player" />
      <p className="muted small">Times beside the transcript lines are from the start of the interview; use them to find the moment in the player.</p>
    </>
  );
}

function TranscriptLine(props: { entry: TranscriptEntry; offsetMs: number; highlighted: boolean; canSeek: boolean; onSeek: () => void }) {
  const { entry, offsetMs, highlighted, canSeek, onSeek } = props;
  const speaker = entry.speaker === 'candidate' ? 'Candidate' : 'Interviewer';
  const time = clock(offsetMs);
  return (
    <li id={`line-${entry.seq}`} tabIndex={-1} className={`line ${entry.speaker} ${entry.status}${highlighted ? ' highlighted' : ''}`} data-seq={entry.seq}>
      {canSeek ? (
        <button type="button" className="time" onClick={onSeek} aria-label={`Play the recording from ${time} (line ${entry.seq})`}>
          {time}
        </button>
      ) : (
        <span className="time">{time}</span>
      )}
      <span className="who">{speaker}</span>
      <div className="said">
        {entry.status === 'interrupted' && entry.generated_text !== null ? (
          <>
            <p>
              <span className="tag">Interrupted — heard</span> {entry.text || '(nothing)'}
            </p>
            <p className="generated">
              <span className="tag">Generated</span> {entry.generated_text}
            </p>
          </>
        ) : entry.status === 'failed' ? (
          <p className="failed-text">
            <span className="tag">Not transcribed</span> {entry.text}
          </p>
        ) : (
          <p>
            {entry.status === 'interrupted' && <span className="tag">Interrupted</span>} {entry.text}
          </p>
        )}
        {entry.corrected_at && (
          <p className="muted small">
            Corrected by a late transcription (was {entry.original_status}: “{entry.original_text}”).
          </p>
        )}
      </div>
    </li>
  );
}

function Processing({ detail }: { detail: InterviewDetail }) {
  const labels: Record<string, string> = { report: 'Report', assessment: 'AI assessment' };
  const states: Record<string, string> = { pending: 'Waiting', running: 'Running', done: 'Done', failed: 'Failed' };
  return (
    <section aria-labelledby="processing-heading" className="panel">
      <h2 id="processing-heading">Processing</h2>
      {detail.jobs.length === 0 ? (
        <p className="muted" data-testid="no-jobs">
          No processing recorded for this interview.
        </p>
      ) : (
        <ul className="jobs">
          {detail.jobs.map((job, index) => {
            const kind = String(job.kind ?? 'job');
            const status = String(job.status ?? 'unknown');
            return (
              <li key={`${kind}-${index}`}>
                <strong>{labels[kind] ?? labelOf(kind)}:</strong> <span className={`pill ${status}`}>{states[status] ?? status}</span>
                {typeof job.last_error === 'string' && job.last_error !== '' && <span className="muted"> — {job.last_error}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Any JSON value of the report: numbers with units, lists of questions, nested objects as groups. */
function Figures({ value, name }: { value: unknown; name?: string }) {
  if (value === null || value === undefined) return <>—</>;
  if (typeof value === 'number') return <>{formatFigure(name ?? '', value)}</>;
  if (typeof value === 'boolean') return <>{value ? 'Yes' : 'No'}</>;
  if (typeof value === 'string') return <>{value}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>None</>;
    return (
      <ul className="figure-list">
        {value.map((item, index) => (
          <li key={index}>
            <FigureItem item={item} unitKey={name} />
          </li>
        ))}
      </ul>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    <dl className="figures">
      {entries.map(([key, inner]) => (
        <div key={key} className={typeof inner === 'object' && inner !== null ? 'group' : 'figure'} data-figure={key}>
          <dt>{labelOf(key)}</dt>
          <dd>
            <Figures value={inner} name={unitKeyFor(key, name)} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A list item: a planned question with whether it was covered reads as one line. */
function FigureItem({ item, unitKey }: { item: unknown; unitKey: string | undefined }) {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const record = item as Record<string, unknown>;
    if (typeof record.question === 'string' && typeof record.covered === 'boolean') {
      return (
        <>
          <span aria-hidden="true">{record.covered ? '✓' : '✗'}</span> {record.question}{' '}
          <span className="muted">({record.covered ? 'covered' : 'not covered'})</span>
        </>
      );
    }
  }
  return <Figures value={item} name={unitKey} />;
}

function AssessmentPanel(props: {
  api: ReviewApi;
  detail: InterviewDetail;
  onShowLine: (seq: number) => void;
  onDecisions: (decisions: Decision[]) => void;
  onAuthError: (error: unknown) => void;
}) {
  const { detail } = props;
  const assessment = detail.assessment;
  const candidateSeqs = new Set(detail.transcript.filter((e) => e.speaker === 'candidate').map((e) => e.seq));
  const competencies = assessment?.status === 'suggested' ? (assessment.result?.competencies ?? []) : [];
  return (
    <section aria-labelledby="assessment-heading" className="panel">
      <h2 id="assessment-heading">Assessment and decision</h2>
      {!assessment && (
        <p className="muted" data-testid="no-assessment">
          {detail.assessmentUnreadable ? 'The AI assessment could not be read.' : 'No AI assessment for this interview.'}
        </p>
      )}
      {assessment?.status === 'failed' && (
        <p className="notice-inline">The AI assessment failed{assessment.failure_reason ? `: ${assessment.failure_reason}` : '.'}</p>
      )}
      {assessment?.status === 'suggested' && (
        <p className="suggestion-note" data-testid="suggestion-note">
          This is a <strong>suggestion</strong> from an AI model{assessment.model ? ` (${assessment.model}` : ''}
          {assessment.prompt_version ? `, prompt ${assessment.prompt_version}` : ''}
          {assessment.rubric_version ? `, rubric ${assessment.rubric_version}` : ''}
          {assessment.model ? ')' : ''}, not a decision. Check its evidence in the transcript, then confirm or override each competency.
        </p>
      )}
      {competencies.map((competency) => (
        <article key={competency.key} className="competency" aria-labelledby={`competency-${competency.key}`} data-competency={competency.key}>
          <h3 id={`competency-${competency.key}`}>{competency.name ?? labelOf(competency.key)}</h3>
          <p>
            Suggested score: <strong>{competency.score ?? '—'}</strong>
            {competency.scale_min !== undefined && competency.scale_max !== undefined && (
              <span className="muted">
                {' '}
                on {competency.scale_min}–{competency.scale_max}
              </span>
            )}
          </p>
          {competency.rationale && <p className="rationale">{competency.rationale}</p>}
          {competency.evidence_seqs.length > 0 && (
            <p className="evidence">
              Evidence:{' '}
              {competency.evidence_seqs.map((seq) => (
                <button
                  key={seq}
                  type="button"
                  className="link"
                  onClick={() => props.onShowLine(seq)}
                  disabled={!candidateSeqs.has(seq)}
                  aria-label={`Show transcript line ${seq}${candidateSeqs.has(seq) ? '' : ' (not a candidate line)'}`}
                >
                  line {seq}
                </button>
              ))}
            </p>
          )}
          <DecisionBlock {...props} assessment={assessment} competency={competency} />
        </article>
      ))}
      <article className="competency overall" aria-labelledby="overall-heading">
        <h3 id="overall-heading">Overall decision</h3>
        <DecisionBlock {...props} assessment={assessment?.status === 'suggested' ? assessment : null} competency={null} />
      </article>
    </section>
  );
}

function DecisionBlock(props: {
  api: ReviewApi;
  detail: InterviewDetail;
  assessment: Assessment | null;
  competency: Competency | null;
  onDecisions: (decisions: Decision[]) => void;
  onAuthError: (error: unknown) => void;
}) {
  const { api, detail, assessment, competency } = props;
  const key = competency?.key ?? null;
  const idPart = key ?? 'overall';
  const history = detail.decisions.filter((d) => d.competency_key === key);
  const hasSuggestion = assessment !== null && (competency === null || competency.score !== undefined);
  const [choice, setChoice] = useState<'confirm' | 'override'>(hasSuggestion ? 'confirm' : 'override');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string>('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const scoreText = String(form.get('score') ?? '').trim();
    const note = String(form.get('note') ?? '');
    if (choice === 'override' && note.trim() === '') {
      setError('Say why you override: the note is required.');
      return;
    }
    if (choice === 'override' && key !== null && scoreText === '') {
      setError('Give the score you decide on.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const decisions = await api.decide({
        interview_id: detail.interview.id,
        assessment_id: assessment?.id ?? null,
        competency_key: key,
        decision: choice,
        score: choice === 'override' && scoreText !== '' ? Number(scoreText) : null,
        note,
      });
      props.onDecisions(decisions);
      formElement.reset();
      setStatus('Decision recorded.');
    } catch (caught) {
      props.onAuthError(caught);
      setError(caught instanceof Error ? caught.message : 'The decision was not recorded.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="decision" data-testid={`decision-${idPart}`}>
      {history.length > 0 && (
        <ol className="history" aria-label={`Decisions recorded${competency ? ` on ${competency.name ?? competency.key}` : ' on the whole interview'}`}>
          {history.map((decision) => (
            <li key={decision.id}>
              <strong>{decision.decision === 'confirm'
                  ? `Confirmed${decision.score !== null ? ` at ${decision.score}` : ''}`
                  : `Overridden${decision.score !== null ? ` to ${decision.score}` : ''}`}</strong> by{' '}
              {decision.decided_by_email ?? decision.decided_by} on {when(decision.decided_at)}
              {decision.note && <span className="note"> — “{decision.note}”</span>}
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={(event) => void submit(event)} className="decision-form">
        <fieldset>
          <legend>{history.length > 0 ? 'Record a new decision' : 'Your decision'}</legend>
          {hasSuggestion && (
            <div className="choices">
              <label>
                <input type="radio" name="decision" value="confirm" checked={choice === 'confirm'} onChange={() => setChoice('confirm')} /> Confirm the suggestion
              </label>
              <label>
                <input type="radio" name="decision" value="override" checked={choice === 'override'} onChange={() => setChoice('override')} /> Override
              </label>
            </div>
          )}
          {!hasSuggestion && <p className="muted small">There is no suggestion to confirm: record your own decision.</p>}
          {choice === 'override' && (
            <label className="score">
              {key === null ? 'Overall score (optional)' : 'Your score'}
              <input
                id={`score-${idPart}`}
                name="score"
                type="number"
                inputMode="numeric"
                step={1}
                min={competency?.scale_min ?? 0}
                max={competency?.scale_max ?? 1000}
                required={key !== null}
              />
            </label>
          )}
          <label className="note-field">
            {choice === 'override' ? 'Why (required)' : 'Note (optional)'}
            <textarea name="note" rows={2} maxLength={4000} required={choice === 'override'} />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Recording…' : 'Record decision'}
          </button>
        </fieldset>
      </form>
      <p className="status" role="status">
        {status}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
