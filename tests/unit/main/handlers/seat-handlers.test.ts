// The seat the proctor sees: the running interview's device report, nobody else's, and gone when
// the interview is.
import { describe, expect, it } from 'vitest';
import { createSeatHandlers } from '../../../../src/main/handlers/seat-handlers';
import type { KioskServices } from '../../../../src/main/kiosk-services';
import type { SeatStatus } from '../../../../src/shared/domain/devices';
import { ipcContract } from '../../../../src/shared/ipc-contract';

const running = '0194f3a2-7c1e-7a00-8000-000000000001';
const other = '0194f3a2-7c1e-7a00-8000-000000000009';

function setup() {
  let active: string | null = running;
  const published: Array<SeatStatus | null> = [];
  const { handlers, seat } = createSeatHandlers({
    services: () => ({ interviews: { activeId: () => active } }) as unknown as KioskServices,
    clock: { now: () => Date.parse('2026-12-04T09:00:00Z') },
    onChanged: (status) => published.push(status),
  });
  const context = { senderUrl: 'http://127.0.0.1/', page: 'socket:1' };
  return { handlers, seat, published, context, end: () => (active = null) };
}

describe('seat handlers', () => {
  it('keeps and publishes the running interview’s report with the time main heard it', () => {
    const h = setup();
    expect(h.handlers['devices.report']({ interviewSessionId: running, microphone: 'denied', camera: 'busy' }, h.context)).toEqual({ reported: true });
    const expected = { interviewSessionId: running, microphone: 'denied', camera: 'busy', reportedAt: '2026-12-04T09:00:00.000Z' };
    expect(h.published).toEqual([expected]);
    expect(h.handlers['proctor.seat'](undefined, h.context)).toEqual(expected);
  });

  it('refuses a report about an interview that is not running here', () => {
    const h = setup();
    expect(() => h.handlers['devices.report']({ interviewSessionId: other, microphone: 'ok', camera: 'ok' }, h.context)).toThrow(
      expect.objectContaining({ code: 'interview.not_active' }),
    );
    expect(h.published).toEqual([]);
  });

  it('forgets the report once the interview ended, and tells the proctor when cleared', () => {
    const h = setup();
    h.handlers['devices.report']({ interviewSessionId: running, microphone: 'ok', camera: 'missing' }, h.context);
    h.end();
    expect(h.handlers['proctor.seat'](undefined, h.context)).toBeNull();
    h.seat.clear();
    expect(h.published.at(-1)).toBeNull();
  });

  it('the contract refuses a state nobody defined and a report without an interview', () => {
    const request = ipcContract['devices.report'].request;
    expect(request.safeParse({ interviewSessionId: running, microphone: 'asking', camera: 'ok' }).success).toBe(false);
    expect(request.safeParse({ microphone: 'ok', camera: 'ok' }).success).toBe(false);
    expect(request.safeParse({ interviewSessionId: running, microphone: 'ok', camera: 'ok', extra: 1 }).success).toBe(true);
  });
});
