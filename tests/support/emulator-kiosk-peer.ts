// A kiosk-side werift peer for tests of the realtime emulator: microphone RTP (Opus silence every 20 ms),
// the `oai-events` data channel with every event recorded, and the audio the provider plays counted.
// How the offer reaches the provider is the caller's: GA's multipart `/realtime/calls` or GPT-Live's JSON.
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';

export type EmulatorEvent = { type: string } & Record<string, unknown>;

export interface EmulatorKioskPeer {
  callId: string;
  events: EmulatorEvent[];
  channel: ReturnType<RTCPeerConnection['createDataChannel']>;
  audioPacketsHeard(): number;
  waitFor(predicate: (event: EmulatorEvent) => boolean, timeoutMs?: number): Promise<EmulatorEvent>;
  close(): Promise<void>;
}

/** `exchange` posts the offer SDP to the provider and returns the call id and the answer SDP. */
export async function emulatorKioskPeer(exchange: (offerSdp: string) => Promise<{ callId: string; answerSdp: string }>): Promise<EmulatorKioskPeer> {
  const pc = new RTCPeerConnection({
    codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })] },
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  const microphone = new MediaStreamTrack({ kind: 'audio' });
  const transceiver = pc.addTransceiver(microphone, { direction: 'sendrecv' });
  let audioPacketsHeard = 0;
  transceiver.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => audioPacketsHeard++));
  const channel = pc.createDataChannel('oai-events');
  const events: EmulatorEvent[] = [];
  const listeners: Array<() => void> = [];
  channel.onMessage.subscribe((data) => {
    events.push(JSON.parse(String(data)) as EmulatorEvent);
    for (const listener of listeners) listener();
  });
  await pc.setLocalDescription(await pc.createOffer());
  const { callId, answerSdp } = await exchange(pc.localDescription!.sdp);
  await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  let sequenceNumber = 0;
  const speaking = setInterval(() => {
    sequenceNumber = (sequenceNumber + 1) & 0xffff;
    microphone.writeRtp(new RtpPacket(new RtpHeader({ sequenceNumber, timestamp: sequenceNumber * 960, payloadType: 111 }), Buffer.from([0xf8, 0xff, 0xfe])));
  }, 20);
  return {
    callId,
    events,
    channel,
    audioPacketsHeard: () => audioPacketsHeard,
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const found = events.find(predicate);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no matching event; saw ${events.map((event) => event.type).join(', ')}`)), timeoutMs);
        listeners.push(() => {
          const match = events.find(predicate);
          if (match) {
            clearTimeout(timer);
            resolve(match);
          }
        });
      });
    },
    async close() {
      clearInterval(speaking);
      await pc.close();
    },
  };
}
