// GENERATED from src/shared/contract/index.ts by `npm run contract:copy`: edit the source, not this copy.
// The transcript and session-log contract shared by the kiosk and the edge functions (dependency-free
// apart from zod). The functions deploy on their own, so they use a generated copy of this folder:
// `npm run contract:copy` writes it, and tests/unit/shared/contract-copy.test.ts fails when it drifts.
export * from './limits.ts';
export * from './transcript.ts';
export * from './session-log.ts';
export * from './interview-end.ts';
