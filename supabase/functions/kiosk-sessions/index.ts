// POST /functions/v1/kiosk-sessions — see docs/backend.md. A thin shell: the work is in _shared/session-listing.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { kioskSessionsBody } from '../_shared/request-schemas.ts';
import { listKioskSessions } from '../_shared/session-listing.ts';

const handler = endpoint({ name: 'kiosk-sessions', body: kioskSessionsBody, run: listKioskSessions });

export default handler;

if (import.meta.main) Deno.serve(handler);
