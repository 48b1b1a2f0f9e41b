// The network lab's two quickest profiles inside `npm test`: a whole interview with the media path
// through the impairing UDP relay, once under 2 % loss each way and once with a 15 s blackout in the
// middle of the candidate's answer. Asserted: every turn of the script is in Postgres once and in
// order, the session completed, and through the blackout the candidate saw the call recover and the
// session log noted it. Never timings.
import { expect, test } from '@playwright/test';
import { runLabProfile } from '../support/netlab/lab';
import { labProfiles } from '../netlab/profiles';

const profile = (name: string) => labProfiles.find((candidate) => candidate.name === name)!;

test.describe.configure({ mode: 'serial' });

test('under 2 % loss each way every turn reaches Postgres once, in order', async () => {
  test.setTimeout(300_000);
  const result = await runLabProfile(profile('loss 2 %'));
  expect(result.reason).toBeNull();
  expect(result.outcome).toBe('completed');
  // The relay really lost packets, and the provider peer counted them missing.
  expect(result.relay.uplinkDropped + result.relay.downlinkDropped).toBeGreaterThan(0);
  expect(result.provider.packetsLost).toBeGreaterThan(0);
  expect(result.completeness).toMatchObject({ gapless: true, inOrder: true, missing: [], sessionStatus: 'completed' });
});

test('a 15 s blackout mid-answer: the candidate sees the link go and come back, and every turn is in Postgres once, in order', async () => {
  test.setTimeout(300_000);
  const result = await runLabProfile(profile('blackout 15 s mid-answer'));
  expect(result.reason).toBeNull();
  expect(result.outcome).toBe('completed');
  expect(result.completeness).toMatchObject({ gapless: true, inOrder: true, missing: [], sessionStatus: 'completed' });
  // What the room showed, in order: the call live, then the unstable notice (maybe the reconnecting banner after it), then live again and calm.
  const troubled = result.shown.findIndex((shown) => shown.includes('unstable notice'));
  expect(troubled, result.shown.join(' → ')).toBeGreaterThan(0);
  expect(result.shown.slice(troubled).some((shown) => shown.includes('badge:live') && !shown.includes('unstable notice') && !shown.includes('reconnecting'))).toBe(true);
  expect(result.recovery?.toAudioMs).not.toBeNull();
  expect(result.linkEvents.some((event) => event.startsWith('unstable'))).toBe(true);
  expect(result.linkEvents.at(-1)).toBe('stable');
});
