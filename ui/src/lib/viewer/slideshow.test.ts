import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { nextDelta, Slideshow } from "./slideshow.svelte";

describe("the slideshow", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("advances once per interval while it runs, and not after it stopped", () => {
    const advance = vi.fn();
    const show = new Slideshow(advance);
    show.setSeconds(3);
    show.start();
    expect(show.running).toBe(true);
    vi.advanceTimersByTime(2999);
    expect(advance).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(advance).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(6000);
    expect(advance).toHaveBeenCalledTimes(3);
    show.toggle();
    expect(show.running).toBe(false);
    vi.advanceTimersByTime(30_000);
    expect(advance).toHaveBeenCalledTimes(3);
  });

  it("waits a whole interval again after a move by hand, and takes a new interval at once", () => {
    const advance = vi.fn();
    const show = new Slideshow(advance);
    show.start(); // 5 s by default
    vi.advanceTimersByTime(4000);
    show.restart();
    vi.advanceTimersByTime(4000);
    expect(advance).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(advance).toHaveBeenCalledTimes(1);
    show.setSeconds(10);
    vi.advanceTimersByTime(9999);
    expect(advance).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(advance).toHaveBeenCalledTimes(2);
    show.stop();
  });

  it("loops: after the last record comes the first", () => {
    expect(nextDelta(0, 8)).toBe(1);
    expect(nextDelta(6, 8)).toBe(1);
    expect(nextDelta(7, 8)).toBe(-7);
    expect(nextDelta(0, 1)).toBe(0);
  });
});
