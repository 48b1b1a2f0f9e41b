// The network lab's profiles: what a test centre's link can do to an interview.
import type { LabProfile } from '../support/netlab/lab';

const both = (direction: LabProfile['link']['uplink']) => ({ uplink: direction, downlink: direction });

export const labProfiles: LabProfile[] = [
  { name: 'clean', link: {} },
  { name: 'loss 2 %', link: { ...both({ lossRate: 0.02 }), seed: 2 } },
  // Bursts of 1 / 0.3 ≈ 3.3 packets; 0.0333 / (0.0333 + 0.3) ≈ 10 % of packets lost.
  { name: 'bursty loss 10 %', link: { ...both({ bursty: { goodToBad: 0.0333, badToGood: 0.3 } }), seed: 3 } },
  // 150 ms ± 25 ms each way: 300 ms round trip ± 50 ms.
  { name: 'RTT 300 ms ± 50 ms', link: { ...both({ delayMs: 150, jitterMs: 25 }), seed: 4 } },
  // The uplink is the kiosk's: the call's audio and main's backend calls and recording uploads share it.
  { name: 'uplink 128 kbit/s', link: { uplink: { rateKbps: 128, queueMs: 500 } }, backend: { uplinkKbps: 128 } },
  { name: 'blackout 15 s mid-answer', link: {}, blackoutMidAnswerMs: 15_000 },
  { name: 'UDP blocked', link: { blockUdp: true }, expectRefusal: true },
  { name: 'backend flapping 20 s / 20 s', link: {}, backend: { flap: { upMs: 20_000, downMs: 20_000 } } },
];
