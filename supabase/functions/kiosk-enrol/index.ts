// POST /functions/v1/kiosk-enrol — see docs/backend.md. A thin shell: the work is in _shared/kiosk-enrolment.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { kioskEnrolBody } from '../_shared/request-schemas.ts';
import { enrolKiosk } from '../_shared/kiosk-enrolment.ts';

const handler = endpoint({ name: 'kiosk-enrol', body: kioskEnrolBody, anonymous: true, run: enrolKiosk });

export default handler;

if (import.meta.main) Deno.serve(handler);
