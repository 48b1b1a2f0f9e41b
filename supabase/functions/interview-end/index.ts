// POST /functions/v1/interview-end — see docs/backend.md. A thin shell: the work is in _shared/interview-close.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { interviewEndBody } from '../_shared/request-schemas.ts';
import { endInterview } from '../_shared/interview-close.ts';

const handler = endpoint({ name: 'interview-end', body: interviewEndBody, run: endInterview });

export default handler;

if (import.meta.main) Deno.serve(handler);
