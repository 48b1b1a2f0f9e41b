// POST /functions/v1/interview-events — see docs/backend.md. A thin shell: the work is in _shared/event-log.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { interviewEventsBody } from '../_shared/request-schemas.ts';
import { appendEvents } from '../_shared/event-log.ts';

const handler = endpoint({ name: 'interview-events', body: interviewEventsBody, batchField: 'events', run: appendEvents });

export default handler;

if (import.meta.main) Deno.serve(handler);
