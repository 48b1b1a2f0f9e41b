// The throttle runs against a real SQLite file; "restarting the kiosk" is closing that database and
// opening a new throttle on the same file, as main does when it starts again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../../../src/main/platform/kiosk-database';
import { createPinThrottle, pinLockoutMs } from '../../../../src/main/identity/pin-throttle';

const dirs: string[] = [];
const open: KioskDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function kioskDataFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pin-throttle-'));
  dirs.push(dir);
  return join(dir, 'outbox.sqlite');
}

/** A clock the test moves by hand, starting at a realistic epoch time. */
function manualClock(start = Date.UTC(2026, 11, 4, 9)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function start(path: string, clock: { now(): number }, warnings: object[] = []) {
  const db = openKioskDatabase(path);
  open.push(db);
  return { db, throttle: createPinThrottle({ db, clock, logger: { warn: (object) => warnings.push(object) } }) };
}

const wrong = async () => false;
const right = async () => true;

describe('PIN throttle', () => {
  it('locks out after five wrong PINs, doubling up to five minutes', async () => {
    const clock = manualClock();
    const { throttle } = start(kioskDataFile(), clock);
    for (let i = 0; i < 5; i++) await expect(throttle.attempt(wrong)).resolves.toBe(false);
    await expect(throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_locked', message: expect.stringContaining('30 s') });
    clock.advance(pinLockoutMs(5));
    await expect(throttle.attempt(wrong)).resolves.toBe(false);
    clock.advance(pinLockoutMs(6) - 1);
    await expect(throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_locked' });
    clock.advance(1);
    await expect(throttle.attempt(right)).resolves.toBe(true);
    expect([pinLockoutMs(4), pinLockoutMs(5), pinLockoutMs(6), pinLockoutMs(20)]).toEqual([0, 30_000, 60_000, 5 * 60_000]);
  });

  it('tells how long the lockout still lasts, so the proctor page can count it down', async () => {
    const clock = manualClock();
    const { throttle } = start(kioskDataFile(), clock);
    for (let i = 0; i < 4; i++) await throttle.attempt(wrong);
    expect(throttle.lockedForMs()).toBe(0);
    await throttle.attempt(wrong);
    expect(throttle.lockedForMs()).toBe(30_000);
    clock.advance(12_500);
    expect(throttle.lockedForMs()).toBe(17_500);
    clock.advance(17_500);
    expect(throttle.lockedForMs()).toBe(0);
  });

  it('a right PIN clears the count, so the next five wrong ones are free again', async () => {
    const clock = manualClock();
    const { throttle } = start(kioskDataFile(), clock);
    for (let i = 0; i < 4; i++) await throttle.attempt(wrong);
    await expect(throttle.attempt(right)).resolves.toBe(true);
    for (let i = 0; i < 4; i++) await expect(throttle.attempt(wrong)).resolves.toBe(false);
    await expect(throttle.attempt(right)).resolves.toBe(true);
  });

  it('checks one PIN at a time, so guesses typed during a slow check are refused, not counted later', async () => {
    const { throttle } = start(kioskDataFile(), manualClock());
    let finish!: (right: boolean) => void;
    const first = throttle.attempt(() => new Promise<boolean>((resolve) => (finish = resolve)));
    await expect(throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_busy' });
    finish(false);
    await expect(first).resolves.toBe(false);
    await expect(throttle.attempt(right)).resolves.toBe(true);
  });

  it('attack: a restart does not reset the wrong-PIN lockout', async () => {
    const path = kioskDataFile();
    const clock = manualClock();
    const before = start(path, clock);
    for (let i = 0; i < 5; i++) await before.throttle.attempt(wrong);
    before.db.close();

    clock.advance(10_000);
    const after = start(path, clock);
    await expect(after.throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_locked', message: expect.stringContaining('20 s') });
    // The count survived too: the next wrong PIN after the lockout is the sixth, locking for 60 s.
    clock.advance(20_000);
    await expect(after.throttle.attempt(wrong)).resolves.toBe(false);
    after.db.close();

    const again = start(path, clock);
    clock.advance(pinLockoutMs(6) - 1);
    await expect(again.throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_locked' });
    clock.advance(1);
    await expect(again.throttle.attempt(right)).resolves.toBe(true);
  });

  it('attack: cutting the power during a check still counts that guess', async () => {
    const path = kioskDataFile();
    const clock = manualClock();
    const before = start(path, clock);
    for (let i = 0; i < 4; i++) await before.throttle.attempt(wrong);
    // The fifth check never answers: the kiosk loses power while the KDF runs.
    void before.throttle.attempt(() => new Promise<boolean>(() => {}));
    await Promise.resolve();
    before.db.close();

    const after = start(path, clock);
    await expect(after.throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_locked' });
  });

  it('refuses to check a PIN when it cannot record the try', async () => {
    const { db, throttle } = start(kioskDataFile(), manualClock());
    db.close();
    let checked = false;
    await expect(
      throttle.attempt(async () => {
        checked = true;
        return true;
      }),
    ).rejects.toThrow();
    expect(checked).toBe(false);
  });

  it.each([
    ['a text count', "'many'", '0'],
    ['a negative count', '-3', '0'],
    ['a fractional count', '2.5', '0'],
    ['a text deadline', '0', "'soon'"],
    ['a negative deadline', '0', '-1'],
    ['a deadline beyond 2^53', '0', '9223372036854775807'],
    ['a blob', "x'00ff'", '0'],
  ])('reads a damaged row (%s) as a fresh lockout, not a clean slate', async (_name, failures, lockedUntil) => {
    const path = kioskDataFile();
    const clock = manualClock();
    const warnings: object[] = [];
    const { db, throttle } = start(path, clock, warnings);
    db.exec(`insert into pin_throttle (id, failures, locked_until, updated_at) values (1, ${failures}, ${lockedUntil}, 0)`);
    await expect(throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_locked', message: expect.stringContaining('30 s') });
    expect(warnings).toHaveLength(1);
    // The repair is stored: it holds across a restart and ends after one lockout.
    db.close();
    const after = start(path, clock, warnings);
    clock.advance(pinLockoutMs(5) - 1);
    await expect(after.throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_locked' });
    clock.advance(1);
    await expect(after.throttle.attempt(right)).resolves.toBe(true);
    expect(warnings).toHaveLength(1);
  });

  it('caps a deadline further out than the longest lockout (the clock went back) at five minutes from now', async () => {
    const path = kioskDataFile();
    const clock = manualClock();
    const { db, throttle } = start(path, clock);
    db.prepare('insert into pin_throttle (id, failures, locked_until, updated_at) values (1, 9, ?, 0)').run(clock.now() + 24 * 3_600_000);
    await expect(throttle.attempt(right)).rejects.toMatchObject({ code: 'proctor.pin_locked', message: expect.stringContaining('300 s') });
    clock.advance(5 * 60_000);
    await expect(throttle.attempt(right)).resolves.toBe(true);
  });
});
