// Records the camera with a Web Audio mix of the candidate's microphone and the interviewer's voice.
// Each ~1 s chunk goes to main the moment MediaRecorder hands it over, in order; nothing piles up
// in the renderer beyond the chunk in flight.

export interface RecorderSink {
  start(mimeType: string): Promise<{ recordingId: string }>;
  chunk(recordingId: string, index: number, bytes: Uint8Array<ArrayBuffer>): Promise<unknown>;
  finish(recordingId: string, durationMs: number): Promise<unknown>;
}

export interface InterviewRecorderOptions {
  camera: MediaStream | null;
  microphone: MediaStream;
  sink: RecorderSink;
  timesliceMs?: number;
  onError?: (error: unknown) => void;
  createAudioContext?: () => AudioContext;
  createRecorder?: (stream: MediaStream, options: MediaRecorderOptions) => MediaRecorder;
  now?: () => number;
}

const CHUNK_ATTEMPTS = 4;
const PREFERRED_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'];

export function pickMimeType(isSupported: (type: string) => boolean = (type) => MediaRecorder.isTypeSupported(type)): string {
  return PREFERRED_TYPES.find((type) => isSupported(type)) ?? 'video/webm';
}

export class InterviewRecorder {
  private recorder: MediaRecorder | null = null;
  private context: AudioContext | null = null;
  private mixIn: MediaStreamAudioDestinationNode | null = null;
  private recordingId: string | null = null;
  private index = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private startedAt = 0;
  private stopping: Promise<void> | null = null;
  private failed = false;
  private readonly now: () => number;

  constructor(private readonly options: InterviewRecorderOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  async start(): Promise<void> {
    const context = this.options.createAudioContext?.() ?? new AudioContext();
    this.context = context;
    this.mixIn = context.createMediaStreamDestination();
    context.createMediaStreamSource(this.options.microphone).connect(this.mixIn);
    const tracks = [...(this.options.camera?.getVideoTracks() ?? []), ...this.mixIn.stream.getAudioTracks()];
    const mimeType = pickMimeType();
    const { recordingId } = await this.options.sink.start(mimeType);
    this.recordingId = recordingId;
    const stream = new MediaStream(tracks);
    const recorderOptions: MediaRecorderOptions = { mimeType, videoBitsPerSecond: 1_000_000, audioBitsPerSecond: 64_000 };
    const recorder = this.options.createRecorder?.(stream, recorderOptions) ?? new MediaRecorder(stream, recorderOptions);
    recorder.addEventListener('dataavailable', (event: BlobEvent) => this.enqueue(event.data));
    recorder.addEventListener('error', (event) => this.options.onError?.(event));
    this.recorder = recorder;
    this.startedAt = this.now();
    recorder.start(this.options.timesliceMs ?? 1_000);
  }

  /** The interviewer's audio joins the mix; called again with each new call after a reconnect. */
  addRemoteAudio(stream: MediaStream): void {
    if (!this.context || !this.mixIn || stream.getAudioTracks().length === 0) return;
    this.context.createMediaStreamSource(stream).connect(this.mixIn);
  }

  /** Stops, waits for the last chunk to reach main, and closes the recording file. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    const recorder = this.recorder;
    if (!recorder || !this.recordingId) return Promise.resolve();
    const recordingId = this.recordingId;
    this.stopping = (async () => {
      if (recorder.state !== 'inactive') {
        await new Promise<void>((resolve) => {
          recorder.addEventListener('stop', () => resolve(), { once: true });
          recorder.stop();
        });
      }
      await this.chain;
      await this.options.sink.finish(recordingId, Math.max(0, Math.round(this.now() - this.startedAt)));
      await this.context?.close().catch(() => undefined);
    })();
    return this.stopping;
  }

  private enqueue(blob: Blob): void {
    if (!this.recordingId || blob.size === 0) return;
    const recordingId = this.recordingId;
    const index = this.index++;
    // One chunk at a time, in order: main refuses gaps and replays by index, so a chunk that fails is
    // retried a few times before the recording is given up on (a gap would end it anyway).
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      const bytes = new Uint8Array(await blob.arrayBuffer());
      for (let attempt = 1; ; attempt++) {
        try {
          await this.options.sink.chunk(recordingId, index, bytes);
          return;
        } catch (error) {
          if (attempt >= CHUNK_ATTEMPTS) {
            this.failed = true;
            this.options.onError?.(error);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    });
  }
}
