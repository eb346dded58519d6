// The basket menus opened by the keyboard (Shift+F10, the Menu key) on a home card or a sidebar row:
// at the element's inline-start edge (its right edge right to left), inside the window.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Home from "./Home.svelte";
import BasketList from "./BasketList.svelte";
import { browse } from "../lib/browse.svelte";
import { keyboardPoint, placeMenu } from "../lib/contextmenu";
import { resetIpc, stubShowing } from "../test/mocks";
import { summary } from "../test/fixtures";
import { $, settle } from "../test/util";

/** The menu's measured size (jsdom lays nothing out). */
const MENU = { width: 200, height: 120 };

/** jsdom has no layout: `el` reports the box `at`, the menu its size, everything else nothing. */
function lay(el: Element, at: { left: number; top: number; width: number; height: number }) {
  const rect = (r: { left: number; top: number; width: number; height: number }) =>
    ({ ...r, x: r.left, y: r.top, right: r.left + r.width, bottom: r.top + r.height, toJSON: () => r }) as DOMRect;
  vi.spyOn(Element.prototype, "getBoundingClientRect").mockImplementation(function (this: Element) {
    if (this === el) return rect(at);
    if (this.id === "context-menu") return rect({ left: 0, top: 0, ...MENU });
    return rect({ left: 0, top: 0, width: 0, height: 0 });
  });
}

const menuAt = () => {
  const m = $("#context-menu")!;
  return { left: parseFloat(m.style.left), top: parseFloat(m.style.top) };
};

describe("the keyboard's basket menu", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    browse.reset();
    browse.baskets = [summary(1), summary(2)];
    window.innerWidth = 1024;
    window.innerHeight = 768;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    document.documentElement.dir = "ltr";
  });

  it("left to right, a sidebar row's menu opens at its left edge, running rightwards", async () => {
    render(BasketList, { onpick: () => {}, onrefresh: () => {} });
    const row = $('[data-basket="1"]')!;
    lay(row, { left: 0, top: 100, width: 256, height: 30 });
    row.focus();
    await fireEvent.keyDown(row, { key: "F10", shiftKey: true });
    expect(menuAt()).toEqual({ left: 24, top: 115 });
  });

  it("right to left, a sidebar row's menu opens at its right edge, running leftwards", async () => {
    document.documentElement.dir = "rtl";
    render(BasketList, { onpick: () => {}, onrefresh: () => {} });
    const row = $('[data-basket="1"]')!;
    // The sidebar is on the right right to left: the row ends at the window's edge.
    lay(row, { left: 768, top: 100, width: 256, height: 30 });
    row.focus();
    await fireEvent.keyDown(row, { key: "ContextMenu" });
    const { left, top } = menuAt();
    expect(left + MENU.width).toBe(1024 - 24);
    expect(top).toBe(115);
  });

  it("right to left, a home card's menu opens at its right edge", async () => {
    document.documentElement.dir = "rtl";
    render(Home, { profile: "Work", onpick: () => {} });
    await settle();
    const card = document.querySelector<HTMLElement>('.home-card[data-basket-id="2"]')!;
    lay(card, { left: 400, top: 200, width: 220, height: 180 });
    await fireEvent.keyDown(card, { key: "F10", shiftKey: true });
    expect(menuAt()).toEqual({ left: 620 - 24 - MENU.width, top: 224 });
  });

  it("right to left, a card near the window's left edge keeps its menu inside the window", async () => {
    document.documentElement.dir = "rtl";
    render(Home, { profile: "Work", onpick: () => {} });
    await settle();
    const card = document.querySelector<HTMLElement>('.home-card[data-basket-id="1"]')!;
    lay(card, { left: 10, top: 700, width: 150, height: 180 });
    await fireEvent.keyDown(card, { key: "F10", shiftKey: true });
    const { left, top } = menuAt();
    expect(left).toBeGreaterThanOrEqual(0);
    expect(top + MENU.height).toBeLessThanOrEqual(768);
  });
});

describe("menu placement arithmetic", () => {
  it("a keyboard menu starts inside the element's inline-start edge", () => {
    expect(keyboardPoint({ left: 100, right: 400 }, 50, false)).toEqual({ x: 124, y: 50 });
    expect(keyboardPoint({ left: 100, right: 400 }, 50, true)).toEqual({ x: 376, y: 50 });
  });

  it("right to left the menu ends at the point, and moves in when the window's edge is near", () => {
    expect(placeMenu(500, 100, 200, 150, 1000, 800, 4, true)).toEqual({ left: 300, top: 100 });
    expect(placeMenu(150, 700, 200, 150, 1000, 800, 4, true)).toEqual({ left: 4, top: 646 });
    // Left to right as before.
    expect(placeMenu(900, 100, 200, 150, 1000, 800)).toEqual({ left: 796, top: 100 });
  });
});
