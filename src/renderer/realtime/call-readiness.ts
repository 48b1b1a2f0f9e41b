// The two waits of building a call: ICE gathering before the offer goes out, the data channel after the answer.
import { signalErrorFor } from './proxy-signal';

export function waitForIceGathering(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      pc.removeEventListener('icecandidate', onCandidate);
      resolve();
    };
    const onChange = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const onCandidate = (event: RTCPeerConnectionIceEvent) => {
      if (event.candidate === null) done();
    };
    // What has been gathered by then is sent; a host candidate is enough on a local network.
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onChange);
    pc.addEventListener('icecandidate', onCandidate);
  });
}

export function waitForOpen(channel: RTCDataChannel, timeoutMs: number): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      channel.removeEventListener('open', onOpen);
      channel.removeEventListener('close', onClose);
    };
    const onOpen = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(signalErrorFor('socket_closed', 'The provider closed the event channel.'));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(signalErrorFor('timeout', 'The interviewer did not join in time.'));
    }, timeoutMs);
    channel.addEventListener('open', onOpen);
    channel.addEventListener('close', onClose);
  });
}
