/**
 * The new-order chime: a short WebAudio beep. Browsers keep audio silent until the page has been
 * interacted with, so the AudioContext is made (or resumed) on the first click or key press, and
 * a beep before that is skipped; the board says so ("Sound starts after your first click").
 */

type AudioContextClass = typeof AudioContext;

export class Chime {
  private context: AudioContext | null = null;

  /** Call from a user's gesture: from then on beeps are heard. */
  unlock(): void {
    if (!this.context) {
      const Context: AudioContextClass | undefined =
        typeof window === "undefined"
          ? undefined
          : (window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextClass }).webkitAudioContext);
      if (!Context) return;
      this.context = new Context();
    }
    if (this.context.state === "suspended") void this.context.resume();
  }

  get unlocked(): boolean {
    return this.context !== null;
  }

  /** Two short high notes. */
  beep(): void {
    const context = this.context;
    if (!context || context.state !== "running") return;
    const start = context.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.18, 1175],
    ] as const) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.15);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.16);
    }
  }
}
