// Extra displays let a helper watch or a second screen show notes: with more than one display the
// interview pauses until it is gone, unless the tenant allows extra displays.

export interface DisplayFacts {
  count: number;
  /** Mirrored displays show the same picture, which a proctor's mirror is allowed to do. */
  allMirrored?: boolean;
}

export type DisplayDecision = { paused: false } | { paused: true; reason: string };

export function decideDisplays(facts: DisplayFacts, policy: { allowExtraDisplays: boolean }): DisplayDecision {
  if (facts.count <= 1 || policy.allowExtraDisplays || facts.allMirrored) return { paused: false };
  return { paused: true, reason: `An extra display is connected (${facts.count} displays). Disconnect it to continue the interview.` };
}

/** Keep the screen on only while an interview runs. */
export function shouldBlockPowerSave(activeInterviewId: string | null): boolean {
  return activeInterviewId !== null;
}
