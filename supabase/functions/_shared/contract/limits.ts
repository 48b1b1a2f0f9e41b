// GENERATED from src/shared/contract/limits.ts by `npm run contract:copy`: edit the source, not this copy.
// The limits of the transcript and the session log. The kiosk (renderer, main) and the edge functions
// read them from here (the functions from the generated copy in supabase/functions/_shared/contract);
// the database's CHECKs state the same bounds and tests/integration/backend/client-limits.test.ts
// keeps the two together.

/** Far above any real interview, low enough that the server's gap check (0..last seq) stays cheap. */
export const MAX_SEQ = 100_000;
/** The longest entry text anyone accepts; a longer turn keeps its start. */
export const MAX_ENTRY_TEXT = 20_000;
/** Ten hours of played audio: beyond any turn, low enough to refuse a value in the wrong unit. */
export const MAX_HEARD_MS = 36_000_000;
/** The provider's item id is kept for diagnosis only. */
export const MAX_ITEM_ID = 200;
/** Entries or events per upload request: one outbox batch, one edge-function call, one transaction. */
export const MAX_UPLOAD_BATCH = 500;
/**
 * Entries or events per IPC call from the window to main: the window hands over as turns end, so a call
 * is small; the bound keeps one message from holding main's event loop.
 */
export const MAX_IPC_BATCH = 100;
