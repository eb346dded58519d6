import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Main from "../screens/Main.svelte";
import ShortcutOverlay from "../components/ShortcutOverlay.svelte";
import DragOut from "../components/DragOut.svelte";
import { browse } from "./browse.svelte";
import { desktop, DownloadWatch, keepNotice, LONG_DOWNLOAD_MS, windowSubject } from "./desktop.svelte";
import { SHORTCUTS } from "./shortcuts";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { account, basketView, download, element, request, summary } from "../test/fixtures";
import { $, settle } from "../test/util";

beforeEach(() => {
  resetIpc();
  stubShowing();
  ipc.baskets.mockResolvedValue([summary(1, { name: "Festival selects" })]);
  ipc.basket.mockResolvedValue(basketView(1, [element(1), element(2)], { name: "Festival selects" }));
  ipc.resumeDownloads.mockResolvedValue([]);
  ipc.lastView.mockResolvedValue(null);
  ipc.downloadBasket.mockResolvedValue([]);
});
afterEach(() => {
  browse.reset();
  desktop.shortcutsOpen = false;
  desktop.drag = null;
});

/** The main view with basket 1 open; the menu's action callback as the backend would call it. */
async function mainWithBasket() {
  render(Main, { account: account() });
  await settle();
  await browse.pickBasket(1);
  await settle();
  await desktop.installMenu();
  const onAction = ipc.setMenu.mock.calls.at(-1)?.[1] as (id: string) => void;
  return { onAction };
}

describe("menu items and keys run the same actions", () => {
  it("sends the menu built from the table, then runs each item's action", async () => {
    const { onAction } = await mainWithBasket();
    const labels = ipc.setMenu.mock.calls.at(-1)?.[0];
    expect(labels.items.map((i: { id: string }) => i.id)).toContain("download-all");

    onAction("download-all");
    expect(ipc.downloadBasket).toHaveBeenCalledWith("Work", 1, false, expect.any(Function));
    onAction("go-search");
    await settle();
    expect(browse.section).toBe("search");
    onAction("shortcuts");
    expect(desktop.shortcutsOpen).toBe(true);
    onAction("not-an-action");
  });

  it("runs an action once when its key and its menu item both report the same press", async () => {
    const { onAction } = await mainWithBasket();
    await fireEvent.keyDown(window, { key: "D", ctrlKey: true, shiftKey: true });
    onAction("download-all");
    expect(ipc.downloadBasket).toHaveBeenCalledTimes(1);
  });

  it("opens the record or the basket in Phraseanet", async () => {
    const { onAction } = await mainWithBasket();
    ipc.openInPhraseanet.mockResolvedValue("https://dam.example.org/");
    onAction("open-in-phraseanet");
    expect(ipc.openInPhraseanet).toHaveBeenLastCalledWith("Work", { kind: "basket", basket_id: 1 });
    await browse.select(1);
    onAction("open-in-phraseanet");
    expect(ipc.openInPhraseanet).toHaveBeenLastCalledWith("Work", { kind: "record", databox_id: 1, record_id: 2 });
  });

  it("leaves plain keys to a text field, and chords work from it", async () => {
    await mainWithBasket();
    const input = document.createElement("input");
    document.body.append(input);
    await fireEvent.keyDown(input, { key: "?", shiftKey: true });
    expect(desktop.shortcutsOpen).toBe(false);
    await fireEvent.keyDown(input, { key: "b", ctrlKey: true });
    await fireEvent.keyDown(window, { key: "?", shiftKey: true });
    expect(desktop.shortcutsOpen).toBe(true);
    input.remove();
  });
});

describe("the window title", () => {
  it("names the open basket, then the search", async () => {
    await mainWithBasket();
    expect(ipc.setTitle).toHaveBeenLastCalledWith("Festival selects");
    browse.setSection("search");
    browse.search.ranRequest = request({ query: "cats" });
    expect(windowSubject(browse)).toBe("Search “cats”");
    browse.search.ranRequest = request({ query: "  " });
    expect(windowSubject(browse)).toBe("Search");
    browse.setSection("feeds");
    expect(windowSubject(browse)).toBeNull();
  });
});

describe("the shortcut overlay", () => {
  it("lists every key of the table, grouped, and closes on Escape", async () => {
    desktop.shortcutsOpen = true;
    render(ShortcutOverlay);
    const dialog = $("#shortcuts");
    expect(dialog?.tagName).toBe("DIALOG");
    expect(document.querySelectorAll("#shortcuts .shortcut-row")).toHaveLength(SHORTCUTS.length);
    expect(document.querySelectorAll("#shortcuts kbd")).toHaveLength(SHORTCUTS.flatMap((s) => s.keys).length);
    expect($("[data-group='file'] h3")?.textContent).toBe("File");
    expect($("[data-action='download-all'] kbd")?.textContent).toBe("Ctrl+Shift+D");
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(desktop.shortcutsOpen).toBe(false);
  });
});

