// POST /functions/v1/interview-transcript — see docs/backend.md. A thin shell: the work is in _shared/transcript-upload.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { interviewTranscriptBody } from '../_shared/request-schemas.ts';
import { uploadTranscript } from '../_shared/transcript-upload.ts';

const handler = endpoint({ name: 'interview-transcript', body: interviewTranscriptBody, batchField: 'entries', run: uploadTranscript });

export default handler;

if (import.meta.main) Deno.serve(handler);
