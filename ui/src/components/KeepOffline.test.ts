import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import KeepOffline from "./KeepOffline.svelte";
import BasketHeader from "./BasketHeader.svelte";
import Sidebar from "./Sidebar.svelte";
import { browse } from "../lib/browse.svelte";
import { keeping } from "../lib/keep.svelte";
import { t } from "../lib/i18n";
import type { KeepProgress } from "../lib/bindings/KeepProgress";
import type { KeptBasket } from "../lib/bindings/KeptBasket";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { basketView, hostile, pwned, summary } from "../test/fixtures";
import { $, later, settle } from "../test/util";

const kept = (basket_id: number, extra: Partial<KeptBasket> = {}): KeptBasket => ({
  basket_id, name: `Basket ${basket_id}`, files: 80, bytes: 85_000_000, originals: false,
  at: Math.floor(Date.now() / 1000) - 300, incomplete: 0, ...extra,
});
const network = { code: "network" as const, message: "Cannot reach the server", hint: null, detail: "os error 111", retry: true };
const cancelled = { code: "cancelled" as const, message: "Cancelled", hint: null, detail: null, retry: false };

/** The backend lists `list` as the profile's kept baskets (now and after each keep). */
async function keptAre(list: KeptBasket[]) {
  ipc.keptBaskets.mockResolvedValue(list);
  await keeping.load("Work");
}

/** A keep the test plays: its progress callback, and the answer it settles when it wants. */
function playKeep(basket: number) {
  const answer = later<KeptBasket>();
  let progress: (p: KeepProgress) => void = () => {};
  ipc.keepOffline.mockImplementationOnce((_p: string, _b: number, _o: boolean, on: (p: KeepProgress) => void) => {
    progress = on;
    return answer.promise;
  });
  return { answer, progress: (done: number, total: number, bytes: number) => progress({ basket_id: basket, done, total, bytes }) };
}

const click = (selector: string) => fireEvent.click($(selector)!);

