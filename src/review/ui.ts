// What every screen of the console shares.
import { useEffect, useRef } from 'react';

/** Moves focus to the screen's heading whenever the screen changes, so a screen reader announces it. */
export function useFocusHeading<T extends HTMLElement>(key: string) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [key]);
  return ref;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const when = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : '—');

const endReasons: Record<string, string> = {
  completed: 'Completed',
  time_limit: 'Time limit reached',
  proctor: 'Ended by the proctor',
  candidate_left: 'Candidate left',
  error: 'Ended by an error',
};

export function outcomeLabel(status: string, endReason: string | null): string {
  if (endReason && endReasons[endReason]) return endReasons[endReason]!;
  return status === 'failed' ? 'Failed' : status.charAt(0).toUpperCase() + status.slice(1);
}
