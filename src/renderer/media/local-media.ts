// The candidate's microphone and camera, asked for once per interview and reused by every call and
// by the recording. The camera is optional: an interview without recording can run without one.

export interface LocalMedia {
  microphone: MediaStream;
  camera: MediaStream | null;
  stop(): void;
}

export class MediaAccessError extends Error {
  constructor(
    readonly code: 'microphone_blocked' | 'microphone_missing',
    message: string,
  ) {
    super(message);
    this.name = 'MediaAccessError';
  }
}

export async function acquireLocalMedia(
  getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream> = (constraints) => navigator.mediaDevices.getUserMedia(constraints),
  options: { camera: boolean } = { camera: true },
): Promise<LocalMedia> {
  let microphone: MediaStream;
  try {
    microphone = await getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    throw new MediaAccessError(
      name === 'NotFoundError' ? 'microphone_missing' : 'microphone_blocked',
      name === 'NotFoundError' ? 'No microphone was found.' : 'The microphone could not be used.',
    );
  }
  let camera: MediaStream | null = null;
  if (options.camera) {
    camera = await getUserMedia({ audio: false, video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24 } } }).catch(() => null);
  }
  return {
    microphone,
    camera,
    stop() {
      for (const track of [...microphone.getTracks(), ...(camera?.getTracks() ?? [])]) track.stop();
    },
  };
}
