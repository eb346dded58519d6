// Leftovers of #16: the home cards' right-click menu and kept mark; the feeds' tiles carry the grid's badges.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Home from "./Home.svelte";
import FeedView from "./FeedView.svelte";
import { browse } from "../lib/browse.svelte";
import { keeping } from "../lib/keep.svelte";
import { t } from "../lib/i18n";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { cell, feedEntry, feedPage, summary } from "../test/fixtures";
import { $, settle } from "../test/util";

describe("the home cards", () => {
  beforeEach(async () => {
    resetIpc();
    stubShowing();
    browse.reset();
    browse.offline = false;
    browse.baskets = [summary(1, { updated_on: "2025-01-01T10:00:00Z" }), summary(2, { updated_on: "2024-01-01T10:00:00Z" })];
    ipc.keptBaskets.mockResolvedValue([
      { basket_id: 2, name: "Basket 2", files: 9, bytes: 85_000_000, originals: false, at: 1_700_000_000, incomplete: 0 },
    ]);
    await keeping.load("Work");
  });

  it("open the basket actions on a right-click, as the sidebar's rows do", async () => {
    const onpick = vi.fn();
    render(Home, { profile: "Work", onpick });
    await settle();
    const card = document.querySelector<HTMLElement>('.home-card[data-basket-id="1"]')!;
    await fireEvent.contextMenu(card, { clientX: 40, clientY: 50 });
    const menu = $("#context-menu")!;
    const actions = [...menu.querySelectorAll<HTMLElement>("[data-action]")].map((e) => e.dataset.action);
    expect(actions).toEqual(["open", "download", "open-in-phraseanet"]);
    await fireEvent.click(menu.querySelector('[data-action="open"]')!);
    expect(onpick).toHaveBeenCalledWith(1);
    expect($("#context-menu")).toBeNull();
  });

  it("open it from the keyboard, and offline say why what needs the server waits", async () => {
    browse.offline = true;
    render(Home, { profile: "Work", onpick: () => {} });
    await settle();
    await fireEvent.keyDown(document.querySelector('.home-card[data-basket-id="2"]')!, { key: "F10", shiftKey: true });
    const download = document.querySelector<HTMLElement>('#context-menu [data-action="download"]')!;
    expect(download.hasAttribute("disabled")).toBe(true);
    expect(download.getAttribute("title")).toBe(t.needsServer);
  });

  it("say which baskets are kept offline", async () => {
    render(Home, { profile: "Work", onpick: () => {} });
    await settle();
    const kept = [...document.querySelectorAll<HTMLElement>(".home-card[data-kept]")].map((c) => c.dataset.basketId);
    expect(kept).toEqual(["2"]);
    expect(document.querySelector('.home-card[data-basket-id="2"] [data-kept-mark]')?.textContent).toBe("Kept offline · 85 MB");
  });
});

describe("the feeds' tiles", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    browse.reset();
  });

  it("carry the grid's kind, length and extension badges", async () => {
    ipc.feeds.mockResolvedValue([]);
    ipc.feed.mockResolvedValue(
      feedPage([
        feedEntry(1, [
          cell(1),
          cell(2, { kind: "video", duration: 205, extension: "mp4" }),
          cell(3, { kind: "document", pages: 12, extension: "pdf" }),
        ]),
      ]),
    );
    browse.setSection("feeds");
    render(FeedView, { profile: "Work" });
    await settle();
    await settle();
    const tile = (record: number) => document.querySelector<HTMLElement>(`#feed-entries [data-record="1/${record}"]`)!;
    expect(tile(1).querySelector("[data-badge]")).toBeNull();
    expect(tile(2).querySelector('[data-badge="kind"]')?.textContent).toContain(t.kindVideo);
    expect(tile(2).querySelector('[data-badge="duration"]')?.textContent).toBe("3:25");
    expect(tile(2).querySelector('[data-badge="extension"]')?.textContent).toBe("MP4");
    expect(tile(3).querySelector('[data-badge="pages"]')?.textContent).toBe("12 pages");
  });
});
