// The proctor's sign-in belongs to the page that made it: another page (a fresh browser opening the
// proctor URL) reads "not signed in" and cannot act on it, and the sign-in ends with its page.
import { describe, expect, it, vi } from 'vitest';
import { createProctorHandlers } from '../../../../src/main/handlers/proctor-handlers';
import type { KioskServices } from '../../../../src/main/kiosk-services';
import type { ProctorStatus } from '../../../../src/shared/domain/proctor';

function setup() {
  let email: string | null = null;
  const services = {
    proctor: {
      email: async () => email,
      signIn: vi.fn(async (address: string) => {
        email = address;
      }),
      signOut: vi.fn(async () => {
        email = null;
      }),
    },
    interviews: { activeId: () => null, listInterviews: vi.fn(async () => []), requestEnd: vi.fn(() => true) },
  } as unknown as KioskServices;
  const published: ProctorStatus[] = [];
  const { handlers, owner } = createProctorHandlers({ services: () => services, onStatusChanged: (status) => published.push(status) });
  const page = (id: string) => ({ senderUrl: 'http://127.0.0.1:5181/', page: id });
  return { handlers, owner, services, published, page };
}

describe('the proctor session belongs to its page', () => {
  it('a second page is not signed in and is refused the proctor actions', async () => {
    const h = setup();
    await h.handlers['proctor.signIn']({ email: 'proctor@demo.example', password: 'x' }, h.page('a'));
    expect(await h.handlers['proctor.status'](undefined, h.page('a'))).toMatchObject({ signedIn: true, email: 'proctor@demo.example' });
    expect(await h.handlers['proctor.status'](undefined, h.page('b'))).toMatchObject({ signedIn: false, email: null });
    await expect(h.handlers['proctor.listInterviews'](undefined, h.page('b'))).rejects.toMatchObject({ code: 'proctor.not_signed_in' });
    await expect(h.handlers['proctor.endInterview'](undefined, h.page('b'))).rejects.toMatchObject({ code: 'proctor.not_signed_in' });
    expect(h.services.interviews.requestEnd).not.toHaveBeenCalled();
    await expect(h.handlers['proctor.listInterviews'](undefined, h.page('a'))).resolves.toEqual({ interviews: [] });
  });

  it('the status event names nobody, so no other page reads itself signed in from it', async () => {
    const h = setup();
    await h.handlers['proctor.signIn']({ email: 'proctor@demo.example', password: 'x' }, h.page('a'));
    expect(h.published).toEqual([{ signedIn: false, email: null, activeInterviewSessionId: null }]);
  });

  it('another page cannot sign the owner out; closing the owner’s page does', async () => {
    const h = setup();
    await h.handlers['proctor.signIn']({ email: 'proctor@demo.example', password: 'x' }, h.page('a'));
    await h.handlers['proctor.signOut'](undefined, h.page('b'));
    expect(h.services.proctor.signOut).not.toHaveBeenCalled();
    await h.owner.pageClosed('b');
    expect(h.owner.current()).toBe('a');
    await h.owner.pageClosed('a');
    expect(h.services.proctor.signOut).toHaveBeenCalledTimes(1);
    expect(h.owner.current()).toBeNull();
    expect(await h.handlers['proctor.status'](undefined, h.page('a'))).toMatchObject({ signedIn: false });
  });

  it('a page signing in takes the session over; the earlier page loses it', async () => {
    const h = setup();
    await h.handlers['proctor.signIn']({ email: 'first@demo.example', password: 'x' }, h.page('a'));
    await h.handlers['proctor.signIn']({ email: 'second@demo.example', password: 'x' }, h.page('b'));
    await expect(h.handlers['proctor.listInterviews'](undefined, h.page('a'))).rejects.toMatchObject({ code: 'proctor.not_signed_in' });
    expect(await h.handlers['proctor.status'](undefined, h.page('b'))).toMatchObject({ signedIn: true, email: 'second@demo.example' });
  });
});
