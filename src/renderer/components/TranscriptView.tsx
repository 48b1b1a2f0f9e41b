import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TranscriptTurn, TurnState } from '../realtime/transcript-assembler';
import { useTranscriptStore } from '../stores/transcript-store';

const statusNote: Record<string, string | null> = {
  live: null,
  'text-done': null,
  final: null,
  failed: 'We could not make out this answer.',
  interrupted: '(interrupted)',
};

/** A turn that will not grow any more: what a screen reader hears, and what the room waits on. */
export function isCompleteTurn(state: TurnState): boolean {
  return state === 'final' || state === 'failed' || state === 'interrupted';
}

const speakerName = (turn: TranscriptTurn) => (turn.speaker === 'interviewer' ? 'Interviewer' : 'You');

/** A completed turn as one sentence to hear, with how it ended when that matters. */
function spoken(turn: TranscriptTurn): string {
  if (turn.state === 'failed' && !turn.text) return `${speakerName(turn)}: your answer could not be made out.`;
  if (turn.state === 'interrupted') return `${speakerName(turn)}, cut short: ${turn.text}`;
  return `${speakerName(turn)}: ${turn.text}`;
}

/** One turn; memoised so a delta re-renders only the turn it belongs to, even at thousands of turns. */
export const TranscriptRow = memo(function TranscriptRow({ turn }: { turn: TranscriptTurn }) {
  const note = statusNote[turn.state];
  const saving = turn.entry !== null && !turn.saved;
  return (
    <li className={`turn ${turn.speaker} ${turn.state}`} data-item-id={turn.itemId} data-state={turn.state} data-saved={turn.saved ? 'true' : 'false'}>
      <span className="who">{speakerName(turn)}</span>
      <p>
        {turn.text || (turn.state === 'live' ? '…' : '')}
        {note && <span className="note"> {note}</span>}
      </p>
      {turn.entry && (
        <span className={`saved-mark ${saving ? 'saving' : 'saved'}`} role="img" aria-label={saving ? 'saving' : 'saved'}>
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

/** Completed turns the hidden live region holds: enough that turns completing together are all read. */
const ANNOUNCED_TURNS = 4;

/** Closer to the bottom than this still counts as following the conversation. */
const FOLLOW_SLACK_PX = 48;

/**
 * What a screen reader announces: the latest completed turns, each added once it is complete. The
 * visible list streams word by word and is not a live region, so a turn is never read out by its
 * first fragment; a text correction to a turn already here is not re-announced (additions only).
 */
function CompletedTurnsAnnouncer({ turns }: { turns: TranscriptTurn[] }) {
  const done: TranscriptTurn[] = [];
  for (let index = turns.length - 1; index >= 0 && done.length < ANNOUNCED_TURNS; index--) {
    if (isCompleteTurn(turns[index]!.state)) done.unshift(turns[index]!);
  }
  return (
    <div className="visually-hidden" role="log" aria-live="polite" aria-relevant="additions" aria-label="Completed turns" data-testid="turn-announcer">
      {done.map((turn) => (
        <p key={turn.itemId}>{spoken(turn)}</p>
      ))}
    </div>
  );
}

export function TranscriptView() {
  const turns = useTranscriptStore((store) => store.turns);
  const [shown, setShown] = useState(TRANSCRIPT_WINDOW);
  const hidden = Math.max(0, turns.length - shown);
  const visible = hidden > 0 ? turns.slice(hidden) : turns;
  const scroller = useRef<HTMLElement>(null);
  const list = useRef<HTMLOListElement>(null);
  // The ref is what the layout effect reads (no re-render needed); the state shows the jump button.
  const pinned = useRef(true);
  const [following, setFollowing] = useState(true);

  const toLatest = () => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  };
  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_SLACK_PX;
    pinned.current = atBottom;
    setFollowing(atBottom);
  };
  // Follow the conversation unless the candidate scrolled up to reread something.
  useLayoutEffect(() => {
    if (pinned.current) toLatest();
  }, [turns]);
  useEffect(() => {
    // Rows settle their height after they render (wrapping, content-visibility), and the region shrinks
    // when the footer grows (the closing prompt): either way, stay at the bottom.
    if (typeof ResizeObserver === 'undefined' || !list.current || !scroller.current) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) toLatest();
    });
    observer.observe(list.current);
    observer.observe(scroller.current);
    return () => observer.disconnect();
  }, []);

  return (
    <div className="transcript-region">
      <section ref={scroller} className="transcript" aria-label="Transcript" tabIndex={0} onScroll={onScroll} data-testid="transcript">
        {hidden > 0 && (
          <div className="earlier">
            <button type="button" className="secondary" onClick={() => setShown((count) => count + TRANSCRIPT_WINDOW)}>
              Show {Math.min(hidden, TRANSCRIPT_WINDOW)} earlier turns
            </button>
          </div>
        )}
        <ol ref={list} className="turns">
          {turns.length === 0 && <li className="empty muted">The interviewer will speak first.</li>}
          {visible.map((turn) => (
            <TranscriptRow key={turn.itemId} turn={turn} />
          ))}
        </ol>
      </section>
      {!following && (
        <button
          type="button"
          className="jump-latest"
          onClick={() => {
            pinned.current = true;
            setFollowing(true);
            toLatest();
            // The button goes away; keep keyboard focus in the transcript rather than on the page body.
            scroller.current?.focus();
          }}
        >
          Jump to the latest turn ↓
        </button>
      )}
      <CompletedTurnsAnnouncer turns={turns} />
    </div>
  );
}
