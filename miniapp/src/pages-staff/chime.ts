import Taro from '@tarojs/taro';

/**
 * The kitchen's new-order sound: two short tones, synthesised (no audio file in the package).
 * weapp has `wx.createWebAudioContext`; H5 has the browser's AudioContext. A kitchen tablet
 * without sound still vibrates on weapp. Never throws: a missed chime must not break the queue.
 */

interface ToneContext {
  currentTime: number;
  destination: unknown;
  createOscillator(): {
    frequency: { value: number };
    connect(node: unknown): void;
    start(at: number): void;
    stop(at: number): void;
  };
  createGain(): {
    gain: { value: number; setValueAtTime?(v: number, t: number): void };
    connect(node: unknown): void;
  };
}

let context: ToneContext | null = null;

function audioContext(): ToneContext | null {
  if (context) return context;
  try {
    if (process.env.TARO_ENV === 'h5') {
      const Ctor = (window as unknown as { AudioContext?: new () => ToneContext }).AudioContext;
      context = Ctor ? new Ctor() : null;
    } else {
      const create = (Taro as unknown as { createWebAudioContext?: () => ToneContext }).createWebAudioContext;
      context = create ? create() : null;
    }
  } catch {
    context = null;
  }
  return context;
}

export function playNewOrderChime(): void {
  try {
    if (process.env.TARO_ENV !== 'h5') void Taro.vibrateLong().catch(() => undefined);
    const ctx = audioContext();
    if (!ctx) return;
    const gain = ctx.createGain();
    gain.gain.value = 0.2;
    gain.connect(ctx.destination);
    [880, 1320].forEach((frequency, i) => {
      const tone = ctx.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      const start = ctx.currentTime + i * 0.22;
      tone.start(start);
      tone.stop(start + 0.18);
    });
  } catch {
    // No sound this time.
  }
}
