// POST /functions/v1/kiosk-enrolment-code — see docs/backend.md. A thin shell: the work is in _shared/kiosk-enrolment.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { kioskEnrolmentCodeBody } from '../_shared/request-schemas.ts';
import { issueEnrolmentCode } from '../_shared/kiosk-enrolment.ts';

const handler = endpoint({ name: 'kiosk-enrolment-code', body: kioskEnrolmentCodeBody, run: issueEnrolmentCode });

export default handler;

if (import.meta.main) Deno.serve(handler);
