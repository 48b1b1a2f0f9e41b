// A werift peer behind the part of the browser's RTCPeerConnection / RTCDataChannel surface that
// src/renderer/realtime/realtime-session.ts uses, so the renderer's call code can run in Node against
// the emulator's real peer: real ICE, DTLS, SCTP and RTP on loopback rather than a scripted fake.
import { MediaStreamTrack, RTCPeerConnection as WeriftPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type RTCDataChannel as WeriftDataChannel } from 'werift';

class BrowserDataChannel extends EventTarget {
  constructor(private readonly inner: WeriftDataChannel) {
    super();
    inner.stateChanged.subscribe((state) => {
      if (state === 'open') this.dispatchEvent(new Event('open'));
      if (state === 'closed') this.dispatchEvent(new Event('close'));
    });
    inner.onMessage.subscribe((data) => this.dispatchEvent(new MessageEvent('message', { data: typeof data === 'string' ? data : data.toString('utf8') })));
  }

  get label(): string {
    return this.inner.label;
  }

  get readyState(): RTCDataChannelState {
    return this.inner.readyState as RTCDataChannelState;
  }

  send(data: string): void {
    this.inner.send(data);
  }

  close(): void {
    if (this.inner.readyState !== 'closed') this.inner.close();
  }
}

class BrowserPeerConnection extends EventTarget {
  readonly inner = new WeriftPeerConnection({
    codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })] },
    iceUseIpv6: false,
    // Loopback is where the emulator's peer lives; werift leaves it out unless asked.
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });

  constructor() {
    super();
    this.inner.connectionStateChange.subscribe(() => this.dispatchEvent(new Event('connectionstatechange')));
    this.inner.iceConnectionStateChange.subscribe(() => this.dispatchEvent(new Event('iceconnectionstatechange')));
    this.inner.iceGatheringStateChange.subscribe(() => this.dispatchEvent(new Event('icegatheringstatechange')));
  }

  get connectionState(): RTCPeerConnectionState {
    return this.inner.connectionState as RTCPeerConnectionState;
  }

  get iceConnectionState(): RTCIceConnectionState {
    return this.inner.iceConnectionState as RTCIceConnectionState;
  }

  get iceGatheringState(): RTCIceGatheringState {
    return this.inner.iceGatheringState as RTCIceGatheringState;
  }

  get localDescription(): { type: string; sdp: string } | null {
    const description = this.inner.localDescription;
    return description ? { type: description.type, sdp: description.sdp } : null;
  }

  /** The "track" is a werift MediaStreamTrack the fake microphone writes RTP into. */
  addTrack(track: MediaStreamTrack): void {
    this.inner.addTransceiver(track, { direction: 'sendrecv' });
  }

  createDataChannel(label: string): BrowserDataChannel {
    return new BrowserDataChannel(this.inner.createDataChannel(label));
  }

  async createOffer(): Promise<{ type: 'offer'; sdp: string }> {
    const offer = await this.inner.createOffer();
    return { type: 'offer', sdp: offer.sdp };
  }

  async setLocalDescription(description: { type: 'offer'; sdp: string }): Promise<void> {
    await this.inner.setLocalDescription(description);
  }

  async setRemoteDescription(description: { type: 'answer'; sdp: string }): Promise<void> {
    await this.inner.setRemoteDescription(description);
  }

  async getStats(): Promise<Map<string, unknown>> {
    return new Map();
  }

  close(): void {
    void this.inner.close().catch(() => undefined);
  }
}

export interface FakeMicrophone {
  /** What realtime-session takes as the candidate's microphone. */
  stream: MediaStream;
  /** Opus frames written so far. */
  framesSent(): number;
  stop(): void;
}

/** A microphone that keeps sending Opus silence every 20 ms into whichever call carries its track. */
export function fakeMicrophone(): FakeMicrophone {
  const track = new MediaStreamTrack({ kind: 'audio' });
  let sequenceNumber = 0;
  let frames = 0;
  const timer = setInterval(() => {
    sequenceNumber = (sequenceNumber + 1) & 0xffff;
    frames++;
    track.writeRtp(new RtpPacket(new RtpHeader({ sequenceNumber, timestamp: sequenceNumber * 960, payloadType: 111 }), Buffer.from([0xf8, 0xff, 0xfe])));
  }, 20);
  return {
    stream: { getAudioTracks: () => [track] } as unknown as MediaStream,
    framesSent: () => frames,
    stop: () => clearInterval(timer),
  };
}

/** A new peer connection as realtime-session's `createPeerConnection` hands it out. */
export function createWeriftPeerConnection(): RTCPeerConnection {
  return new BrowserPeerConnection() as unknown as RTCPeerConnection;
}
