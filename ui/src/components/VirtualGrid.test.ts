import { describe, expect, it, vi } from "vitest";
import { render } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import VirtualGrid from "./VirtualGrid.svelte";
import { cell, gridProps } from "../test/fixtures";

const items = Array.from({ length: 10_000 }, (_, i) =>
  cell(i + 1, { element_id: i + 1, kind: i % 7 === 0 ? "story" : "image", thumb: i % 5 === 0 ? null : { w: 240, h: 160 } }),
);

describe("VirtualGrid", () => {
  it("keeps only a screenful of cells in the DOM for 10,000 items", () => {
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
});
