import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterviewRecorder, pickMimeType } from '../../../src/renderer/recording/interview-recorder';

class FakeRecorder extends EventTarget {
  state: RecordingState = 'inactive';
  timeslice = 0;
  constructor(
    readonly stream: { tracks: unknown[] },
    readonly options: MediaRecorderOptions,
  ) {
    super();
  }
  start(timeslice: number) {
    this.state = 'recording';
    this.timeslice = timeslice;
  }
  chunk(text: string) {
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob([text]) }));
  }
  stop() {
    this.state = 'inactive';
    // The browser hands over the last slice, then says it stopped.
    this.chunk('last');
    setTimeout(() => this.dispatchEvent(new Event('stop')), 5);
  }
}

function fakeAudioContext() {
  const connected: unknown[] = [];
  const destination = { stream: { getAudioTracks: () => ['mixed-audio'] } };
  return {
    connected,
    context: {
      createMediaStreamDestination: () => destination,
      createMediaStreamSource: (stream: unknown) => ({ connect: () => connected.push(stream) }),
      close: vi.fn(async () => {}),
    } as unknown as AudioContext,
  };
}

beforeEach(() => {
  vi.stubGlobal('MediaStream', class {
    constructor(readonly tracks: unknown[]) {}
  });
  vi.stubGlobal('MediaRecorder', { isTypeSupported: (type: string) => type === 'video/webm;codecs=vp8,opus' });
});
afterEach(() => vi.unstubAllGlobals());

function setup(chunk: (index: number) => Promise<unknown> = async () => ({})) {
  const log: string[] = [];
  let recorder: FakeRecorder | null = null;
  const audio = fakeAudioContext();
  const onError = vi.fn();
  const instance = new InterviewRecorder({
    camera: { getVideoTracks: () => ['camera-video'] } as unknown as MediaStream,
    microphone: 'mic' as unknown as MediaStream,
    sink: {
      start: async (mimeType) => {
        log.push(`start ${mimeType}`);
        return { recordingId: 'rec-1' };
      },
      chunk: async (_id, index, bytes) => {
        await chunk(index);
        log.push(`chunk ${index} ${new TextDecoder().decode(bytes)}`);
      },
      finish: async (_id, durationMs) => {
        log.push(`finish ${durationMs >= 0}`);
      },
    },
    createAudioContext: () => audio.context,
    createRecorder: (stream, options) => (recorder = new FakeRecorder(stream as unknown as { tracks: unknown[] }, options)) as unknown as MediaRecorder,
    onError,
  });
  return { instance, log, recorder: () => recorder!, audio, onError };
}

describe('interview recorder', () => {
  it('picks the first WebM type the browser supports', () => {
    expect(pickMimeType((type) => type.includes('vp9'))).toBe('video/webm;codecs=vp9,opus');
    expect(pickMimeType(() => false)).toBe('video/webm');
  });

  it('records the camera with the mixed voices, sends each slice in order as it comes, and finishes after the last one', async () => {
    const { instance, log, recorder, audio } = setup(async (index) => {
      // The first chunk is slow to reach main; the next must still wait its turn.
      if (index === 0) await new Promise((resolve) => setTimeout(resolve, 30));
    });
    await instance.start();
    expect(recorder().stream.tracks).toEqual(['camera-video', 'mixed-audio']);
    expect(recorder().timeslice).toBe(1_000);
    instance.addRemoteAudio({ getAudioTracks: () => ['interviewer'] } as unknown as MediaStream);
    expect(audio.connected).toHaveLength(2);
    recorder().chunk('a');
    recorder().chunk('b');
    await instance.stop();
    expect(log).toEqual(['start video/webm;codecs=vp8,opus', 'chunk 0 a', 'chunk 1 b', 'chunk 2 last', 'finish true']);
    expect(audio.context.close).toHaveBeenCalled();
  });

  it('retries a chunk main could not take, and reports when it keeps failing', async () => {
    let failures = 2;
    const { instance, log, recorder, onError } = setup(async () => {
      if (failures-- > 0) throw new Error('busy');
    });
    await instance.start();
    recorder().chunk('a');
    await instance.stop();
    expect(log).toEqual(['start video/webm;codecs=vp8,opus', 'chunk 0 a', 'chunk 1 last', 'finish true']);
    expect(onError).not.toHaveBeenCalled();

    const broken = setup(async () => {
      throw new Error('disk full');
    });
    await broken.instance.start();
    broken.recorder().chunk('a');
    await broken.instance.stop();
    expect(broken.onError).toHaveBeenCalledTimes(1);
    expect(broken.log).toEqual(['start video/webm;codecs=vp8,opus', 'finish true']);
  });
});
