// Right to left (Arabic): the stylesheets say "start" and "end", never "left" and "right" where the line
// is meant, and what moves along a line (the viewer's keys and arrows, the grid, a panel's edge, the
// context menu's submenu) turns round with it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../../test/mocks").then((m) => m.tauriCore()));

import { isRightToLeftAt, lineArrows, lineKey } from "./direction";
import { lintStyles, physicalSides, runAsCommand, stylesheets, uiRoot } from "../../../scripts/lint-rtl.mjs";
import Viewer from "../../components/Viewer.svelte";
import VirtualGrid from "../../components/VirtualGrid.svelte";
import Splitter from "../../components/Splitter.svelte";
import ContextMenu from "../../components/ContextMenu.svelte";
import * as fixtures from "../../test/fixtures";
import { settle } from "../../test/util";
import type { GridItem } from "../bindings/GridItem";

describe("stylesheets, right to left (scripts/lint-rtl.mjs)", () => {
  it("use logical properties for the line's start and end, in every .css file and <style> block", () => {
    const files = stylesheets(`${uiRoot}/src`, uiRoot).map((s) => s.file);
    expect(files).toContain("src/styles/viewer.css");
    expect(files).toContain("src/screens/Welcome.svelte");
    expect(lintStyles([`${uiRoot}/src`], uiRoot)).toEqual([]);
  });

  it("finds what the rule is about, and lets marked and commented lines be", () => {
    const css = [
      ".a { margin-left: 1rem; }",
      ".b { padding-right: 0; text-align: left; }",
      ".c { right: 0; }",
      ".d { border-left: 1px solid; float: right; }",
      ".e { left: 50%; /* physical: centred */ }",
      "/* the panel on the left: */ .f { margin-inline-start: 0; inset-inline-end: 0; }",
      ".splitter-left { text-align: start; }",
    ].join("\n");
    expect(physicalSides(css).map((f) => f.line)).toEqual([1, 2, 3, 4]);
  });

  it("runs as a command: exit 0 when clean, file:line and exit 1 otherwise", () => {
    expect(runAsCommand(["src/styles"])).toMatchObject({ status: 0, stdout: "" });
    const dirty = runAsCommand(["scripts/fixtures"]);
    expect(dirty.status).toBe(1);
    expect(dirty.stdout).toBe("scripts/fixtures/physical.css:3: margin-left: 1rem;\n");
  });
});

describe("the line's direction", () => {
  afterEach(() => document.documentElement.removeAttribute("dir"));

  it("is the nearest dir's, the page's by default", () => {
    expect(isRightToLeftAt()).toBe(false);
    document.documentElement.dir = "rtl";
    expect(isRightToLeftAt()).toBe(true);
    const inner = document.createElement("span");
    inner.dir = "ltr";
    document.body.append(inner);
    expect(isRightToLeftAt(inner)).toBe(false);
    inner.remove();
  });

  it("mirrors the left and right arrow keys and glyphs, and nothing else", () => {
    expect(lineKey("ArrowLeft", true)).toBe("ArrowRight");
    expect(lineKey("ArrowRight", true)).toBe("ArrowLeft");
    expect(lineKey("ArrowLeft", false)).toBe("ArrowLeft");
    expect(lineKey("ArrowUp", true)).toBe("ArrowUp");
    expect(lineKey(",", true)).toBe(",");
    expect(lineArrows(true)).toEqual({ back: "→", forward: "←" });
    expect(lineArrows(false)).toEqual({ back: "←", forward: "→" });
  });
});

