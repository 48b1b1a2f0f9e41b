// Small decisions of the proctor page, kept apart from the DOM code.
import type { SyncState } from '../../shared/domain/sync';

export type ProctorView = 'sign-in' | 'interviews' | 'device-check' | 'quit';

export function viewFromHash(hash: string): ProctorView {
  const name = hash.replace(/^#/, '');
  return name === 'interviews' || name === 'device-check' || name === 'quit' ? name : 'sign-in';
}

export function formatSyncLine(state: SyncState): string {
  const parts = [state.online ? 'Online' : 'Offline', `${state.pending} upload${state.pending === 1 ? '' : 's'} waiting`];
  if (state.oldestPendingAgeMs !== null) parts.push(`oldest ${Math.round(state.oldestPendingAgeMs / 60_000)} min`);
  if (state.deadLetters > 0) parts.push(`${state.deadLetters} refused by the server`);
  if (state.lastError) parts.push(`last error: ${state.lastError.message}`);
  return parts.join(' · ');
}
