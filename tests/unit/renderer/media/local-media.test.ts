// Every request for the microphone and camera ends in a final answer: the stream, or the named
// problem, including a permission prompt nobody answers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireLocalMedia, MediaAccessError, requestDevice } from '../../../../src/renderer/media/local-media';
import { deviceProblemFromError } from '../../../../src/shared/domain/devices';

const domError = (name: string) => Object.assign(new Error(name), { name });
function fakeStream() {
  const track = { stop: vi.fn() };
  return { stream: { getTracks: () => [track] } as unknown as MediaStream, track };
}

afterEach(() => vi.useRealTimers());

describe('device problems by DOMException name', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'missing'],
    ['OverconstrainedError', 'missing'],
    ['NotReadableError', 'busy'],
    ['AbortError', 'busy'],
    ['TypeError', 'failed'],
  ])('%s is %s', (name, problem) => expect(deviceProblemFromError(domError(name))).toBe(problem));

  it('a thrown non-error is a plain failure', () => expect(deviceProblemFromError('nope')).toBe('failed'));
});

describe('requestDevice', () => {
  it('a prompt nobody answers is "unanswered" after the timeout, and a stream granted later is stopped', async () => {
    vi.useFakeTimers();
    const late = fakeStream();
    let grant!: (stream: MediaStream) => void;
    const answer = requestDevice(() => new Promise((resolve) => (grant = resolve)), { audio: true }, 4_000);
    await vi.advanceTimersByTimeAsync(3_999);
    let settled = false;
    void answer.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await answer).toEqual({ problem: 'unanswered' });
    grant(late.stream);
    await vi.waitFor(() => expect(late.track.stop).toHaveBeenCalled());
  });

  it('a refusal before the timeout is its own problem', async () => {
    expect(await requestDevice(async () => Promise.reject(domError('NotReadableError')), { audio: true })).toEqual({ problem: 'busy' });
  });
});

describe('acquireLocalMedia', () => {
  it('asks for the camera even when the microphone was refused, and reports both', async () => {
    const camera = fakeStream();
    const asked: MediaStreamConstraints[] = [];
    const error = await acquireLocalMedia(async (constraints) => {
      asked.push(constraints);
      if (constraints.audio) throw domError('NotAllowedError');
      return camera.stream;
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaAccessError);
    expect(error).toMatchObject({ code: 'microphone_blocked', problem: 'denied', camera: 'ok' });
    expect(asked).toHaveLength(2);
    // The camera alone is of no use without the microphone; it is not left running.
    expect(camera.track.stop).toHaveBeenCalled();
  });

  it('a missing camera leaves the microphone working and names the camera problem', async () => {
    const microphone = fakeStream();
    const media = await acquireLocalMedia(async (constraints) => {
      if (constraints.video) throw domError('NotFoundError');
      return microphone.stream;
    });
    expect(media.microphone).toBe(microphone.stream);
    expect(media.camera).toBeNull();
    expect(media.cameraProblem).toBe('missing');
  });

  it.each([
    ['NotFoundError', 'microphone_missing', 'missing'],
    ['NotReadableError', 'microphone_busy', 'busy'],
  ])('a microphone %s is %s', async (name, code, problem) => {
    const error = await acquireLocalMedia(async () => Promise.reject(domError(name))).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code, problem, camera: problem === 'missing' ? 'missing' : 'busy' });
  });
});
