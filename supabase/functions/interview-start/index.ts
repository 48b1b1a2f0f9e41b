// POST /functions/v1/interview-start — see docs/backend.md. A thin shell: the work is in _shared/interview-launch.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { interviewStartBody } from '../_shared/request-schemas.ts';
import { startInterview } from '../_shared/interview-launch.ts';

const handler = endpoint({ name: 'interview-start', body: interviewStartBody, run: startInterview });

export default handler;

if (import.meta.main) Deno.serve(handler);
