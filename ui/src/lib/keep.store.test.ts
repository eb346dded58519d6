import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import { formatAgo, KeepState, keeping, onKeepFinished, type KeepFinished } from "./keep.svelte";
import type { KeepProgress } from "./bindings/KeepProgress";
import type { KeptBasket } from "./bindings/KeptBasket";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { summary } from "../test/fixtures";
import { shown } from "../test/browse";
import { later, settle } from "../test/util";

const kept = (basket_id: number, extra: Partial<KeptBasket> = {}): KeptBasket => ({
  basket_id, name: `Basket ${basket_id}`, files: 80, bytes: 85_000_000, originals: false, at: 1_700_000_000, incomplete: 0,
  ...extra,
});
const network = { code: "network" as const, message: "Cannot reach the server", hint: null, detail: "os error 111", retry: true };
const cancelled = { code: "cancelled" as const, message: "Cancelled", hint: null, detail: null, retry: false };

/** A keep the test plays: its progress callback, and the answer it settles when it wants. */
function playKeep() {
  const answer = later<KeptBasket>();
  let progress: (p: KeepProgress) => void = () => {};
  ipc.keepOffline.mockImplementation((_profile: string, _basket: number, _originals: boolean, on: (p: KeepProgress) => void) => {
    progress = on;
    return answer.promise;
  });
  return { answer, progress: (p: Omit<KeepProgress, "basket_id">) => progress({ basket_id: 7, ...p }) };
}

