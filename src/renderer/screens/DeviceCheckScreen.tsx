import { useEffect, useRef, useState } from 'react';
import { useInterviewActions } from '../interview/actions-context';
import { createLevelMeter } from '../media/level-meter';
import { useConnectionStore } from '../stores/connection-store';
import { useInterviewStore } from '../stores/interview-store';
import type { DeviceProblem, DeviceState } from '../../shared/domain/devices';

type CheckState = 'ok' | 'waiting' | 'problem';

function CheckLine({ label, state, detail }: { label: string; state: CheckState; detail: string }) {
  const symbol = state === 'ok' ? '✓' : state === 'problem' ? '!' : '…';
  return (
    <li className={`check ${state}`} data-check={label.toLowerCase()}>
      <span className="check-mark" aria-hidden="true">
        {symbol}
      </span>
      <span>
        <strong>{label}</strong> <span className="muted">{detail}</span>
      </span>
    </li>
  );
}

function MicrophoneMeter() {
  const actions = useInterviewActions();
  const microphone = useInterviewStore((store) => store.devices.microphone);
  const [level, setLevel] = useState(0);
  useEffect(() => {
    const media = actions.localMedia();
    if (microphone !== 'ok' || !media || typeof AudioContext === 'undefined') return;
    const meter = createLevelMeter(media.microphone);
    let frame = 0;
    const loop = () => {
      setLevel(meter.read());
      frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
    return () => {
      cancelAnimationFrame(frame);
      meter.stop();
    };
  }, [actions, microphone]);
  return (
    <meter className="level" min={0} max={1} low={0.1} high={0.9} optimum={0.5} value={level} aria-label="Microphone level">
      {Math.round(level * 100)}%
    </meter>
  );
}

const PROBLEM_WORDS: Record<DeviceProblem, string> = {
  denied: 'not allowed',
  missing: 'none found',
  busy: 'in use by another program',
  unanswered: 'the request was not answered',
  failed: 'would not start',
};

/** What the check line says about a device: asking (briefly), ready, or its final problem. */
function deviceLine(state: DeviceState, ifProblem = ''): { state: CheckState; detail: string } {
  if (state === 'ok') return { state: 'ok', detail: 'ready' };
  if (state === 'waiting') return { state: 'waiting', detail: 'asking…' };
  return { state: 'problem', detail: `${PROBLEM_WORDS[state]}${ifProblem}` };
}

function CameraPreview() {
  const actions = useInterviewActions();
  const camera = useInterviewStore((store) => store.devices.camera);
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const stream = actions.localMedia()?.camera;
    if (camera !== 'ok' || !stream || !video.current) return;
    video.current.srcObject = stream;
    void video.current.play().catch(() => undefined);
  }, [actions, camera]);
  if (camera !== 'ok' && camera !== 'waiting') return <div className="camera-preview empty">No camera picture</div>;
  return <video ref={video} className="camera-preview" muted playsInline aria-label="Your camera picture" />;
}

export default function DeviceCheckScreen() {
  const actions = useInterviewActions();
  const devices = useInterviewStore((store) => store.devices);
  const recording = useInterviewStore((store) => store.launch?.policies.recording ?? false);
  const proxyReachable = useConnectionStore((store) => store.proxyReachable);
  const [testing, setTesting] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const ready = devices.microphone === 'ok' && proxyReachable;
  const asking = devices.microphone === 'waiting' || devices.camera === 'waiting';
  const canRetry = !asking && (devices.microphone !== 'ok' || devices.camera !== 'ok');
  const microphoneFailed = devices.microphone !== 'ok' && devices.microphone !== 'waiting';
  // The call is set up on the microphone's sound: without it there is nothing to connect yet.
  const connection: { state: CheckState; detail: string } = proxyReachable
    ? { state: 'ok', detail: 'the interviewer is ready' }
    : microphoneFailed
      ? { state: 'problem', detail: 'waits for the microphone' }
      : { state: 'waiting', detail: 'connecting…' };
  const lockedBecause = microphoneFailed
    ? 'The start button stays locked until the microphone works: press Retry once the proctor has fixed it.'
    : devices.microphone === 'waiting'
      ? 'The start button unlocks when the microphone is ready.'
      : 'The start button unlocks when the connection to the interviewer is ready.';

  return (
    <main className="device-check" data-screen="device-check">
      <h1 ref={heading} tabIndex={-1}>
        Let us check your microphone, camera and speakers
      </h1>
      <div className="device-grid">
        <CameraPreview />
        <div>
          <p>Say a few words: the bar moves when we hear you.</p>
          <MicrophoneMeter />
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={testing}
              onClick={() => {
                setTesting(true);
                void actions.playSpeakerTest().finally(() => setTesting(false));
              }}
            >
              {testing ? 'Playing…' : 'Play a test sound'}
            </button>
            <button type="button" className="secondary" aria-pressed={devices.speakerConfirmed} onClick={() => actions.confirmSpeaker()}>
              I heard it
            </button>
          </div>
        </div>
      </div>
      <ul className="checks" aria-label="Device checks" aria-live="polite" data-testid="device-checks">
        <CheckLine label="Microphone" {...deviceLine(devices.microphone)} />
        <CheckLine label="Camera" {...deviceLine(devices.camera, recording ? ': only sound will be recorded' : '')} />
        <CheckLine label="Speakers" state={devices.speakerConfirmed ? 'ok' : 'waiting'} detail={devices.speakerConfirmed ? 'confirmed' : 'play the test sound'} />
        <CheckLine label="Connection" {...connection} />
      </ul>
      <div className="actions">
        {canRetry && (
          <button type="button" className="secondary" onClick={() => actions.retryDevices()}>
            Retry the {devices.microphone !== 'ok' ? 'microphone and camera' : 'camera'}
          </button>
        )}
        <button type="button" className="primary" disabled={!ready} aria-describedby={ready ? undefined : 'start-locked'} onClick={() => actions.startInterview()}>
          Start the interview
        </button>
      </div>
      {!ready && (
        <p className="muted" id="start-locked">
          {lockedBecause}
        </p>
      )}
    </main>
  );
}
