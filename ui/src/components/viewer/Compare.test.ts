import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../../lib/ipc", () => import("../../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../../test/mocks").then((m) => m.tauriCore()));

import Compare from "./Compare.svelte";
import { compare } from "../../lib/viewer/compare.svelte";
import * as fixtures from "../../test/fixtures";
import { ipc, resetIpc } from "../../test/mocks";
import { settle } from "../../test/util";

const items = [1, 2, 3].map((r) => fixtures.cell(r, { thumb: { w: 240, h: 160 } }));
// Previews of different sizes: each pane fits its own; the zoom relative to fit is shared.
const sizes: Record<number, [number, number]> = { 1: [1200, 800], 2: [300, 200], 3: [600, 900] };

const $$ = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)];
const scales = () => $$(".compare-pane img.zoom-layer:not(.placeholder)").map((i) => Number(i.dataset.scale));

beforeAll(() => {
  const size = (px: number) => ({ configurable: true, get(this: HTMLElement) { return this.classList?.contains("zoom-stage") ? px : 0; } });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", size(400));
  Object.defineProperty(HTMLElement.prototype, "clientHeight", size(600));
});

afterEach(() => resetIpc());

async function shown() {
  ipc.record.mockImplementation((_p: string, ref: { record_id: number }) => {
    const [width, height] = sizes[ref.record_id] ?? [100, 100];
    return Promise.resolve(
      fixtures.details(ref.record_id, {
        subdefs: [{ name: "preview", width, height, filesize: 1, mime: "image/jpeg", player_type: "IMAGE", plays: "image", path: `sub/1/${ref.record_id}/preview`, permalink: null }],
      }),
    );
  });
  const onclose = vi.fn();
  render(Compare, { profile: "Work", items, onclose });
  await settle();
  return onclose;
}

describe("compare", () => {
  it("shows each record in its pane, the preview over the thumbnail", async () => {
    await shown();
    expect(document.querySelector("#viewer-compare")).not.toBeNull();
    const panes = $$(".compare-pane");
    expect(panes.map((p) => p.dataset.record)).toEqual(["1/1", "1/2", "1/3"]);
    expect(panes[1]?.querySelector("img.zoom-layer:not(.placeholder)")?.getAttribute("src")).toContain(encodeURIComponent("Work/sub/1/2/preview"));
    expect(ipc.record).toHaveBeenCalledTimes(3);
    // Each fits its own pane (400×600): 1/3, 4/3 (upscaled), 2/3.
    const fit = scales();
    expect(fit[0]).toBeCloseTo(1 / 3);
    expect(fit[1]).toBeCloseTo(4 / 3);
    expect(fit[2]).toBeCloseTo(2 / 3);
  });

  it("links the zoom: the keys, the buttons and the wheel over one pane zoom them all", async () => {
    await shown();
    const fit = scales();
    await fireEvent.keyDown(document.querySelector("#viewer-compare")!, { key: "+" });
    scales().forEach((s, i) => expect(s / fit[i]!).toBeCloseTo(1.25));
    const third = $$(".compare-pane .zoom-stage")[2]!;
    await fireEvent.wheel(third, { deltaY: -100, clientX: 200, clientY: 300 });
    const zoomed = scales().map((s, i) => s / fit[i]!);
    expect(zoomed[0]).toBeGreaterThan(1.5);
    expect(zoomed[1]).toBeCloseTo(zoomed[0]!);
    expect(zoomed[2]).toBeCloseTo(zoomed[0]!);
    await fireEvent.click(document.querySelector("#compare-fit")!);
    scales().forEach((s, i) => expect(s).toBeCloseTo(fit[i]!));
  });

  it("Escape closes it", async () => {
    const onclose = await shown();
    await fireEvent.keyDown(document.querySelector("#viewer-compare")!, { key: "Escape" });
    expect(onclose).toHaveBeenCalled();
  });
});

describe("what is compared", () => {
  it("takes two to four records of the selection, stories left out", () => {
    compare.pick([0], items);
    expect(compare.open).toBe(false);
    const many = [1, 2, 3, 4, 5].map((r) => fixtures.cell(r));
    compare.pick([0, 1, 2, 3, 4], many);
    expect(compare.items.map((i) => i.record_id)).toEqual([1, 2, 3, 4]);
    compare.close();
    compare.pick([0, 1], [fixtures.cell(1, { kind: "story" }), fixtures.cell(2)]);
    expect(compare.open).toBe(false);
  });
});