describe("the keep store", () => {
  let store: KeepState;
  beforeEach(() => {
    resetIpc();
    store = new KeepState();
  });

  it("lists each profile's kept baskets, and keeps the list when the backend fails", async () => {
    ipc.keptBaskets.mockResolvedValueOnce([kept(7), kept(9, { bytes: 15_000_000 })]);
    await store.load("Work");
    expect(ipc.keptBaskets).toHaveBeenCalledWith("Work");
    expect(store.keptOf("Work").map((k) => k.basket_id)).toEqual([7, 9]);
    expect(store.kept("Work", 9)?.bytes).toBe(15_000_000);
    expect(store.kept("Work", 8)).toBeNull();
    expect(store.totalBytes("Work")).toBe(100_000_000);
    expect(store.keptOf("Home")).toEqual([]);
    ipc.keptBaskets.mockRejectedValueOnce(network);
    await store.load("Work");
    expect(store.keptOf("Work")).toHaveLength(2);
  });

  it("follows a keep's progress, then lists the kept baskets again and announces it", async () => {
    const heard: KeepFinished[] = [];
    store.onFinished((f) => heard.push(f));
    const play = playKeep();
    const done = store.keep("Work", 7, true);
    expect(ipc.keepOffline).toHaveBeenCalledWith("Work", 7, true, expect.any(Function));
    expect(store.running("Work", 7)).toMatchObject({ done: 0, total: 0, originals: true });
    play.progress({ done: 12, total: 40, bytes: 85_000_000 });
    expect(store.running("Work", 7)).toMatchObject({ done: 12, total: 40, bytes: 85_000_000 });
    // A second press while it runs starts nothing.
    await store.keep("Work", 7, true);
    expect(ipc.keepOffline).toHaveBeenCalledTimes(1);

    ipc.keptBaskets.mockResolvedValueOnce([kept(7, { originals: true })]);
    play.answer.resolve(kept(7, { originals: true }));
    expect(await done).toMatchObject({ basket_id: 7 });
    expect(store.running("Work", 7)).toBeNull();
    expect(store.kept("Work", 7)?.originals).toBe(true);
    expect(store.problem("Work", 7)).toBeNull();
    expect(heard).toEqual([{ profile: "Work", basketId: 7, outcome: "kept", kept: kept(7, { originals: true }), problem: null }]);
  });

  it("cancels: nothing to show, the list again, announced as cancelled", async () => {
    const heard: KeepFinished[] = [];
    const stop = store.onFinished((f) => heard.push(f));
    const play = playKeep();
    const done = store.keep("Work", 7, false);
    store.cancel("Work", 7);
    expect(ipc.cancelKeep).toHaveBeenCalledWith("Work", 7);
    ipc.keptBaskets.mockResolvedValueOnce([]);
    play.answer.reject(cancelled);
    expect(await done).toBeNull();
    expect(store.running("Work", 7)).toBeNull();
    expect(store.problem("Work", 7)).toBeNull();
    expect(ipc.keptBaskets).toHaveBeenCalledWith("Work");
    expect(heard.map((f) => f.outcome)).toEqual(["cancelled"]);
    // Stopped hearing: the next keep is not announced to it.
    stop();
    ipc.keepOffline.mockResolvedValueOnce(kept(7));
    await store.keep("Work", 7, false);
    expect(heard).toHaveLength(1);
  });

  it("keeps a failure with its choice of originals: Retry makes the same keep again", async () => {
    const heard: KeepFinished[] = [];
    store.onFinished((f) => heard.push(f));
    ipc.keepOffline.mockRejectedValueOnce(network);
    await store.keep("Work", 7, true);
    expect(store.problem("Work", 7)).toMatchObject({ code: "network", retry: true });
    expect(heard[0]).toMatchObject({ outcome: "failed", kept: null, problem: { code: "network" } });

    ipc.keepOffline.mockResolvedValueOnce(kept(7, { originals: true }));
    await store.retry("Work", 7);
    expect(ipc.keepOffline).toHaveBeenLastCalledWith("Work", 7, true, expect.any(Function));
    expect(store.problem("Work", 7)).toBeNull();
    expect(heard.map((f) => f.outcome)).toEqual(["failed", "kept"]);
  });

  it("forgets a basket: the backend's list replaces the one shown; a failure shows", async () => {
    ipc.keptBaskets.mockResolvedValueOnce([kept(7), kept(9)]);
    await store.load("Work");
    ipc.forgetOffline.mockResolvedValueOnce([kept(9)]);
    await store.forget("Work", 7);
    expect(ipc.forgetOffline).toHaveBeenCalledWith("Work", 7);
    expect(store.keptOf("Work").map((k) => k.basket_id)).toEqual([9]);
    ipc.forgetOffline.mockRejectedValueOnce({ ...network, code: "io", message: "Disk full" });
    await store.forget("Work", 9);
    expect(store.problem("Work", 9)?.code).toBe("io");
    expect(store.keptOf("Work")).toHaveLength(1);
    store.dismiss("Work", 9);
    expect(store.problem("Work", 9)).toBeNull();
  });

  it("one listener failing does not keep the others from hearing", async () => {
    const second = vi.fn();
    store.onFinished(() => {
      throw new Error("boom");
    });
    store.onFinished(second);
    ipc.keepOffline.mockResolvedValueOnce(kept(7));
    await store.keep("Work", 7, false);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it("onKeepFinished hears the app's store", async () => {
    const heard = vi.fn();
    const stop = onKeepFinished(heard);
    ipc.keepOffline.mockResolvedValueOnce(kept(3));
    await keeping.keep("Work", 3, false);
    stop();
    expect(heard).toHaveBeenCalledWith(expect.objectContaining({ basketId: 3, outcome: "kept" }));
  });

  it("says how long ago a keep was, in the window's language", () => {
    const now = 1_700_000_000_000;
    const at = now / 1000;
    expect(formatAgo(at - 300, now, "en")).toBe("5 minutes ago");
    expect(formatAgo(at - 2 * 3600, now, "fr").replace(/\s/g, " ")).toBe("il y a 2 heures");
    expect(formatAgo(at - 10, now, "en")).toBe("now");
    expect(formatAgo(at - 3 * 86400, now, "en")).toBe("3 days ago");
  });
});

describe("the basket list and the kept list", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
  });

  it("are loaded together", async () => {
    ipc.baskets.mockResolvedValue([summary(7)]);
    ipc.keptBaskets.mockResolvedValue([kept(7)]);
    const store = await shown();
    expect(ipc.keptBaskets).toHaveBeenCalledWith("Work");
    expect(keeping.kept("Work", 7)).toMatchObject({ basket_id: 7 });
    ipc.keptBaskets.mockResolvedValue([]);
    await store.loadBaskets();
    await settle();
    expect(keeping.keptOf("Work")).toEqual([]);
  });
});
