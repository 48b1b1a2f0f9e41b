// The proctor steering the running interview: a break and its end, extra time, incident notes, the
// identity check. Each act goes into the interview's session log (kind `proctor`, through the outbox
// to interview-events) and, for the clock, to the kiosk window, which stops or lengthens it.
import { randomUUID } from 'node:crypto';
import type { ProctorOperations } from '../../shared/domain/proctor';
import type { InterviewResume } from '../../shared/domain/interview';
import type { IpcEventPayload } from '../../shared/ipc-contract';
import { KioskError } from '../../shared/kiosk-error';
import type { IpcCallContext, IpcHandlers } from '../ipc/ipc-dispatcher';
import type { KioskServices } from '../kiosk-services';

type OperationChannel = 'proctor.pause' | 'proctor.resume' | 'proctor.extraTime' | 'proctor.incident' | 'proctor.confirmIdentity' | 'proctor.operations';

export interface ProctorOperationsOptions {
  services: () => KioskServices;
  clock: { now(): number };
  /** Throws unless the calling page holds the proctor's sign-in. */
  requireProctor(context: IpcCallContext): Promise<void>;
  toKioskWindow(control: IpcEventPayload<'interview.proctorControl'>): void;
  onChanged(operations: ProctorOperations | null): void;
}

/** Names compared as a person would: case, accents' composition and spacing do not matter. */
const sameName = (a: string, b: string) => a.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase() === b.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** Main's copy of the clock the proctor steered, for a kiosk window reloaded mid-interview. */
export type ProctorClock = NonNullable<InterviewResume['proctorClock']>;

export function createProctorOperations(options: ProctorOperationsOptions): {
  handlers: Pick<IpcHandlers, OperationChannel>;
  current(): ProctorOperations | null;
  clock(interviewSessionId: string): ProctorClock | undefined;
} {
  let state: ProctorOperations | null = null;
  let clock: (ProctorClock & { interviewSessionId: string }) | null = null;
  const clockOf = (interviewSessionId: string): ProctorClock & { interviewSessionId: string } => {
    if (clock?.interviewSessionId !== interviewSessionId) clock = { interviewSessionId, extraMs: 0, pauses: [] };
    return clock;
  };

  const active = () => {
    const launch = options.services().interviews.activeLaunch();
    if (!launch) throw new KioskError('interview.not_active', 'No interview is running on this kiosk.');
    if (state?.interviewSessionId !== launch.interviewSessionId) {
      state = { interviewSessionId: launch.interviewSessionId, paused: false, extraMinutes: 0, identityConfirmed: false, incidents: 0 };
    }
    return { launch, ops: state };
  };

  const record = async (interviewSessionId: string, data: Record<string, unknown>) => {
    const by = await options.services().proctor.email();
    const at = new Date(options.clock.now()).toISOString();
    options.services().interviews.appendEvents(interviewSessionId, [{ id: randomUUID(), kind: 'proctor', at, data: { ...data, by } }]);
    return at;
  };

  const change = (next: ProctorOperations) => {
    state = next;
    options.onChanged(next);
  };

  const current = () => {
    const id = options.services().interviews.activeId();
    return state && state.interviewSessionId === id ? state : null;
  };

  return {
    current,
    clock(interviewSessionId) {
      if (clock?.interviewSessionId !== interviewSessionId) return undefined;
      return { extraMs: clock.extraMs, pauses: clock.pauses.map((pause) => ({ ...pause })) };
    },
    handlers: {
      'proctor.operations': async (_request, context) => {
        await options.requireProctor(context);
        return current();
      },
      'proctor.pause': async (_request, context) => {
        await options.requireProctor(context);
        const { launch, ops } = active();
        if (ops.paused) throw new KioskError('proctor.already_paused', 'The interview is already on a break.');
        const at = await record(launch.interviewSessionId, { action: 'pause' });
        clockOf(launch.interviewSessionId).pauses.push({ from: at, to: null });
        change({ ...ops, paused: true });
        options.toKioskWindow({ action: 'pause', at });
        return { paused: true as const };
      },
      'proctor.resume': async (_request, context) => {
        await options.requireProctor(context);
        const { launch, ops } = active();
        if (!ops.paused) throw new KioskError('proctor.not_paused', 'The interview is not on a break.');
        const at = await record(launch.interviewSessionId, { action: 'resume' });
        const open = clockOf(launch.interviewSessionId).pauses.at(-1);
        if (open && open.to === null) open.to = at;
        change({ ...ops, paused: false });
        options.toKioskWindow({ action: 'resume', at });
        return { resumed: true as const };
      },
      'proctor.extraTime': async ({ minutes }, context) => {
        await options.requireProctor(context);
        const { launch, ops } = active();
        const at = await record(launch.interviewSessionId, { action: 'extra_time', minutes, total_minutes: ops.extraMinutes + minutes });
        clockOf(launch.interviewSessionId).extraMs += minutes * 60_000;
        change({ ...ops, extraMinutes: ops.extraMinutes + minutes });
        options.toKioskWindow({ action: 'extra_time', at, extraMs: minutes * 60_000 });
        return { extraMinutes: ops.extraMinutes + minutes };
      },
      'proctor.incident': async ({ note }, context) => {
        await options.requireProctor(context);
        const { launch, ops } = active();
        await record(launch.interviewSessionId, { action: 'incident', note });
        change({ ...ops, incidents: ops.incidents + 1 });
        return { recorded: true as const };
      },
      'proctor.confirmIdentity': async ({ interviewSessionId, candidateName }, context) => {
        await options.requireProctor(context);
        const { launch, ops } = active();
        if (interviewSessionId !== launch.interviewSessionId) throw new KioskError('interview.not_active', 'That interview is not the one running here.');
        if (!sameName(candidateName, launch.candidate.name)) {
          throw new KioskError('proctor.identity_mismatch', `The schedule names ${launch.candidate.name} for this interview.`);
        }
        await record(launch.interviewSessionId, { action: 'identity_confirmed', candidate_name: launch.candidate.name });
        change({ ...ops, identityConfirmed: true });
        return { confirmed: true as const };
      },
    },
  };
}