describe("components, right to left", () => {
  beforeEach(() => {
    document.documentElement.dir = "rtl";
  });
  afterEach(() => {
    document.documentElement.removeAttribute("dir");
    document.body.innerHTML = "";
  });

  it("the viewer: ArrowLeft is next, ArrowRight previous; the buttons' arrows and keys say so", async () => {
    const items: GridItem[] = Array.from({ length: 5 }, (_, i) => fixtures.cell(i + 1, { thumb: { w: 240, h: 135 } }));
    const onmove = vi.fn();
    render(Viewer, {
      profile: "Work", playerBase: null, item: items[2] as GridItem, details: fixtures.details(3), position: 2, total: 5,
      items, onmove, onclose: vi.fn(), ondownload: vi.fn(),
    });
    const viewer = document.getElementById("viewer")!;
    await fireEvent.keyDown(viewer, { key: "ArrowLeft" });
    expect(onmove).toHaveBeenLastCalledWith(1);
    await fireEvent.keyDown(viewer, { key: "ArrowRight" });
    expect(onmove).toHaveBeenLastCalledWith(-1);
    const next = document.querySelector<HTMLButtonElement>(".nav.next")!;
    const previous = document.querySelector<HTMLButtonElement>(".nav.prev")!;
    expect(next.title).toBe("Next (←)");
    expect(previous.title).toBe("Previous (→)");
    // The glyphs turn round with the page (theme.css: [dir="rtl"] .dir-arrow).
    expect(next.querySelector(".dir-arrow")?.textContent).toBe("›");
    expect(previous.querySelector(".dir-arrow")?.textContent).toBe("‹");
  });

  it("the grid: rows start at the right (x negated from the start edge), ArrowLeft goes forward", async () => {
    const width = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientWidth");
    const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
    const sized = (px: number) => ({ configurable: true, get(this: HTMLElement) { return this.id === "grid" ? px : 0; } });
    Object.defineProperty(HTMLElement.prototype, "clientWidth", sized(1000));
    Object.defineProperty(HTMLElement.prototype, "clientHeight", sized(600));
    try {
      const onselect = vi.fn();
      const items = Array.from({ length: 30 }, (_, i) => fixtures.cell(i + 1, { thumb: { w: 240, h: 160 } }));
      render(VirtualGrid, fixtures.gridProps(items, { onselect, selected: 3 }));
      await settle();
      const xOf = (i: number) => Number(/translate\((-?[\d.]+)px/.exec(document.querySelector<HTMLElement>(`.cell[data-index="${i}"]`)!.style.transform)?.[1]);
      expect(xOf(0)).toBe(-12); // 12 px in from the right edge
      expect(xOf(1)).toBeLessThan(xOf(0));
      const grid = document.getElementById("grid")!;
      await fireEvent.keyDown(grid, { key: "ArrowLeft" });
      expect(onselect).toHaveBeenLastCalledWith(4, { shift: false });
      await fireEvent.keyDown(grid, { key: "ArrowRight" });
      expect(onselect).toHaveBeenLastCalledWith(2, { shift: false });
    } finally {
      if (width) Object.defineProperty(HTMLElement.prototype, "clientWidth", width);
      if (height) Object.defineProperty(HTMLElement.prototype, "clientHeight", height);
    }
  });

  it("a panel's edge: the sidebar, on the right, grows leftwards, by the pointer and by the keys", async () => {
    const onresize = vi.fn();
    render(Splitter, { id: "edge", label: "Resize", width: 200, min: 100, max: 400, side: "left", onresize });
    const edge = document.getElementById("edge")!;
    await fireEvent.keyDown(edge, { key: "ArrowLeft" });
    expect(onresize).toHaveBeenLastCalledWith(216);
    await fireEvent.keyDown(edge, { key: "ArrowRight" });
    expect(onresize).toHaveBeenLastCalledWith(184);
    await fireEvent.pointerDown(edge, { button: 0, clientX: 500, pointerId: 1 });
    await fireEvent.pointerMove(edge, { clientX: 470, pointerId: 1 });
    expect(onresize).toHaveBeenLastCalledWith(230);
  });

  it("the context menu: ← opens a submenu and → leaves it", async () => {
    const entries = [
      { action: "open", label: "Open" },
      { action: "add-to-basket", label: "Add to basket", children: [{ action: "target", label: "Basket 8", basketId: 8 }] },
    ];
    render(ContextMenu, { entries, x: 900, y: 20, onclose: vi.fn() });
    const focused = () => (document.activeElement as HTMLElement | null)?.dataset.action;
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect(focused()).toBe("add-to-basket");
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowLeft" });
    await settle();
    expect(focused()).toBe("target");
    expect(document.querySelector(".context-submenu .menu-entry")).not.toBeNull();
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowRight" });
    expect(focused()).toBe("add-to-basket");
    expect(document.querySelector(".context-submenu")).toBeNull();
    expect(document.querySelector(".menu-more")?.classList.contains("dir-arrow")).toBe(true);
  });
});
