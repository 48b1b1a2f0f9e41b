// POST /functions/v1/interview-recording — see docs/backend.md. A thin shell: the work is in _shared/recording-registry.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { interviewRecordingBody } from '../_shared/request-schemas.ts';
import { registerRecording } from '../_shared/recording-registry.ts';

const handler = endpoint({ name: 'interview-recording', body: interviewRecordingBody, run: registerRecording });

export default handler;

if (import.meta.main) Deno.serve(handler);
