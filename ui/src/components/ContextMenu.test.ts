import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import ContextMenu from "./ContextMenu.svelte";
import BrowseGrid from "./BrowseGrid.svelte";
import { browse } from "../lib/browse.svelte";
import { edge, placeMenu, step, type MenuEntry } from "../lib/contextmenu";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { basketView, details, element, hostile, summary } from "../test/fixtures";
import { $, settle } from "../test/util";
import type { SubdefInfo } from "../lib/bindings/SubdefInfo";

const focused = () => (document.activeElement as HTMLElement | null)?.dataset.action;
const key = (k: string, extra: KeyboardEventInit = {}) => fireEvent.keyDown(document.activeElement!, { key: k, ...extra });

describe("menu arithmetic", () => {
  const entries: MenuEntry[] = [
    { action: "a", label: "A" },
    { action: "b", label: "B", disabled: true },
    { action: "c", label: "C" },
  ];

  it("steps over disabled entries and wraps", () => {
    expect(step(entries, 0, 1)).toBe(2);
    expect(step(entries, 2, 1)).toBe(0);
    expect(step(entries, 0, -1)).toBe(2);
    expect(edge(entries)).toBe(0);
    expect(edge(entries, true)).toBe(2);
    expect(step([{ action: "x", label: "X", disabled: true }], 0, 1)).toBe(-1);
  });

  it("keeps the menu inside the window", () => {
    expect(placeMenu(100, 100, 200, 150, 1000, 800)).toEqual({ left: 100, top: 100 });
    expect(placeMenu(900, 700, 200, 150, 1000, 800)).toEqual({ left: 796, top: 646 });
  });
});

describe("ContextMenu", () => {
  it("moves with the arrows, runs with Enter, and gives the focus back", async () => {
    const opener = document.createElement("button");
    document.body.append(opener);
    opener.focus();
    const run = vi.fn();
    const onclose = vi.fn();
    const entries: MenuEntry[] = [
      { action: "open", label: "Open", run },
      { action: "download", label: "Download", disabled: true, title: "Offline" },
      { action: "copy-link", label: "Copy link", run },
      { action: "add-to-basket", label: "Add to basket", children: [
        { action: "add-to-basket-target", label: hostile, basketId: 8, run },
        { action: "new-basket", label: "New basket…", run },
      ] },
    ];
    render(ContextMenu, { entries, x: 10, y: 20, onclose });
    expect($("#context-menu")?.getAttribute("role")).toBe("menu");
    expect(focused()).toBe("open");
    await key("ArrowDown");
    expect(focused()).toBe("copy-link"); // the disabled entry is skipped
    await key("End");
    expect(focused()).toBe("add-to-basket");
    await key("ArrowDown");
    expect(focused()).toBe("open"); // wraps
    await key("ArrowUp");
    // The submenu opens with → and closes with ←, back on its entry.
    await key("ArrowRight");
    await settle();
    expect($('[data-action="add-to-basket"]')?.getAttribute("aria-expanded")).toBe("true");
    expect(focused()).toBe("add-to-basket-target");
    expect((document.activeElement as HTMLElement).dataset.basketTarget).toBe("8");
    expect(document.activeElement?.textContent).toContain(hostile); // server text stays text
    await key("ArrowLeft");
    expect(focused()).toBe("add-to-basket");
    expect($(".context-submenu")).toBeNull();
    await key("Home");
    await key("Enter");
    expect(run).toHaveBeenCalledTimes(1);
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });

  it("closes on Escape, giving the focus back; a click outside closes it", async () => {
    const opener = document.createElement("button");
    document.body.append(opener);
    opener.focus();
    const onclose = vi.fn();
    const shown = render(ContextMenu, { entries: [{ action: "open", label: "Open" }], x: 0, y: 0, onclose });
    await key("Escape");
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(opener);
    shown.unmount();
    render(ContextMenu, { entries: [{ action: "open", label: "Open" }], x: 0, y: 0, onclose });
    await fireEvent.pointerDown(document.body);
    expect(onclose).toHaveBeenCalledTimes(2);
    opener.remove();
  });
});

