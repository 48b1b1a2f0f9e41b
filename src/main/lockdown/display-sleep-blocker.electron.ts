// Keeps the display awake while an interview runs: a screen that dims or locks mid-answer ends the
// candidate's interview. Handed Electron's powerSaveBlocker so it can be tested with a fake.
import type { powerSaveBlocker } from 'electron';
import { shouldBlockPowerSave } from './display-policy';

export type PowerSaveBlockerLike = Pick<typeof powerSaveBlocker, 'start' | 'stop' | 'isStarted'>;

export class DisplaySleepBlocker {
  private blockerId: number | null = null;

  constructor(private readonly blocker: PowerSaveBlockerLike) {}

  /** Safe to call on every interview change: starts at most one blocker, stops only its own. */
  update(activeInterviewId: string | null): void {
    const want = shouldBlockPowerSave(activeInterviewId);
    if (want && !this.isBlocking()) this.blockerId = this.blocker.start('prevent-display-sleep');
    if (!want && this.blockerId !== null) {
      this.blocker.stop(this.blockerId);
      this.blockerId = null;
    }
  }

  private isBlocking(): boolean {
    return this.blockerId !== null && this.blocker.isStarted(this.blockerId);
  }
}
