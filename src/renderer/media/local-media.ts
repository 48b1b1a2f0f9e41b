// The candidate's microphone and camera, asked for once per interview and reused by every call and
// by the recording. The camera is optional: an interview without recording can run without one.
// Every request ends in a final answer: granted, or a named problem (denied, missing, busy, or a
// permission prompt nobody answered in time), never "asking" forever.
import { deviceProblemFromError, type DeviceProblem } from '../../shared/domain/devices';

export interface LocalMedia {
  microphone: MediaStream;
  camera: MediaStream | null;
  /** Why there is no camera, when it was asked for and not granted. */
  cameraProblem?: DeviceProblem;
  stop(): void;
}

export type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<MediaStream>;

export class MediaAccessError extends Error {
  constructor(
    readonly code: 'microphone_blocked' | 'microphone_missing' | 'microphone_busy' | 'microphone_unanswered',
    message: string,
    readonly problem: DeviceProblem = code === 'microphone_missing' ? 'missing' : code === 'microphone_busy' ? 'busy' : code === 'microphone_unanswered' ? 'unanswered' : 'denied',
    /** What became of the camera, asked for even though the microphone failed, so the proctor sees both. */
    readonly camera: 'ok' | DeviceProblem | null = null,
  ) {
    super(message);
    this.name = 'MediaAccessError';
  }
}

/** A permission prompt nobody answers within this is reported as `unanswered`; Retry asks again. */
export const MEDIA_ANSWER_TIMEOUT_MS = 4_000;

const MICROPHONE: MediaStreamConstraints = { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false };
const CAMERA: MediaStreamConstraints = { audio: false, video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24 } } };

const defaultGetUserMedia: GetUserMedia = (constraints) => navigator.mediaDevices.getUserMedia(constraints);

/** One device request with a final answer: the stream, or why not. A stream granted too late is stopped. */
export async function requestDevice(
  getUserMedia: GetUserMedia,
  constraints: MediaStreamConstraints,
  timeoutMs = MEDIA_ANSWER_TIMEOUT_MS,
): Promise<{ stream: MediaStream } | { problem: DeviceProblem }> {
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const request = getUserMedia(constraints).then(
    (stream) => {
      if (timedOut) for (const track of stream.getTracks()) track.stop();
      return { stream };
    },
    (error: unknown) => ({ problem: deviceProblemFromError(error) }),
  );
  const timeout = new Promise<{ problem: DeviceProblem }>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolve({ problem: 'unanswered' });
    }, timeoutMs);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function requestCamera(getUserMedia: GetUserMedia = defaultGetUserMedia, timeoutMs?: number) {
  return requestDevice(getUserMedia, CAMERA, timeoutMs);
}

const microphoneErrors: Record<DeviceProblem, { code: MediaAccessError['code']; message: string }> = {
  denied: { code: 'microphone_blocked', message: 'The kiosk was not allowed to use the microphone.' },
  missing: { code: 'microphone_missing', message: 'No microphone was found.' },
  busy: { code: 'microphone_busy', message: 'Another program is using the microphone.' },
  unanswered: { code: 'microphone_unanswered', message: 'Nobody answered the request for the microphone.' },
  failed: { code: 'microphone_blocked', message: 'The microphone could not be used.' },
};

export async function acquireLocalMedia(
  getUserMedia: GetUserMedia = defaultGetUserMedia,
  options: { camera: boolean; timeoutMs?: number } = { camera: true },
): Promise<LocalMedia> {
  const microphone = await requestDevice(getUserMedia, MICROPHONE, options.timeoutMs);
  const camera = options.camera ? await requestDevice(getUserMedia, CAMERA, options.timeoutMs) : null;
  const cameraStream = camera && 'stream' in camera ? camera.stream : null;
  if ('problem' in microphone) {
    for (const track of cameraStream?.getTracks() ?? []) track.stop();
    const { code, message } = microphoneErrors[microphone.problem];
    throw new MediaAccessError(code, message, microphone.problem, camera === null ? null : 'stream' in camera ? 'ok' : camera.problem);
  }
  const microphoneStream = microphone.stream;
  return {
    microphone: microphoneStream,
    camera: cameraStream,
    cameraProblem: camera && 'problem' in camera ? camera.problem : undefined,
    stop() {
      for (const track of [...microphoneStream.getTracks(), ...(cameraStream?.getTracks() ?? [])]) track.stop();
    },
  };
}
