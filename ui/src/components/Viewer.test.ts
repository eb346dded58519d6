import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Viewer from "./Viewer.svelte";
import * as fixtures from "../test/fixtures";
import { pwned } from "../test/fixtures";
import type { SubdefInfo } from "../lib/bindings/SubdefInfo";
import type { GridItem } from "../lib/bindings/GridItem";
import type { RecordDetails } from "../lib/bindings/RecordDetails";

const subdef = (name: string, extra: Partial<SubdefInfo> = {}): SubdefInfo => ({
  name, width: 320, height: 180, filesize: 45_000, mime: "image/jpeg", player_type: "IMAGE", plays: "image",
  path: `sub/1/3/${name}`, permalink: null, ...extra,
});

const items: GridItem[] = Array.from({ length: 8 }, (_, i) => fixtures.cell(i + 1, { thumb: { w: 240, h: 135 } }));
const item = items[2] as GridItem;
const image = fixtures.details(3, {
  original_name: "harbour.jpg",
  subdefs: [subdef("document", { width: 6000, height: 3375, filesize: 8_400_000 }), subdef("preview")],
});

function props(extra: Record<string, unknown> = {}) {
  return {
    profile: "Work", playerBase: "http://127.0.0.1:9/", item, details: image as RecordDetails | null, position: 2, total: 8,
    items, onmove: vi.fn(), onclose: vi.fn(), ondownload: vi.fn(), ...extra,
  };
}

const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector);
const press = (key: string, target: Element = $("#viewer")!) => fireEvent.keyDown(target, { key });
const scale = () => Number($("#viewer-image")?.getAttribute("data-scale"));

// jsdom has no layout: the zoom stage measures 1200×800, as a window would give it.
beforeAll(() => {
  const size = (px: number) => ({ configurable: true, get(this: HTMLElement) { return this.classList?.contains("zoom-stage") ? px : 0; } });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", size(1200));
  Object.defineProperty(HTMLElement.prototype, "clientHeight", size(800));
});

afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("the viewer's stage", () => {
  it("fits a small preview to the stage by upscaling it, and zooms with + − 0 1", async () => {
    render(Viewer, props());
    // 320×180 in 1200×800: 3.75× (the width binds).
    expect(scale()).toBeCloseTo(3.75);
    expect($("#viewer-image")?.style.transform).toContain("scale(3.75)");
    await press("+");
    expect(scale()).toBeCloseTo(3.75 * 1.25);
    await press("-");
    await press("-");
    expect(scale()).toBeCloseTo(3.75 / 1.25);
    await press("1");
    expect(scale()).toBe(1);
    expect($("#viewer-zoom-level")?.textContent).toBe("100 %");
    await press("0");
    expect(scale()).toBeCloseTo(3.75);
    await fireEvent.click($("#viewer-zoom-in")!);
    expect(scale()).toBeCloseTo(4.6875);
    await fireEvent.click($("#viewer-fit")!);
    expect(scale()).toBeCloseTo(3.75);
    await fireEvent.click($("#viewer-actual")!);
    expect(scale()).toBe(1);
  });

  it("zooms around the cursor with the wheel", async () => {
    render(Viewer, props());
    const stage = $(".zoom-stage")!;
    await fireEvent.wheel(stage, { deltaY: -100, clientX: 100, clientY: 100 });
    expect(scale()).toBeGreaterThan(3.75);
    // The point under the cursor stayed: the picture grew away from it, so its corner moved left and up.
    const [x] = /translate\((-?[\d.]+)px/.exec($("#viewer-image")!.style.transform)!.slice(1).map(Number);
    expect(x).toBeLessThan(0);
  });

  it("shows the thumbnail at once, with a spinner, until the preview has loaded", async () => {
    render(Viewer, props());
    const placeholder = $<HTMLImageElement>(".zoom-layer.placeholder");
    expect(placeholder?.getAttribute("src")).toContain(encodeURIComponent("Work/thumb/1/3"));
    expect($("#viewer-loading")).not.toBeNull();
    expect($("#viewer-image")?.getAttribute("src")).toContain(encodeURIComponent("Work/sub/1/3/preview"));
    await fireEvent.load($("#viewer-image")!);
    expect($("#viewer-loading")).toBeNull();
    expect($(".zoom-layer.placeholder")).toBeNull();
  });

  it("waits with the thumbnail and the spinner while the record's details are on their way", () => {
    render(Viewer, props({ details: null }));
    expect($(".zoom-layer.placeholder")).not.toBeNull();
    expect($("#viewer-loading")).not.toBeNull();
  });

  it("shows a file it cannot preview as a card with its download in view", async () => {
    const zip = fixtures.details(3, {
      kind: "document", mime: "application/zip", original_name: "press-kit.zip",
      subdefs: [subdef("document", { width: 0, height: 0, filesize: 2_500_000, mime: "application/zip", plays: "none" })],
    });
    const p = props({ item: { ...item, kind: "document" }, details: zip });
    render(Viewer, p);
    const card = $("#viewer-file-card")!;
    expect(card.textContent).toContain("press-kit.zip");
    expect(card.textContent).toContain("application/zip");
    expect(card.textContent).toContain("2.5 MB");
    expect($("#viewer-image")).toBeNull();
    await fireEvent.click($("#viewer-file-download")!);
    expect(p.ondownload).toHaveBeenCalled();
  });
});

describe("the viewer's keys and overlays", () => {
  it("moves with the arrows, and Escape closes it, the focus back on the grid cell", async () => {
    const grid = document.createElement("div");
    grid.id = "grid";
    grid.innerHTML = `<div class="cell" data-index="2" tabindex="-1"></div>`;
    document.body.append(grid);
    vi.useFakeTimers();
    const p = props();
    render(Viewer, p);
    await press("ArrowRight");
    expect(p.onmove).toHaveBeenLastCalledWith(1);
    await press("ArrowLeft");
    expect(p.onmove).toHaveBeenLastCalledWith(-1);
    await press("Escape");
    expect(p.onclose).toHaveBeenCalled();
    vi.runAllTimers();
    expect(document.activeElement).toBe(grid.querySelector(".cell"));
  });

  it("I shows the info overlay: title, type, pixels, file size and position, as text", async () => {
    render(Viewer, props({ details: { ...image, title: fixtures.hostile } }));
    expect($("#viewer-info")).toBeNull();
    await press("i");
    const info = $("#viewer-info")!;
    expect($("#viewer-info-title")?.textContent).toBe(fixtures.hostile);
    expect(info.textContent).toContain("Image · image/jpeg");
    expect(info.textContent).toContain("6000 × 3375 px");
    expect(info.textContent).toContain("8.4 MB");
    expect(info.textContent).toContain("3 of 8");
    expect(pwned()).toBeUndefined();
    await fireEvent.click($("#viewer-info-toggle")!);
    expect($("#viewer-info")).toBeNull();
  });

  it("draws a filmstrip of a window of neighbours, the current one marked; a click goes there", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => fixtures.cell(i + 1, { thumb: { w: 240, h: 135 } }));
    const p = props({ items: many, position: 5000, total: many.length, item: many[5000] });
    render(Viewer, p);
    const strip = $("#viewer-filmstrip")!;
    expect(strip.querySelectorAll(".filmstrip-item").length).toBeLessThanOrEqual(25);
    expect(strip.querySelector(".current")?.getAttribute("data-index")).toBe("5000");
    await fireEvent.click(strip.querySelector("[data-index='5003']")!);
    expect(p.onmove).toHaveBeenCalledWith(3);
  });

  it("Space runs the slideshow on pictures: it advances through onmove(1), then loops to the first", async () => {
    vi.useFakeTimers();
    const p = props({ position: 7, item: items[7] });
    const view = render(Viewer, p);
    await press(" ");
    expect($("#viewer-slideshow")?.getAttribute("aria-pressed")).toBe("true");
    vi.advanceTimersByTime(5000);
    expect(p.onmove).toHaveBeenLastCalledWith(-7);
    await view.rerender({ ...p, position: 0, item: items[0] });
    vi.advanceTimersByTime(5000);
    expect(p.onmove).toHaveBeenLastCalledWith(1);
    await press(" ");
    vi.advanceTimersByTime(20_000);
    expect(p.onmove).toHaveBeenCalledTimes(2);
  });

  it("the slideshow's button and interval work without the keyboard", async () => {
    vi.useFakeTimers();
    const p = props();
    render(Viewer, p);
    await fireEvent.change($("#viewer-slideshow-interval")!, { target: { value: "3" } });
    await fireEvent.click($("#viewer-slideshow")!);
    vi.advanceTimersByTime(3000);
    expect(p.onmove).toHaveBeenCalledWith(1);
  });

  it("keeps Space for a video's player, and steps it one frame with , and .", async () => {
    const pause = vi.spyOn(HTMLMediaElement.prototype, "pause").mockImplementation(() => {});
    const play = vi.spyOn(HTMLMediaElement.prototype, "play").mockImplementation(() => Promise.resolve());
    const video = fixtures.details(3, { kind: "video", subdefs: [subdef("preview", { plays: "video", mime: "video/mp4" })] });
    render(Viewer, props({ item: { ...item, kind: "video" }, details: video }));
    const media = $<HTMLVideoElement>("#viewer-media")!;
    expect(media.tagName).toBe("VIDEO");
    expect(media.getAttribute("src")).toBe("http://127.0.0.1:9/Work/sub/1/3/preview");
    await press(" ");
    expect(play.mock.calls.length + pause.mock.calls.length).toBe(1);
    expect($("#viewer-slideshow")?.getAttribute("aria-pressed")).toBe("false");
    media.currentTime = 2;
    pause.mockClear();
    await press(".");
    expect(pause).toHaveBeenCalled();
    expect(media.currentTime).toBeCloseTo(2 + 1 / 25);
    await press(",");
    await press(",");
    expect(media.currentTime).toBeCloseTo(2 - 1 / 25);
    pause.mockRestore();
    play.mockRestore();
  });

  it("F asks for full screen and, refused, stays a full-window viewer without its chrome", async () => {
    const request = vi.fn(() => Promise.reject(new Error("not allowed")));
    Object.defineProperty(document.documentElement, "requestFullscreen", { configurable: true, value: request });
    render(Viewer, props());
    expect($("#viewer-filmstrip")).not.toBeNull();
    await press("f");
    expect(request).toHaveBeenCalled();
    expect($("#viewer")?.classList.contains("full")).toBe(true);
    expect($("#viewer-filmstrip")).toBeNull();
    await fireEvent.click($("#viewer-fullscreen")!);
    expect($("#viewer")?.classList.contains("full")).toBe(false);
  });

  it("P shows the record panel beside the stage, and asks for what only the panel needs", async () => {
    const onpanelshown = vi.fn();
    const panel = { problem: null, ondownload: vi.fn(), oncopy: vi.fn() };
    render(Viewer, props({ panel, onpanelshown }));
    expect($("#record-panel")).toBeNull();
    await press("p");
    expect($("#viewer-panel #record-panel")).not.toBeNull();
    expect($("#record-title")?.textContent).toBe("Record 3");
    expect(onpanelshown).toHaveBeenCalledTimes(1);
    await fireEvent.click($("#viewer-panel-toggle")!);
    expect($("#record-panel")).toBeNull();
  });

  it("C compares the selection only when two records or more are selected", async () => {
    const oncompare = vi.fn();
    const view = render(Viewer, props({ oncompare }));
    await press("c");
    expect(oncompare).not.toHaveBeenCalled();
    await view.rerender({ ...props({ oncompare }), canCompare: true });
    await press("c");
    expect(oncompare).toHaveBeenCalledTimes(1);
  });

  it("gives a focused toolbar button its own Space", async () => {
    vi.useFakeTimers();
    const p = props();
    render(Viewer, p);
    await press(" ", $("#viewer-close")!);
    expect($("#viewer-slideshow")?.getAttribute("aria-pressed")).toBe("false");
  });
});

beforeEach(() => {
  Reflect.deleteProperty(document.documentElement, "requestFullscreen");
});
