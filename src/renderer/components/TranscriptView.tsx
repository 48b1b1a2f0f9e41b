import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TranscriptTurn } from '../realtime/transcript-assembler';
import { useTranscriptStore } from '../stores/transcript-store';

const statusNote: Record<string, string | null> = {
  live: null,
  'text-done': null,
  final: null,
  failed: 'We could not make out this answer.',
  interrupted: '(interrupted)',
};

/** One turn; memoised so a delta re-renders only the turn it belongs to, even at thousands of turns. */
export const TranscriptRow = memo(function TranscriptRow({ turn }: { turn: TranscriptTurn }) {
  const who = turn.speaker === 'interviewer' ? 'Interviewer' : 'You';
  const note = statusNote[turn.state];
  const saving = turn.entry !== null && !turn.saved;
  return (
    <li className={`turn ${turn.speaker} ${turn.state}`} data-item-id={turn.itemId} data-state={turn.state} data-saved={turn.saved ? 'true' : 'false'}>
      <span className="who">{who}</span>
      <p>
        {turn.text || (turn.state === 'live' ? '…' : '')}
        {note && <span className="note"> {note}</span>}
      </p>
      {turn.entry && (
        <span className={`saved-mark ${saving ? 'saving' : 'saved'}`} aria-label={saving ? 'saving' : 'saved'}>
          {saving ? '○' : '✓'}
        </span>
      )}
    </li>
  );
});

/**
 * How many of the latest turns are on screen; earlier ones come back a page at a time on request.
 * Keeps a live delta's cost independent of the interview's length (thousands of turns).
 */
export const TRANSCRIPT_WINDOW = 200;

export function TranscriptView() {
  const turns = useTranscriptStore((store) => store.turns);
  const [shown, setShown] = useState(TRANSCRIPT_WINDOW);
  const hidden = Math.max(0, turns.length - shown);
  const visible = hidden > 0 ? turns.slice(hidden) : turns;
  const list = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const onScroll = () => {
      pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, []);
  // Follow the conversation unless the candidate scrolled up to reread something.
  useLayoutEffect(() => {
    const element = list.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [turns]);
  return (
    <ol ref={list} className="transcript" role="log" aria-label="Transcript" aria-live="polite" aria-relevant="additions">
      {turns.length === 0 && <li className="empty muted">The interviewer will speak first.</li>}
      {hidden > 0 && (
        <li className="earlier">
          <button type="button" className="secondary" onClick={() => setShown((count) => count + TRANSCRIPT_WINDOW)}>
            Show {Math.min(hidden, TRANSCRIPT_WINDOW)} earlier turns
          </button>
        </li>
      )}
      {visible.map((turn) => (
        <TranscriptRow key={turn.itemId} turn={turn} />
      ))}
    </ol>
  );
}
