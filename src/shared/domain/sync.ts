import { z } from 'zod';

/** What the sync engine reports to the tray and the renderer. */
export const syncStateSchema = z.object({
  online: z.boolean(),
  pending: z.number().int().nonnegative(),
  /** Age in ms of the oldest operation still waiting, or null when nothing waits. */
  oldestPendingAgeMs: z.number().nonnegative().nullable(),
  deadLetters: z.number().int().nonnegative(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.iso.datetime({ offset: true }) }).nullable(),
  lastSyncAt: z.iso.datetime({ offset: true }).nullable(),
});
export type SyncState = z.infer<typeof syncStateSchema>;
