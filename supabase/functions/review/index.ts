// POST /functions/v1/review — the review console's reads and decisions; see docs/review-console.md.
// A thin shell: the work is in _shared/review-console.ts.
import { endpoint } from '../_shared/http-endpoint.ts';
import { review, reviewBody } from '../_shared/review-console.ts';

const handler = endpoint({ name: 'review', body: reviewBody, run: review });

export default handler;

if (import.meta.main) Deno.serve(handler);
