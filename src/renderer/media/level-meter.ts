// Microphone loudness for the device check's meter, 0…1, sampled from an AnalyserNode.

export interface LevelMeter {
  read(): number;
  stop(): void;
}

export function createLevelMeter(stream: MediaStream, context: AudioContext = new AudioContext()): LevelMeter {
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  return {
    read() {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      // RMS of speech sits around 0.05–0.2; scale so normal speech fills most of the meter.
      return Math.min(1, Math.sqrt(sum / samples.length) * 5);
    },
    stop() {
      source.disconnect();
      void context.close().catch(() => undefined);
    },
  };
}

/** Plays a short two-note chime so the candidate can confirm the speakers work. */
export async function playTestChime(context: AudioContext = new AudioContext()): Promise<void> {
  const notes = [660, 880];
  const gain = context.createGain();
  gain.gain.value = 0.2;
  gain.connect(context.destination);
  notes.forEach((frequency, index) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(context.currentTime + index * 0.35);
    oscillator.stop(context.currentTime + index * 0.35 + 0.3);
  });
  await new Promise((resolve) => setTimeout(resolve, 800));
  await context.close().catch(() => undefined);
}
