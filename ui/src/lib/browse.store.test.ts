import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BasketView } from "./bindings/BasketView";
import type { RecordDetails } from "./bindings/RecordDetails";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { BrowseState } from "./browse.svelte";
import { ipc, resetIpc } from "../test/mocks";
import { basketView, details, download, element as cell, storyView, summary as basket, whole } from "../test/fixtures";
import { opened as openedWith } from "../test/browse";
import { later, settle } from "../test/util";

/** The list's baskets are unread until opened. */
const summary = (id: number) => basket(id, { unread: true });

const timeout = { code: "timeout", message: "The server did not answer in time.", hint: "Try again.", detail: null, retry: true };

/** A store that shows profile "Work" with basket 7 (two records) open. */
const opened = (elements = [cell(1), cell(2)]) => openedWith(basketView(7, elements));

describe("BrowseState controller", () => {
  beforeEach(() => {
    resetIpc();
    ipc.baskets.mockResolvedValue([summary(7), summary(8)]);
    ipc.downloads.mockResolvedValue([]);
    ipc.mediaBase.mockResolvedValue("http://127.0.0.1:4000/s3cr3t/");
  });
  afterEach(() => vi.useRealTimers());

  it("show() loads the profile's baskets, downloads and player base, and reopens the current basket", async () => {
    const store = new BrowseState();
    store.basketId = 8;
    ipc.downloads.mockResolvedValue([download(3)]);
    ipc.basket.mockResolvedValue(basketView(8, [cell(1)]));
    store.show("Work");
    await settle();
    expect(store.profile).toBe("Work");
    expect(ipc.baskets).toHaveBeenCalledWith("Work");
    expect(store.baskets?.map((b) => b.id)).toEqual([7, 8]);
    expect(store.downloads.map((d) => d.id)).toEqual([3]);
    expect(store.playerBase).toBe("http://127.0.0.1:4000/s3cr3t/");
    expect(ipc.basket).toHaveBeenCalledWith("Work", 8, expect.any(Function));
    expect(store.basket?.header.id).toBe(8);
  });

  it("pickBasket() shows the basket and tells the list its element count, read", async () => {
    const store = await opened([cell(1), cell(2), cell(3)]);
    expect(store.basketId).toBe(7);
    expect(store.loadingBasket).toBe(false);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2, 3]);
    expect(store.baskets?.find((b) => b.id === 7)).toMatchObject({ element_count: 3, unread: false });
    expect(store.baskets?.find((b) => b.id === 8)).toMatchObject({ element_count: null, unread: true });
    expect(store.problem).toBeNull();
  });

  it("pickBasket() counts the seconds and the bytes while the basket loads", async () => {
    vi.useFakeTimers();
    const store = new BrowseState();
    const answer = later<BasketView>();
    let received: (bytes: number) => void = () => {};
    ipc.basket.mockImplementation((_p: string, _id: number, onReceived: (bytes: number) => void) => {
      received = onReceived;
      return answer.promise;
    });
    const picked = store.pickBasket(7);
    expect(store.loadingBasket).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(ipc.basket).toHaveBeenCalled();
    expect(store.loadSeconds).toBe(0);
    vi.advanceTimersByTime(3000);
    expect(store.loadSeconds).toBe(3);
    received(2048);
    expect(store.loadBytes).toBe(2048);
    answer.resolve(basketView(7, [cell(1)]));
    await picked;
    expect(store.loadingBasket).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(store.loadSeconds).toBe(3);
  });

  it("ignores a basket answer that arrives after another basket was picked", async () => {
    const store = new BrowseState();
    store.baskets = [summary(7), summary(8)];
    const first = later<BasketView>();
    const second = later<BasketView>();
    const progress: ((bytes: number) => void)[] = [];
    ipc.basket
      .mockImplementationOnce((_p: string, _id: number, cb: (bytes: number) => void) => (progress.push(cb), first.promise))
      .mockImplementationOnce((_p: string, _id: number, cb: (bytes: number) => void) => (progress.push(cb), second.promise));
    const one = store.pickBasket(7);
    await vi.waitFor(() => expect(ipc.basket).toHaveBeenCalledTimes(1));
    const two = store.pickBasket(8);
    progress[0]?.(999);
    expect(store.loadBytes).toBe(0);
    second.resolve(basketView(8, [cell(5)]));
    await two;
    first.resolve(basketView(7, [cell(1), cell(2)]));
    await one;
    expect(store.basketId).toBe(8);
    expect(store.basket?.header.id).toBe(8);
    expect(store.items.map((i) => i.record_id)).toEqual([5]);
    expect(store.baskets?.find((b) => b.id === 7)?.element_count).toBeNull();
    expect(store.baskets?.find((b) => b.id === 8)?.element_count).toBe(1);
  });

  it("cancelBasket() stops the load, and the 'cancelled' answer shows no problem", async () => {
    const store = new BrowseState();
    store.show("Work");
    await settle();
    const answer = later<BasketView>();
    ipc.basket.mockReturnValue(answer.promise);
    ipc.cancelBasket.mockResolvedValue(undefined);
    const picked = store.pickBasket(7);
    await vi.waitFor(() => expect(ipc.basket).toHaveBeenCalled());
    store.cancelBasket();
    expect(store.basketId).toBeNull();
    expect(store.loadingBasket).toBe(false);
    expect(ipc.cancelBasket).toHaveBeenCalledWith("Work");
    answer.reject({ code: "cancelled", message: "Cancelled.", hint: null });
    await picked;
    expect(store.problem).toBeNull();
    expect(store.basket).toBeNull();
  });

  it("a failing basket load shows its problem through attempt()", async () => {
    const store = new BrowseState();
    ipc.basket.mockRejectedValueOnce(timeout).mockResolvedValue(basketView(7, [cell(1)]));
    await store.pickBasket(7);
    expect(store.problem).toEqual(timeout);
    expect(store.loadingBasket).toBe(false);
    expect(store.basket).toBeNull();
    // Refreshing clears it and loads the current basket again.
    await store.loadBaskets();
    expect(store.problem).toBeNull();
    expect(store.basket?.header.id).toBe(7);
  });

  it("select() loads the details with the basket element, and ignores a stale answer", async () => {
    const store = await opened();
    const first = later<RecordDetails>();
    const second = later<RecordDetails>();
    ipc.record.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const one = store.select(0);
    const two = store.select(1);
    expect(ipc.record).toHaveBeenNthCalledWith(1, "Work", { databox_id: 1, record_id: 1 }, { basket_id: 7, element_id: 101 });
    expect(store.details).toBeNull();
    second.resolve(details(2));
    await two;
    first.resolve(details(1));
    await one;
    expect(store.selected).toBe(1);
    expect(store.item?.record_id).toBe(2);
    expect(store.details?.title).toBe("Record 2");
  });

  it("select() shows a failing details load in the panel", async () => {
    const store = await opened();
    ipc.record.mockRejectedValue(timeout);
    await store.select(0);
    expect(store.detailsProblem).toEqual(timeout);
    expect(store.details).toBeNull();
    expect(store.problem).toBeNull();
  });

  it("open() on a story pushes it, clears the selection, and closeStory() goes back to the selection", async () => {
    const store = await opened([cell(1), cell(9, { kind: "story" })]);
    store.selected = 0;
    ipc.story.mockResolvedValue(storyView(9, [cell(20, { element_id: null }), cell(21, { element_id: null })]));
    await store.open(1);
    expect(ipc.record).not.toHaveBeenCalled();
    expect(ipc.story).toHaveBeenCalledWith("Work", { databox_id: 1, record_id: 9 });
    expect(store.story?.title).toBe("Story 9");
    expect(store.selected).toBeNull();
    expect(store.details).toBeNull();
    expect(store.items.map((i) => i.record_id)).toEqual([20, 21]);
    // Inside a story, records are not basket elements.
    ipc.record.mockResolvedValue(details(20));
    await store.select(0);
    expect(ipc.record).toHaveBeenCalledWith("Work", { databox_id: 1, record_id: 20 }, null);
    store.closeStory();
    expect(store.story).toBeNull();
    // The grid below comes back with the selection it had when the story opened.
    expect(store.selected).toBe(0);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 9]);
  });

  it("open() on a record selects it and opens the viewer; details that say story open the story", async () => {
    const store = await opened();
    ipc.record.mockResolvedValueOnce(details(1));
    await store.open(0);
    expect(store.selected).toBe(0);
    expect(store.viewer).toBe(true);
    store.viewer = false;
    ipc.record.mockResolvedValueOnce(details(2, { kind: "story" }));
    ipc.story.mockResolvedValue(storyView(2, [cell(30)]));
    await store.open(1);
    expect(store.viewer).toBe(false);
    expect(store.story?.title).toBe("Story 2");
    expect(store.selected).toBeNull();
  });

  it("move() steps through the grid and stops at its ends", async () => {
    const store = await opened();
    ipc.record.mockImplementation(async (_p: string, ref: { record_id: number }) => details(ref.record_id));
    store.selected = 0;
    store.move(1);
    expect(store.selected).toBe(1);
    store.move(1);
    expect(store.selected).toBe(1);
    store.move(-1);
    expect(store.selected).toBe(0);
    store.move(-1);
    expect(store.selected).toBe(0);
    expect(ipc.record).toHaveBeenCalledTimes(2);
  });

  it("download() opens the downloads panel and tracks the events, in id order", async () => {
    const store = await opened();
    store.selected = 1;
    store.downloads = [download(5)];
    ipc.downloadRecord.mockImplementation(async (_p: string, _r: unknown, _s: unknown, onEvent: (e: unknown) => void) => {
      onEvent({ kind: "queued", item: download(6) });
      onEvent({ kind: "progress", item: download(2, "running") });
      onEvent({ kind: "done", item: download(6, "done") });
      return 6;
    });
    await store.download("preview");
    expect(store.downloadsOpen).toBe(true);
    expect(ipc.downloadRecord).toHaveBeenCalledWith("Work", { databox_id: 1, record_id: 2 }, "preview", expect.any(Function));
    expect(store.downloads.map((d) => [d.id, d.state])).toEqual([[2, "running"], [5, "queued"], [6, "done"]]);
  });

  it("downloadBasket() downloads the open basket; a failure shows as the view's problem", async () => {
    const store = await opened();
    ipc.downloadBasket.mockRejectedValue(timeout);
    await store.downloadBasket();
    expect(ipc.downloadBasket).toHaveBeenCalledWith("Work", 7, false, expect.any(Function));
    expect(store.downloadsOpen).toBe(true);
    expect(store.problem).toEqual(timeout);
  });

  it("copy() shows a note for two seconds; a failure shows a problem and no note", async () => {
    vi.useFakeTimers();
    const store = new BrowseState();
    ipc.copyText.mockResolvedValueOnce(undefined);
    await store.copy("https://dam.example.org/permalink");
    expect(ipc.copyText).toHaveBeenCalledWith("https://dam.example.org/permalink");
    expect(store.note).toBe("Link copied");
    vi.advanceTimersByTime(2000);
    expect(store.note).toBe("");
    ipc.copyText.mockRejectedValueOnce(timeout);
    await store.copy("x");
    expect(store.note).toBe("");
    expect(store.problem).toEqual(timeout);
  });

  it("leave() starts the next showing afresh: late answers of the one that went away are not shown", async () => {
    const store = await opened();
    const answer = later<BasketView>();
    ipc.basket.mockReturnValue(answer.promise);
    const picked = store.pickBasket(8);
    expect(store.loadingBasket).toBe(true);
    await vi.waitFor(() => expect(ipc.basket).toHaveBeenCalledWith("Work", 8, expect.any(Function)));
    store.leave();
    expect(store.loadingBasket).toBe(false);
    expect(store.profile).toBe("");
    answer.reject(timeout);
    await picked;
    expect(store.problem).toBeNull();
    // What the view shows outlives it.
    expect(store.basketId).toBe(8);
  });

  describe("a failed open never leaves another basket under the one picked", () => {
    const refused = { code: "network", message: "Cannot reach the server", hint: null, detail: "os error 111", retry: true };

    it("opening B fails: A's cells are gone, B's header shows from the list, Retry opens B", async () => {
      const store = await opened([cell(1), cell(2)]);
      store.selected = 0;
      ipc.cachedBasketStart.mockResolvedValue(null);
      ipc.basket.mockRejectedValueOnce(refused);
      await store.pickBasket(8);
      expect(store.basketId).toBe(8);
      expect(store.items).toEqual([]);
      expect(store.showsBasket).toBe(false);
      expect(store.selected).toBeNull();
      expect(store.pendingBasket?.id).toBe(8);
      expect(store.pendingBasket?.name).toBe("Basket 8");
      expect(store.problem).toEqual(refused);
      // Retry asks for B again (with the list), and shows it.
      ipc.basket.mockResolvedValueOnce(basketView(8, [cell(5)]));
      store.retry();
      await settle();
      await settle();
      expect(ipc.basket).toHaveBeenLastCalledWith("Work", 8, expect.any(Function));
      expect(store.items.map((i) => i.record_id)).toEqual([5]);
      expect(store.problem).toBeNull();
      expect(store.pendingBasket).toBeNull();
    });

    it("opening B fails with a saved copy of B: B's copy shows, never A", async () => {
      const store = await opened([cell(1), cell(2)]);
      ipc.cachedBasketStart.mockResolvedValue(whole({ saved_at: 1_700_000_000, value: basketView(8, [cell(9)]) }));
      ipc.basket.mockRejectedValueOnce(refused);
      await store.pickBasket(8);
      expect(store.showsBasket).toBe(true);
      expect(store.basket?.header.id).toBe(8);
      expect(store.items.map((i) => i.record_id)).toEqual([9]);
      expect(store.copies.basket.state).toBe("unreachable");
    });

    it("while B loads, A's cells are not B's (Ctrl+A, the selection bar)", async () => {
      const store = await opened([cell(1), cell(2)]);
      const answer = later<BasketView>();
      ipc.basket.mockReturnValueOnce(answer.promise);
      const picked = store.pickBasket(8);
      expect(store.items).toEqual([]);
      expect(store.loadingBasket).toBe(true);
      expect(store.pendingBasket?.name).toBe("Basket 8");
      answer.resolve(basketView(8, [cell(5)]));
      await picked;
      expect(store.items.map((i) => i.record_id)).toEqual([5]);
    });
  });

  describe("Retry and dismiss of the view's problem", () => {
    it("Retry of a story opens that story again; the ✕ forgets the problem", async () => {
      const store = await opened([cell(1), cell(9, { kind: "story" })]);
      ipc.story.mockRejectedValueOnce(timeout).mockResolvedValueOnce(storyView(9, [cell(20)]));
      await store.open(1);
      expect(store.problem).toEqual(timeout);
      store.retry();
      await settle();
      expect(ipc.story).toHaveBeenCalledTimes(2);
      expect(store.story?.title).toBe("Story 9");
      ipc.story.mockRejectedValueOnce(timeout);
      await store.openStory({ databox_id: 1, record_id: 9 });
      store.dismissProblem();
      expect(store.problem).toBeNull();
    });

    it("Retry of the record panel loads the selected record again", async () => {
      const store = await opened();
      ipc.record.mockRejectedValueOnce(timeout).mockResolvedValueOnce(details(2));
      await store.select(1);
      expect(store.detailsProblem).toEqual(timeout);
      store.retryRecord();
      await settle();
      expect(ipc.record).toHaveBeenCalledTimes(2);
      expect(store.details?.title).toBe("Record 2");
    });

    it("a browser that did not open the Lightbox says so and offers its link to copy", async () => {
      const lightbox_url = "https://dam.example.org/lightbox/validate/7/";
      const vote = { participants: [], lightbox_url, expires_on: null, confirmed: false, initiator: null, is_initiator: false, infos: null };
      const store = await openedWith(basketView(7, [cell(1)], { vote }));
      ipc.openLightbox.mockRejectedValueOnce({
        code: "desktop", message: "no browser could open the Lightbox", hint: "Check that the folder exists.",
        detail: "Launcher xdg-open failed", retry: true,
      });
      await store.openLightbox();
      expect(store.problem?.message).toBe("Your browser did not open the Lightbox: copy its link and open it in your browser.");
      expect(store.problem?.hint).toBeNull();
      expect(store.problem?.detail).toBe("Launcher xdg-open failed");
      expect(store.browserLink).toBe(lightbox_url);
      ipc.copyText.mockResolvedValueOnce(undefined);
      await store.copy(store.browserLink ?? "");
      expect(ipc.copyText).toHaveBeenCalledWith(lightbox_url);
      expect(store.browserLink).toBeNull();
    });
  });
});
