// How a report's figures read to a person: names from their keys, units from their suffixes. The
// report's shape belongs to the processing side and may grow, so nothing here lists its fields; an
// unknown key still shows, labelled from its own name.

const words: Record<string, string> = {
  ms: '',
  wpm: 'words per minute',
  rtt: 'round-trip time',
  id: 'ID',
};

/** "candidate_words_per_minute" → "Candidate words per minute"; unit suffixes are dropped (shown with the value). */
export function labelOf(key: string): string {
  const parts = key
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((part) => (part.toLowerCase() in words ? words[part.toLowerCase()]! : part.toLowerCase()))
    .filter(Boolean);
  const text = parts.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A duration in milliseconds as people say it: "850 ms", "12.4 s", "3 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (Math.abs(seconds) < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
}

const unitSuffix = /(_ms|_per_minute|_wpm|_percent|_pct|_ratio|_fraction|_bytes|_kbps)$/i;

/**
 * The key whose suffix gives a nested figure its unit: its own when it has one, else its group's, so
 * {"talk_time_ms": {"candidate": 65000}} reads as a duration.
 */
export function unitKeyFor(key: string, groupUnitKey: string | undefined): string {
  return unitSuffix.test(key) || groupUnitKey === undefined ? key : groupUnitKey;
}

/** The value of one figure with its unit, read from the key's suffix. */
export function formatFigure(key: string, value: number): string {
  const k = key.toLowerCase();
  if (k.endsWith('_ms') || k === 'ms') return formatDuration(value);
  if (k.endsWith('_per_minute') || k.endsWith('_wpm')) return `${round(value)} per minute`;
  if (k.endsWith('_percent') || k.endsWith('_pct')) return `${round(value)} %`;
  if (k.endsWith('_ratio') || k.endsWith('_fraction') || k === 'loss') return `${round(value * 100)} %`;
  if (k.endsWith('_bytes')) return `${round(value)} bytes`;
  if (k.endsWith('_kbps')) return `${round(value)} kbit/s`;
  return String(round(value));
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Math.round(value * 10) / 10;
}

/** Milliseconds from the interview's start as a clock: "04:07" (or "1:02:03"). */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}
