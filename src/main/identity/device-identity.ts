// The kiosk's own identity (role `kiosk` in its tenant). Uploads run as it, so they go on after a
// restart with nobody signed in. Its password comes with the tenant config at enrolment; after the
// first sign-in the encrypted refresh token carries on, and the password is needed again only if the
// session is lost (revoked, or never persisted because there is no OS keyring).
import { KioskError } from '../../shared/kiosk-error';
import { AUTH_ERROR, type AuthSession } from './auth-session';

export interface DeviceIdentity {
  accessToken(): Promise<string>;
  refresh(): Promise<string>;
}

export function createDeviceIdentity(session: AuthSession, credentials: { email: string; password?: string }): DeviceIdentity {
  async function signIn(): Promise<string> {
    if (!credentials.password) {
      throw new KioskError(AUTH_ERROR.deviceNotEnrolled, 'This kiosk has no device session and no enrolment password; re-enrol it.');
    }
    await session.signIn(credentials.email, credentials.password);
    const token = await session.accessToken();
    if (!token) throw new KioskError(AUTH_ERROR.signedOut, 'The device identity could not sign in.');
    return token;
  }
  return {
    async accessToken() {
      return (await session.accessToken()) ?? signIn();
    },
    async refresh() {
      return (await session.refresh()) ?? signIn();
    },
  };
}