describe("notifications", () => {
  const job = { id: 9, name: "Festival selects", count: 2 };

  it("tell a Download all once all its files ended, and a long single download", () => {
    const watch = new DownloadWatch();
    expect(watch.seen([download(1, "running", { job }), download(2, "queued", { job })], 0)).toEqual([]);
    expect(watch.seen([download(1, "done", { job }), download(2, "running", { job })], 1000)).toEqual([]);
    expect(watch.seen([download(1, "done", { job }), download(2, "failed", { job })], 2000)).toEqual([
      { title: "“Festival selects” is downloaded", body: "1 file, 1 failed" },
    ]);
    expect(watch.seen([download(1, "done", { job }), download(2, "failed", { job })], 3000)).toEqual([]);

    expect(watch.seen([download(3, "running")], 0)).toEqual([]);
    expect(watch.seen([download(3, "done", { file_name: "a.jpg" })], LONG_DOWNLOAD_MS)).toEqual([
      { title: "a.jpg is downloaded", body: "/tmp" },
    ]);
    expect(watch.seen([download(4, "running")], 0)).toEqual([]);
    expect(watch.seen([download(4, "done")], 500), "a quick one is seen in the window").toEqual([]);
    expect(watch.seen([download(5, "done")], 0), "finished before it was seen").toEqual([]);
  });

  it("tell a keep that ended, by the basket's name", () => {
    const baskets = [summary(4, { name: "Press kit" })];
    const kept = { profile: "Work", basketId: 4, outcome: "kept" as const, kept: null, problem: null };
    expect(keepNotice(kept, baskets)?.title).toBe("“Press kit” is kept offline");
    expect(keepNotice({ ...kept, outcome: "cancelled" }, baskets)).toBeNull();
    const problem = { code: "network" as const, message: "No network", hint: null };
    expect(keepNotice({ ...kept, outcome: "failed", problem }, null)).toEqual({
      title: "“#4” could not be kept offline",
      body: "No network",
    });
  });

  it("are asked of the backend when a download ends in the main view", async () => {
    await mainWithBasket();
    const now = vi.spyOn(Date, "now");
    now.mockReturnValue(0);
    browse.downloads = [download(7, "running", { job })];
    await settle();
    now.mockReturnValue(60_000);
    browse.downloads = [download(7, "done", { job })];
    await settle();
    expect(ipc.notify).toHaveBeenCalledWith("“Festival selects” is downloaded", "1 file");
    now.mockRestore();
  });
});

describe("drag out", () => {
  it("fetches the files with progress, then starts the OS drag from the handle", async () => {
    let progress: (p: { done: number; total: number; received: number }) => void = () => {};
    let answer: (paths: string[]) => void = () => {};
    ipc.prepareDrag.mockImplementation((_p: string, _r: unknown, onProgress: typeof progress) => {
      progress = onProgress;
      return new Promise((r) => (answer = r));
    });
    render(DragOut, { profile: "Work" });
    const preparing = desktop.prepareDrag("Work", [{ databox_id: 1, record_id: 2 }]);
    progress({ done: 1, total: 2, received: 10 });
    await settle();
    expect($("#drag-out-progress")?.getAttribute("value")).toBe("1");
    answer(["/tmp/phraseanet-drag-x/a.jpg", "/tmp/phraseanet-drag-x/b.jpg"]);
    await preparing;
    await settle();
    const handle = $("#drag-out-handle");
    expect(handle?.dataset.count).toBe("2");
    await fireEvent.pointerDown(handle!, { button: 0 });
    expect(ipc.startDrag).toHaveBeenCalledWith(["/tmp/phraseanet-drag-x/a.jpg", "/tmp/phraseanet-drag-x/b.jpg"]);
    await fireEvent.click($("#drag-out-close")!);
    expect($("#drag-out")).toBeNull();
  });

  it("says why the files could not be fetched", async () => {
    ipc.prepareDrag.mockRejectedValue({ code: "network", message: "No network", hint: null });
    render(DragOut, { profile: "Work" });
    await desktop.prepareDrag("Work", [{ databox_id: 1, record_id: 2 }]);
    await settle();
    expect($("#drag-out-error")?.textContent).toContain("No network");
  });
});
