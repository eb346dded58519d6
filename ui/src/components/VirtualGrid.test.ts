import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import VirtualGrid from "./VirtualGrid.svelte";
import { cell, gridProps } from "../test/fixtures";
import { settle } from "../test/util";
import { t } from "../lib/i18n";

// jsdom has no layout: the grid's viewport gets the size a test gives it, and its ResizeObserver
// reports a resize when the test says (Svelte's bind:clientWidth listens to it).
let size = { width: 0, height: 0 };
const observed: { callback: ResizeObserverCallback; targets: Element[] }[] = [];
globalThis.ResizeObserver = class {
  #entry: { callback: ResizeObserverCallback; targets: Element[] };
  constructor(callback: ResizeObserverCallback) {
    this.#entry = { callback, targets: [] };
    observed.push(this.#entry);
  }
  observe(target: Element) {
    this.#entry.targets.push(target);
  }
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
for (const [name, key] of [["clientWidth", "width"], ["clientHeight", "height"]] as const) {
  Object.defineProperty(HTMLElement.prototype, name, {
    configurable: true,
    get(this: HTMLElement) {
      return this.id === "grid" ? size[key] : 0;
    },
  });
}
/** The window was resized: every observed element reports its (new) size. */
async function resized(width: number, height = size.height) {
  size = { width, height };
  for (const o of observed) o.callback(o.targets.map((target) => ({ target }) as ResizeObserverEntry), {} as ResizeObserver);
  await settle();
}

const photos = (n: number) => Array.from({ length: n }, (_, i) => cell(i + 1, { thumb: { w: 240, h: 160 } }));
const grid = () => document.getElementById("grid") as HTMLElement;
const cellAt = (index: number) => document.querySelector(`.cell[data-index="${index}"]`) as HTMLElement | null;
/** A rendered cell's box, from its inline style. */
function box(el: HTMLElement) {
  const [, x, y] = /translate\(([\d.]+)px, ([\d.]+)px\)/.exec(el.style.transform) ?? [];
  return { x: Number(x), y: Number(y), w: parseFloat(el.style.width), h: parseFloat(el.style.height) };
}
const shows = (el: HTMLElement | null) => {
  if (!el) return false;
  const b = box(el);
  return b.y >= grid().scrollTop && b.y + b.h <= grid().scrollTop + size.height;
};

describe("VirtualGrid", () => {
  beforeEach(() => {
    size = { width: 0, height: 0 };
  });
  afterEach(() => {
    observed.length = 0;
  });

  it("keeps only a screenful of cells in the DOM for 10,000 items", () => {
    const items = Array.from({ length: 10_000 }, (_, i) =>
      cell(i + 1, { element_id: i + 1, kind: i % 7 === 0 ? "story" : "image", thumb: i % 5 === 0 ? null : { w: 240, h: 160 } }),
    );
    const { container } = render(VirtualGrid, gridProps(items));
    const cells = container.querySelectorAll(".cell");
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThan(100);
    // Thumbnails come from the backend's scheme, placeholders stand in for missing ones.
    const img = container.querySelector(".cell img") as HTMLImageElement;
    expect(img.getAttribute("src")).toBe("pmedia://localhost/" + encodeURIComponent("Work/thumb/1/2"));
    expect(container.querySelector('.cell[data-record="1/1"] .kind-icon')).toBeTruthy();
    expect(container.querySelector('.cell[data-record="1/1"]')?.classList.contains("stack")).toBe(true);
  });

  it("labels the whole list while it shows only its start", async () => {
    const { container, rerender } = render(VirtualGrid, gridProps(photos(2), { total: 1200 }));
    const grid = container.querySelector("#grid")!;
    expect(grid.getAttribute("aria-label")).toBe(t.elements(1200));
    await rerender(gridProps(photos(2), { total: undefined }));
    expect(grid.getAttribute("aria-label")).toBe(t.elements(2));
  });

  it("fills each row to the viewport's width: no gutter on the right", async () => {
    size = { width: 1000, height: 700 };
    render(VirtualGrid, gridProps(photos(40)));
    await settle();
    const rows = new Map<number, ReturnType<typeof box>[]>();
    for (const el of document.querySelectorAll<HTMLElement>(".cell")) {
      const b = box(el);
      rows.set(b.y, [...(rows.get(b.y) ?? []), b]);
    }
    expect(rows.size).toBeGreaterThan(2);
    for (const row of [...rows.values()].slice(0, -1)) {
      expect(row.length).toBeGreaterThan(1);
      expect(row[0]!.x).toBe(12);
      expect(row.at(-1)!.x + row.at(-1)!.w).toBeCloseTo(988, 3);
    }
    expect(document.querySelector(".cell img.preview")).toBeNull();
  });

  it("Home, End, PageDown and the arrows move the selection and keep it in view", async () => {
    size = { width: 1000, height: 600 };
    const onselect = vi.fn();
    const { rerender } = render(VirtualGrid, gridProps(photos(10_000), { onselect }));
    await settle();
    await fireEvent.keyDown(grid(), { key: "End" });
    expect(onselect).toHaveBeenLastCalledWith(9999, { shift: false });
    expect(grid().scrollTop).toBeGreaterThan(100_000);
    expect(shows(cellAt(9999))).toBe(true);
    await rerender({ selected: 9999 });
    await fireEvent.keyDown(grid(), { key: "Home", shiftKey: true });
    expect(onselect).toHaveBeenLastCalledWith(0, { shift: true });
    expect(grid().scrollTop).toBe(0);
    await rerender({ selected: 0 });
    await fireEvent.keyDown(grid(), { key: "PageDown" });
    const down = onselect.mock.lastCall?.[0] as number;
    expect(down).toBeGreaterThan(4);
    expect(shows(cellAt(down))).toBe(true);
    await rerender({ selected: down });
    await fireEvent.keyDown(grid(), { key: "ArrowDown" });
    expect(onselect.mock.lastCall?.[0]).toBeGreaterThan(down);
  });

  it("keeps the selected cell in view when the rows flow again (the panel opens)", async () => {
    size = { width: 1400, height: 600 };
    render(VirtualGrid, gridProps(photos(10_000), { selected: 9999 }));
    await settle();
    await fireEvent.keyDown(grid(), { key: "End" });
    expect(shows(cellAt(9999))).toBe(true);
    // The record panel takes 350 px: fewer cells per row, many more rows.
    await resized(1050);
    expect(shows(cellAt(9999))).toBe(true);
    await resized(700);
    expect(shows(cellAt(9999))).toBe(true);
  });

  it("leaves the scroll alone on a reflow when the selected cell was scrolled away from", async () => {
    size = { width: 1400, height: 600 };
    render(VirtualGrid, gridProps(photos(2000), { selected: 0 }));
    await settle();
    grid().scrollTop = 20_000;
    await fireEvent.scroll(grid());
    await resized(1000);
    expect(grid().scrollTop).toBe(20_000);
  });

  it("loads the preview over the thumbnail once tiles outgrow it, and keeps the thumbnail if it fails", async () => {
    size = { width: 1000, height: 700 };
    render(VirtualGrid, gridProps(photos(4), { size: 320 }));
    await settle();
    const first = cellAt(0)!;
    const preview = first.querySelector("img.preview") as HTMLImageElement;
    expect(preview.getAttribute("src")).toBe("pmedia://localhost/" + encodeURIComponent("Work/sub/1/1/preview"));
    await fireEvent.error(preview);
    expect(first.querySelector("img.preview")).toBeNull();
    const thumb = first.querySelector("img") as HTMLImageElement;
    expect(thumb.getAttribute("src")).toBe("pmedia://localhost/" + encodeURIComponent("Work/thumb/1/1"));
    // A thumbnail that fails too: the kind's placeholder, on a tinted tile.
    await fireEvent.error(thumb);
    expect(first.querySelector("img")).toBeNull();
    expect(first.querySelector(".thumb.placeholder .kind-icon")).toBeTruthy();
  });

  it("badges say what a tile is; a vote shows only when the user voted", () => {
    render(
      VirtualGrid,
      gridProps([
        cell(1, { kind: "video", duration: 125, extension: "mp4", vote: { agreement: null, yes: 0, no: 0 } }),
        cell(2, { kind: "document", pages: 3, extension: "pdf", vote: { agreement: true, yes: 2, no: 1 } }),
        cell(3, { kind: "image", extension: "jpg", thumb: { w: 240, h: 160 } }),
      ]),
    );
    const badge = (i: number, name: string) => cellAt(i)?.querySelector(`[data-badge="${name}"]`)?.textContent?.trim() ?? null;
    expect(badge(0, "kind")).toBe("Video");
    expect(badge(0, "duration")).toBe("2:05");
    expect(badge(0, "extension")).toBe("MP4");
    expect(badge(0, "vote")).toBeNull();
    expect(badge(1, "kind")).toBe("Document");
    expect(badge(1, "pages")).toBe("3 pages");
    expect(badge(1, "extension")).toBe("PDF");
    expect(badge(1, "vote")).toBe("✓");
    expect(cellAt(1)?.querySelector(".vote-badge")?.getAttribute("title")).toBe("Your vote: yes (all votes so far: 2 yes, 1 no)");
    expect(cellAt(2)?.querySelector("[data-badge]")).toBeNull();
  });

  it("opens the context menu on a right-click and on Shift+F10 or the menu key", async () => {
    const oncontext = vi.fn();
    render(VirtualGrid, gridProps(photos(5), { selected: 2, oncontext }));
    const event = new MouseEvent("contextmenu", { bubbles: true, cancelable: true, clientX: 40, clientY: 50 });
    cellAt(1)!.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(oncontext).toHaveBeenLastCalledWith(1, { x: 40, y: 50 });
    await fireEvent.keyDown(grid(), { key: "F10", shiftKey: true });
    expect(oncontext).toHaveBeenLastCalledWith(2, expect.objectContaining({ x: expect.any(Number) }));
    await fireEvent.keyDown(grid(), { key: "ContextMenu" });
    expect(oncontext).toHaveBeenCalledTimes(3);
  });
});
