// One Supabase Auth identity held in main (the proctor's, or the kiosk's device identity), through
// supabase-js with the encrypted storage adapter. Only access tokens ever leave this module.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { KioskError } from '../../shared/kiosk-error';
import type { EncryptedSessionStorage } from './encrypted-session-storage';

export const AUTH_ERROR = {
  invalidCredentials: 'auth.invalid_credentials',
  unreachable: 'auth.unreachable',
  signedOut: 'auth.signed_out',
  deviceNotEnrolled: 'auth.device_not_enrolled',
} as const;

export interface AuthSession {
  signIn(email: string, password: string): Promise<{ email: string | null }>;
  signOut(): Promise<void>;
  /** A valid access token (refreshed if it expired), or null when signed out. */
  accessToken(): Promise<string | null>;
  /** Forces a refresh, e.g. after the backend answered 401. */
  refresh(): Promise<string | null>;
  email(): Promise<string | null>;
  dispose(): void;
}

export interface AuthSessionOptions {
  name: string;
  supabaseUrl: string;
  publishableKey: string;
  storage: EncryptedSessionStorage;
  fetch: typeof fetch;
}

export function createAuthSession(options: AuthSessionOptions): AuthSession {
  const client: SupabaseClient = createClient(options.supabaseUrl, options.publishableKey, {
    auth: {
      storage: options.storage,
      storageKey: `kiosk-auth-${options.name}`,
      persistSession: true,
      // Main refreshes on demand (before use and after a 401) rather than on a background timer.
      autoRefreshToken: false,
      detectSessionInUrl: false,
    },
    global: { fetch: options.fetch },
    // Node 20 has no global WebSocket; supabase-js builds its realtime client eagerly even unused.
    realtime: { transport: ws as unknown as never },
  });

  return {
    async signIn(email, password) {
      const { data, error } = await client.auth.signInWithPassword({ email, password });
      if (error || !data.session) {
        const status = (error as { status?: number } | null)?.status;
        if (status === undefined || status === 0 || status >= 500) {
          throw new KioskError(AUTH_ERROR.unreachable, 'The sign-in service could not be reached. Check the network and try again.');
        }
        throw new KioskError(AUTH_ERROR.invalidCredentials, 'That email and password were not accepted.');
      }
      return { email: data.session.user.email ?? null };
    },
    async signOut() {
      // Local scope: the session is forgotten here even when the backend cannot be told.
      await client.auth.signOut({ scope: 'local' });
    },
    async accessToken() {
      const { data } = await client.auth.getSession();
      return data.session?.access_token ?? null;
    },
    async refresh() {
      const { data, error } = await client.auth.refreshSession();
      if (error) {
        const status = (error as { status?: number }).status;
        if (status === undefined || status === 0 || status >= 500) {
          throw new KioskError(AUTH_ERROR.unreachable, 'The sign-in service could not be reached to refresh the session.');
        }
        return null;
      }
      return data.session?.access_token ?? null;
    },
    async email() {
      const { data } = await client.auth.getSession();
      return data.session?.user.email ?? null;
    },
    dispose() {
      void client.auth.stopAutoRefresh();
      void client.removeAllChannels();
    },
  };
}
