// The slideshow: a timer that asks for the next record, and loops to the first after the last.

/** The seconds a person may choose between. */
export const INTERVALS = [3, 5, 10] as const;

/** The move that shows the next record: +1, or back to the first after the last (0: only one). */
export function nextDelta(position: number, total: number): number {
  if (total <= 1) return 0;
  return position >= total - 1 ? -position : 1;
}

export class Slideshow {
  running = $state(false);
  seconds = $state<number>(5);
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #advance: () => void;

  /** `advance` shows the next record (the viewer's onmove). */
  constructor(advance: () => void) {
    this.#advance = advance;
  }

  start() {
    this.running = true;
    this.#schedule();
  }

  stop() {
    this.running = false;
    this.#clear();
  }

  toggle() {
    if (this.running) this.stop();
    else this.start();
  }

  setSeconds(seconds: number) {
    this.seconds = seconds;
    if (this.running) this.#schedule();
  }

  /** The record changed by hand: the next one waits a whole interval again. */
  restart() {
    if (this.running) this.#schedule();
  }

  #schedule() {
    this.#clear();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.running) return;
      this.#advance();
      this.#schedule();
    }, this.seconds * 1000);
  }

  #clear() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
