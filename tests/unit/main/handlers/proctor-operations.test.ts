// The proctor's operations as main records them: each goes into the running interview's session log
// (kind `proctor`, with who did it), the clock ones reach the kiosk window, and the bad ones are refused.
import { describe, expect, it, vi } from 'vitest';
import { createProctorOperations } from '../../../../src/main/handlers/proctor-operations';
import type { KioskServices } from '../../../../src/main/kiosk-services';
import { sessionEventSchema, type SessionEvent } from '../../../../src/shared/domain/interview';
import { KioskError } from '../../../../src/shared/kiosk-error';
import { interviewLaunch } from '../../../renderer/fixtures/interview-launch';

function setup(options: { signedIn?: boolean; running?: boolean } = {}) {
  const launch = interviewLaunch();
  const logged: SessionEvent[] = [];
  const services = {
    proctor: { email: async () => 'proctor@demo.example' },
    interviews: {
      activeLaunch: () => (options.running === false ? null : launch),
      activeId: () => (options.running === false ? null : launch.interviewSessionId),
      appendEvents: vi.fn((_id: string, events: SessionEvent[]) => logged.push(...events)),
    },
  } as unknown as KioskServices;
  const controls: unknown[] = [];
  const { handlers, current, clock } = createProctorOperations({
    services: () => services,
    clock: { now: () => Date.parse('2026-12-04T09:30:00Z') },
    requireProctor: async () => {
      if (options.signedIn === false) throw new KioskError('proctor.not_signed_in', 'sign in');
    },
    toKioskWindow: (control) => controls.push(control),
    onChanged: () => {},
  });
  const context = { senderUrl: 'http://127.0.0.1:5181/', page: 'socket:1' };
  return { handlers, current, clock, logged, controls, context, launch };
}

describe('proctor operations', () => {
  it('log pause, resume, extra time, an incident and the identity check, in order, each a valid session event', async () => {
    const h = setup();
    await h.handlers['proctor.confirmIdentity']({ interviewSessionId: h.launch.interviewSessionId, candidateName: '  grace   HOPPER ' }, h.context);
    await h.handlers['proctor.pause'](undefined, h.context);
    await h.handlers['proctor.incident']({ note: 'Fire alarm test; candidate left the room for 4 minutes.' }, h.context);
    await h.handlers['proctor.resume'](undefined, h.context);
    expect(await h.handlers['proctor.extraTime']({ minutes: 10 }, h.context)).toEqual({ extraMinutes: 10 });
    expect(await h.handlers['proctor.extraTime']({ minutes: 5 }, h.context)).toEqual({ extraMinutes: 15 });
    expect(h.logged.map((event) => [event.kind, event.data.action])).toEqual([
      ['proctor', 'identity_confirmed'],
      ['proctor', 'pause'],
      ['proctor', 'incident'],
      ['proctor', 'resume'],
      ['proctor', 'extra_time'],
      ['proctor', 'extra_time'],
    ]);
    for (const event of h.logged) {
      expect(sessionEventSchema.safeParse(event).success).toBe(true);
      expect(event.data.by).toBe('proctor@demo.example');
    }
    expect(h.logged[0]!.data.candidate_name).toBe('Grace Hopper');
    expect(h.logged[5]!.data).toMatchObject({ minutes: 5, total_minutes: 15 });
    expect(h.controls).toEqual([
      { action: 'pause', at: '2026-12-04T09:30:00.000Z' },
      { action: 'resume', at: '2026-12-04T09:30:00.000Z' },
      { action: 'extra_time', at: '2026-12-04T09:30:00.000Z', extraMs: 600_000 },
      { action: 'extra_time', at: '2026-12-04T09:30:00.000Z', extraMs: 300_000 },
    ]);
    expect(h.current()).toMatchObject({ paused: false, extraMinutes: 15, identityConfirmed: true, incidents: 1 });
    // What a reloaded kiosk window gets back with interview.resume.
    expect(h.clock(h.launch.interviewSessionId)).toEqual({ extraMs: 15 * 60_000, pauses: [{ from: '2026-12-04T09:30:00.000Z', to: '2026-12-04T09:30:00.000Z' }] });
    expect(h.clock('0194f3a2-7c1e-7a00-8000-0000000000ff')).toBeUndefined();
  });

  it('refuses a name that is not the scheduled candidate, and logs nothing', async () => {
    const h = setup();
    await expect(h.handlers['proctor.confirmIdentity']({ interviewSessionId: h.launch.interviewSessionId, candidateName: 'Ada Lovelace' }, h.context)).rejects.toMatchObject({
      code: 'proctor.identity_mismatch',
    });
    expect(h.logged).toEqual([]);
  });

  it('refuses a second pause and a resume without a break', async () => {
    const h = setup();
    await expect(h.handlers['proctor.resume'](undefined, h.context)).rejects.toMatchObject({ code: 'proctor.not_paused' });
    await h.handlers['proctor.pause'](undefined, h.context);
    await expect(h.handlers['proctor.pause'](undefined, h.context)).rejects.toMatchObject({ code: 'proctor.already_paused' });
    expect(h.logged).toHaveLength(1);
  });

  it('needs the signed-in proctor page and a running interview', async () => {
    await expect(setup({ signedIn: false }).handlers['proctor.pause'](undefined, { senderUrl: '', page: 'x' })).rejects.toMatchObject({ code: 'proctor.not_signed_in' });
    const idle = setup({ running: false });
    await expect(idle.handlers['proctor.incident']({ note: 'n' }, idle.context)).rejects.toMatchObject({ code: 'interview.not_active' });
    expect(idle.current()).toBeNull();
  });
});
