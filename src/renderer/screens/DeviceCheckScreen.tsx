import { useEffect, useRef, useState } from 'react';
import { useInterviewActions } from '../interview/actions-context';
import { createLevelMeter } from '../media/level-meter';
import { useConnectionStore } from '../stores/connection-store';
import { useInterviewStore } from '../stores/interview-store';

type CheckState = 'ok' | 'waiting' | 'problem';

function CheckLine({ label, state, detail }: { label: string; state: CheckState; detail: string }) {
  const symbol = state === 'ok' ? '✓' : state === 'problem' ? '!' : '…';
  return (
    <li className={`check ${state}`}>
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
  if (camera === 'absent' || camera === 'blocked') return <div className="camera-preview empty">No camera picture</div>;
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
      <ul className="checks" aria-label="Device checks" aria-live="polite">
        <CheckLine
          label="Microphone"
          state={devices.microphone === 'ok' ? 'ok' : devices.microphone === 'blocked' ? 'problem' : 'waiting'}
          detail={devices.microphone === 'ok' ? 'ready' : devices.microphone === 'blocked' ? 'not available' : 'asking…'}
        />
        <CheckLine
          label="Camera"
          state={devices.camera === 'ok' ? 'ok' : devices.camera === 'waiting' ? 'waiting' : 'problem'}
          detail={devices.camera === 'ok' ? 'ready' : devices.camera === 'waiting' ? 'asking…' : recording ? 'not available: only sound will be recorded' : 'not available'}
        />
        <CheckLine label="Speakers" state={devices.speakerConfirmed ? 'ok' : 'waiting'} detail={devices.speakerConfirmed ? 'confirmed' : 'play the test sound'} />
        <CheckLine label="Connection" state={proxyReachable ? 'ok' : 'waiting'} detail={proxyReachable ? 'the interviewer is ready' : 'connecting…'} />
      </ul>
      <button type="button" className="primary" disabled={!ready} onClick={() => actions.startInterview()}>
        Start the interview
      </button>
      {!ready && <p className="muted">The start button unlocks when the microphone and connection are ready.</p>}
    </main>
  );
}