describe("Keep offline in the basket header", () => {
  beforeEach(async () => {
    resetIpc();
    browse.reset();
    browse.offline = false;
    await keptAre([]);
  });

  it("sits in the header of any basket, the user's own or not", () => {
    const view = basketView(7, [], { own: false, shared_by: "Jo Lee" });
    render(BasketHeader, { header: view.header, count: 3, ondownload: () => {}, onlightbox: () => {} });
    expect($("#keep-offline")?.hasAttribute("disabled")).toBe(false);
    expect($("#basket-rename")?.hasAttribute("disabled")).toBe(true);
  });

  it("starts a keep with the originals when asked, shows its progress, then what is kept", async () => {
    render(KeepOffline, { profile: "Work", basketId: 7 });
    const originals = $("#keep-originals") as HTMLInputElement;
    expect(originals.checked).toBe(false);
    expect($("#keep-area")?.textContent).toContain(t.keepOriginalsNote);
    await fireEvent.click(originals);
    const play = playKeep(7);
    await click("#keep-offline");
    expect(ipc.keepOffline).toHaveBeenCalledWith("Work", 7, true, expect.any(Function));
    expect($("#keep-progress")?.textContent).toContain(t.keepStarting);
    expect($("#keep-offline")).toBeNull();

    play.progress(12, 40, 85_000_000);
    await settle();
    const progress = $("#keep-progress")!;
    expect(progress.dataset.done).toBe("12");
    expect(progress.dataset.total).toBe("40");
    expect(progress.textContent).toContain("12 of 40 · 85 MB");
    expect((progress.querySelector("progress") as HTMLProgressElement).value).toBe(12);

    ipc.keptBaskets.mockResolvedValue([kept(7, { originals: true, at: Math.floor(Date.now() / 1000) })]);
    play.answer.resolve(kept(7, { originals: true }));
    await settle();
    await settle();
    expect($("#keep-progress")).toBeNull();
    expect($("#kept-state")?.textContent).toContain("Kept offline · 85 MB · updated now · with originals");
    expect(($("#keep-originals") as HTMLInputElement).checked).toBe(true);
  });

  it("cancels a keep: back to Keep offline, no error", async () => {
    render(KeepOffline, { profile: "Work", basketId: 8 });
    const play = playKeep(8);
    await click("#keep-offline");
    play.progress(3, 40, 2_000_000);
    await settle();
    await click("#keep-cancel");
    expect(ipc.cancelKeep).toHaveBeenCalledWith("Work", 8);
    play.answer.reject(cancelled);
    await settle();
    await settle();
    expect($("#keep-progress")).toBeNull();
    expect($("#keep-offline")).toBeTruthy();
    expect($("#keep-error")).toBeNull();
  });

  it("shows a kept basket with Update and Don't keep", async () => {
    await keptAre([kept(9, { incomplete: 2 })]);
    render(KeepOffline, { profile: "Work", basketId: 9 });
    expect($("#kept-state")?.textContent).toContain("Kept offline · 85 MB · updated 5 minutes ago");
    expect($("#kept-incomplete")?.textContent).toContain("2 records could not be fetched whole");
    expect($("#keep-offline")).toBeNull();

    ipc.keepOffline.mockResolvedValueOnce(kept(9));
    await click("#keep-update");
    expect(ipc.keepOffline).toHaveBeenCalledWith("Work", 9, false, expect.any(Function));
    await settle();

    ipc.forgetOffline.mockResolvedValueOnce([]);
    await click("#keep-forget");
    await settle();
    expect(ipc.forgetOffline).toHaveBeenCalledWith("Work", 9);
    expect($("#kept-state")).toBeNull();
    expect($("#keep-offline")).toBeTruthy();
  });

  it("offline, what needs the server is disabled with the reason; Don't keep is local and stays", async () => {
    browse.offline = true;
    render(KeepOffline, { profile: "Work", basketId: 10 });
    const button = $("#keep-offline")!;
    expect(button.hasAttribute("disabled")).toBe(true);
    expect(button.getAttribute("title")).toBe(t.needsServer);
    expect($("#keep-originals")?.hasAttribute("disabled")).toBe(true);

    await keptAre([kept(10)]);
    await settle();
    expect($("#keep-update")?.hasAttribute("disabled")).toBe(true);
    expect($("#keep-update")?.getAttribute("title")).toBe(t.needsServer);
    expect($("#keep-forget")?.hasAttribute("disabled")).toBe(false);
  });

  it("shows a failed keep with Retry, which keeps again with the same choice", async () => {
    render(KeepOffline, { profile: "Work", basketId: 11 });
    await fireEvent.click($("#keep-originals")!);
    ipc.keepOffline.mockRejectedValueOnce({ ...network, message: hostile });
    await click("#keep-offline");
    await settle();
    await settle();
    const notice = $("#keep-error")!;
    expect(notice.dataset.code).toBe("network");
    expect(notice.querySelector(".message")?.textContent).toBe(hostile);
    expect(pwned()).toBeUndefined();

    ipc.keepOffline.mockResolvedValueOnce(kept(11, { originals: true }));
    await click("#keep-error-retry");
    expect(ipc.keepOffline).toHaveBeenCalledTimes(2);
    expect(ipc.keepOffline).toHaveBeenLastCalledWith("Work", 11, true, expect.any(Function));
    await settle();
    await settle();
    expect($("#keep-error")).toBeNull();
  });
});

describe("kept baskets in the sidebar", () => {
  beforeEach(async () => {
    resetIpc();
    stubShowing();
    browse.reset();
    ipc.baskets.mockResolvedValue([summary(1, { name: hostile }), summary(2)]);
    ipc.keptBaskets.mockResolvedValue([]);
    browse.show("Work");
    await settle();
  });

  it("marks the kept rows and sums them in the footer", async () => {
    render(Sidebar, { onpick: () => {}, onrefresh: () => {} });
    expect(document.querySelector("[data-kept]")).toBeNull();
    expect($("#kept-summary")).toBeNull();

    await keptAre([kept(2, { bytes: 85_000_000 }), kept(5, { bytes: 15_000_000 })]);
    await settle();
    const rows = [...document.querySelectorAll<HTMLElement>("#basket-list [data-basket]")];
    expect(rows.filter((r) => r.hasAttribute("data-kept")).map((r) => r.dataset.basket)).toEqual(["2"]);
    expect(rows[1]?.querySelector("[data-kept-mark]")?.getAttribute("title")).toBe("Kept offline · 85 MB");
    expect($("#kept-summary")?.textContent?.trim()).toBe("Kept offline: 2 baskets · 100 MB");
    // The footer stays under the other sections.
    await click("#section-feeds");
    expect($("#kept-summary")).toBeTruthy();
  });

  it("names the sort menu in words", () => {
    render(Sidebar, { onpick: () => {}, onrefresh: () => {} });
    expect($("#basket-sort")?.getAttribute("aria-label")).toBe(t.basketSortLabel);
  });
});
