// One entry of an interview's session log (WebRTC audit, lockdown events, telemetry, errors, proctor operations): the same
// shape in the kiosk and on the wire, so one schema serves main's IPC boundary and interview-events.
import { z } from 'zod';
import { MAX_UPLOAD_BATCH } from './limits';

export const sessionEventKindSchema = z.enum([
  'webrtc_status',
  'sdp_offer',
  'sdp_answer',
  'ice_candidate',
  'telemetry',
  'lockdown',
  'error',
  /** A proctor operation (break, extra time, incident note, identity check); `data.action` says which. */
  'proctor',
]);
export type SessionEventKind = z.infer<typeof sessionEventKindSchema>;

/** What a `proctor` event records (migration 20261207000500 checks the same list in the table). */
export const PROCTOR_ACTIONS = ['pause', 'resume', 'extra_time', 'incident', 'identity_confirmed'] as const;
export type ProctorAction = (typeof PROCTOR_ACTIONS)[number];

export const sessionEventSchema = z
  .object({
    id: z.uuid(),
    kind: sessionEventKindSchema,
    at: z.iso.datetime({ offset: true }),
    data: z.record(z.string(), z.unknown()),
  })
  .superRefine((event, context) => {
    if (event.kind === 'webrtc_status') {
      const status = event.data.status;
      if (typeof status !== 'string' || !/^[a-z_]{1,40}$/.test(status)) {
        context.addIssue({ code: 'custom', path: ['data', 'status'], message: 'webrtc_status needs data.status (lower_snake, at most 40)' });
      }
    }
    if (event.kind === 'proctor' && !PROCTOR_ACTIONS.includes(event.data.action as ProctorAction)) {
      context.addIssue({ code: 'custom', path: ['data', 'action'], message: `proctor needs data.action (${PROCTOR_ACTIONS.join(', ')})` });
    }
    if ((event.kind === 'sdp_offer' || event.kind === 'sdp_answer') && typeof event.data.sdp !== 'string') {
      context.addIssue({ code: 'custom', path: ['data', 'sdp'], message: `${event.kind} needs data.sdp` });
    }
  });
export type SessionEvent = z.infer<typeof sessionEventSchema>;

/** An upload batch of events; a repeated id in one batch is the kiosk's bug, not a replay. */
export const sessionEventBatchSchema = z
  .array(sessionEventSchema)
  .min(1)
  .max(MAX_UPLOAD_BATCH)
  .superRefine((events, context) => {
    const ids = new Set<string>();
    for (const [index, event] of events.entries()) {
      if (ids.has(event.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: 'repeated id in batch' });
      ids.add(event.id);
    }
  });