describe("the tiles' context menu", () => {
  const permalink = (name: string, url: string): SubdefInfo => ({
    name, width: 800, height: 600, filesize: 1000, mime: "image/jpeg", player_type: "IMAGE", plays: "image",
    path: `sub/1/2/${name}`, permalink: { page_url: `${url}/page`, url, download_url: `${url}/dl`, is_activated: true },
  });

  beforeEach(async () => {
    resetIpc();
    stubShowing();
    browse.reset();
    ipc.baskets.mockResolvedValue([summary(7), summary(8, { name: "Press picks" }), summary(9, { own: false })]);
    ipc.record.mockResolvedValue(details(2, { subdefs: [permalink("document", "https://dam/doc"), permalink("preview", "https://dam/prev")] }));
    ipc.related.mockResolvedValue({ record: { databox_id: 1, record_id: 2 }, baskets: [], stories: [] });
    ipc.copyText.mockResolvedValue(undefined);
    ipc.openInPhraseanet.mockResolvedValue("https://dam.example.org/prod/?record=2");
    browse.show("Work");
    await settle();
    ipc.basket.mockResolvedValueOnce(basketView(7, [element(1), element(2), element(3)]));
    await browse.pickBasket(7);
    render(BrowseGrid, { profile: "Work" });
  });

  const rightClick = (index: number) =>
    fireEvent.contextMenu($(`.cell[data-index="${index}"]`)!, { clientX: 30, clientY: 40 });

  it("selects the tile and offers what applies to it", async () => {
    await rightClick(1);
    await settle();
    expect(browse.selected).toBe(1);
    const actions = [...document.querySelectorAll("#context-menu > [data-action]")].map((e) => (e as HTMLElement).dataset.action);
    expect(actions).toEqual(["open", "download", "copy-link", "add-to-basket", "open-in-phraseanet"]);
    // Add to basket: the user's own baskets but the one shown, then a new one.
    await fireEvent.click($('[data-action="add-to-basket"]')!);
    await settle();
    expect([...document.querySelectorAll("[data-basket-target]")].map((e) => e.textContent?.trim())).toEqual(["Press picks"]);
    ipc.addToBasket.mockResolvedValue({ basket_id: 8, changed: 1, unchanged: 0, element_count: 1 });
    await fireEvent.click($('[data-basket-target="8"]')!);
    await settle();
    expect(ipc.addToBasket).toHaveBeenCalledWith("Work", 8, [{ databox_id: 1, record_id: 2 }]);
    expect($("#context-menu")).toBeNull();
  });

  it("copies the preview's permalink and opens the record in Phraseanet", async () => {
    await rightClick(1);
    await settle();
    await fireEvent.click($('[data-action="copy-link"]')!);
    await settle();
    expect(ipc.copyText).toHaveBeenCalledWith("https://dam/prev");
    await rightClick(1);
    await fireEvent.click($('[data-action="open-in-phraseanet"]')!);
    await settle();
    expect(ipc.openInPhraseanet).toHaveBeenCalledWith("Work", { kind: "record", databox_id: 1, record_id: 2 });
  });

  it("acts on the whole selection when the tile is in it", async () => {
    browse.pick(0);
    browse.pick(2, { toggle: true });
    await settle();
    await rightClick(2);
    expect(browse.selection.size).toBe(2);
    expect($('[data-action="download"]')?.textContent).toContain("Download 2 selected");
    ipc.downloadRecords.mockResolvedValue(undefined);
    await fireEvent.click($('[data-action="download"]')!);
    await settle();
    expect(ipc.downloadRecords).toHaveBeenCalledWith("Work", [{ databox_id: 1, record_id: 1 }, { databox_id: 1, record_id: 3 }], expect.any(Function));
  });

  it("disables Copy link on a record known to have no link, and what needs the server offline", async () => {
    ipc.record.mockResolvedValue(details(2, { subdefs: [] }));
    browse.pick(1);
    await settle();
    await rightClick(1);
    expect(($('[data-action="copy-link"]') as HTMLButtonElement).disabled).toBe(true);
    expect($('[data-action="copy-link"]')?.getAttribute("title")).toBe("This record has no link to share.");
    await fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    browse.offline = true;
    await rightClick(1);
    expect(($('[data-action="download"]') as HTMLButtonElement).disabled).toBe(true);
    expect(($('[data-action="open-in-phraseanet"]') as HTMLButtonElement).disabled).toBe(true);
    browse.offline = false;
  });
});
