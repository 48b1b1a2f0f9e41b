// Extra displays pause the interview (a second screen is how answers get fed in). Handed Electron's
// `screen`, it logs each hot-plug and tells the kiosk window to pause or resume.
import type { screen } from 'electron';
import { decideDisplays } from './display-policy';
import type { LockdownLog } from './lockdown-log';

export type ScreenLike = Pick<typeof screen, 'getAllDisplays' | 'on'>;

export interface DisplayWatcherOptions {
  allowExtraDisplays: () => boolean;
  lockdown: () => Pick<LockdownLog, 'record'> | null;
  setPaused: (paused: boolean, reason: string | null) => void;
}

export class DisplayWatcher {
  constructor(
    private readonly displays: ScreenLike,
    private readonly options: DisplayWatcherOptions,
  ) {}

  start(): void {
    this.displays.on('display-added', () => this.onHotPlug('display_added'));
    this.displays.on('display-removed', () => this.onHotPlug('display_removed'));
    this.evaluate();
  }

  evaluate(): void {
    const decision = decideDisplays({ count: this.displays.getAllDisplays().length }, { allowExtraDisplays: this.options.allowExtraDisplays() });
    this.options.setPaused(decision.paused, decision.paused ? decision.reason : null);
  }

  private onHotPlug(type: 'display_added' | 'display_removed'): void {
    this.options.lockdown()?.record(type, { count: this.displays.getAllDisplays().length });
    this.evaluate();
  }
}
