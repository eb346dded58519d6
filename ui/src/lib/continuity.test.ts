import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { BrowseState } from "./browse.svelte";
import { SETTLE_MS } from "./continuity";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { basketView, element as cell, feedPage, feedEntry, feedSummary, request, searchPage, summary } from "../test/fixtures";
import { settle } from "../test/util";

/** Lets the restore run to its end: the list, the last view, the basket, the details. */
const restored = async () => {
  for (let i = 0; i < 6; i++) await settle();
};

describe("continuity: the last view is remembered and reopened", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    ipc.baskets.mockResolvedValue([summary(7), summary(8)]);
    ipc.lastView.mockResolvedValue(null);
    ipc.rememberView.mockResolvedValue(undefined);
    ipc.record.mockImplementation(async (_p: string, ref: { record_id: number }) => ({ record: ref }));
  });
  afterEach(() => vi.useRealTimers());

  it("remembers each basket opened at once, then the scroll and selection once they settle", async () => {
    const store = new BrowseState();
    store.show("Work");
    await restored();
    ipc.basket.mockResolvedValue(basketView(7, [cell(1), cell(2), cell(3)]));
    await store.pickBasket(7);
    await settle();
    expect(ipc.rememberView).toHaveBeenLastCalledWith("Work", { place: { kind: "basket", basket_id: 7 }, scroll: 0, selected: null });
    vi.useFakeTimers();
    ipc.rememberView.mockClear();
    store.gridScroll = 120;
    store.gridScroll = 480;
    void store.select(2);
    vi.advanceTimersByTime(SETTLE_MS - 10);
    expect(ipc.rememberView).not.toHaveBeenCalled();
    vi.advanceTimersByTime(20);
    expect(ipc.rememberView).toHaveBeenCalledTimes(1);
    expect(ipc.rememberView).toHaveBeenCalledWith("Work", { place: { kind: "basket", basket_id: 7 }, scroll: 480, selected: 2 });
    // The same view is not written twice.
    store.gridScroll = 480;
    vi.advanceTimersByTime(SETTLE_MS);
    expect(ipc.rememberView).toHaveBeenCalledTimes(1);
  });

  it("remembers a search and a feed as places", async () => {
    const store = new BrowseState();
    store.show("Work");
    await restored();
    ipc.search.mockResolvedValue(searchPage([cell(1)]));
    ipc.searches.mockResolvedValue({ saved: [], recent: [] });
    ipc.collections.mockResolvedValue([]);
    store.setSection("search");
    store.search.query = "sea";
    await store.search.run();
    await settle();
    expect(ipc.rememberView).toHaveBeenLastCalledWith("Work", {
      place: { kind: "search", request: expect.objectContaining({ query: "sea" }) }, scroll: 0, selected: null,
    });
    ipc.feeds.mockResolvedValue([feedSummary(3)]);
    ipc.feed.mockResolvedValue(feedPage([feedEntry(1, [cell(4)])]));
    store.setSection("feeds");
    await store.feeds.pick(3);
    await settle();
    expect(ipc.rememberView).toHaveBeenLastCalledWith("Work", { place: { kind: "feed", feed_id: 3 }, scroll: 0, selected: null });
  });

  it("after sign-in or a launch, reopens the basket at its scroll and selection, writing nothing meanwhile", async () => {
    ipc.lastView.mockResolvedValue({ place: { kind: "basket", basket_id: 8 }, scroll: 300, selected: 1 });
    ipc.basket.mockResolvedValue(basketView(8, [cell(5), cell(6)]));
    const store = new BrowseState();
    store.show("Work");
    await restored();
    expect(ipc.lastView).toHaveBeenCalledWith("Work");
    expect(store.basketId).toBe(8);
    expect(store.items.map((i) => i.record_id)).toEqual([5, 6]);
    expect(store.gridScroll).toBe(300);
    expect(store.selected).toBe(1);
    expect(ipc.record).toHaveBeenCalledWith("Work", { databox_id: 1, record_id: 6 }, { basket_id: 8, element_id: 106 });
    expect(ipc.rememberView).not.toHaveBeenCalled();
  });

  it("reopens a search with its form and a feed", async () => {
    const sea = request({ query: "sea", per_page: 50 });
    ipc.lastView.mockResolvedValueOnce({ place: { kind: "search", request: sea }, scroll: 90, selected: null });
    ipc.search.mockResolvedValue(searchPage([cell(1), cell(2)]));
    ipc.searches.mockResolvedValue({ saved: [], recent: [] });
    ipc.collections.mockResolvedValue([]);
    const store = new BrowseState();
    store.show("Work");
    await restored();
    expect(store.section).toBe("search");
    expect(store.search.query).toBe("sea");
    expect(ipc.search).toHaveBeenCalledWith("Work", expect.objectContaining({ query: "sea", offset: 0 }));
    expect(store.gridScroll).toBe(90);

    ipc.lastView.mockResolvedValueOnce({ place: { kind: "feed", feed_id: 3 }, scroll: 0, selected: 0 });
    ipc.feeds.mockResolvedValue([feedSummary(3)]);
    ipc.feed.mockResolvedValue(feedPage([feedEntry(1, [cell(4)])]));
    const other = new BrowseState();
    other.show("Work");
    await restored();
    expect(other.section).toBe("feeds");
    expect(ipc.feed).toHaveBeenCalledWith("Work", 3, 0, expect.any(Number));
    expect(other.selected).toBe(0);
  });

  it("nothing remembered: nothing opens (the home view shows)", async () => {
    const store = new BrowseState();
    store.show("Work");
    await restored();
    expect(store.basketId).toBeNull();
    expect(store.section).toBe("baskets");
    expect(ipc.basket).not.toHaveBeenCalled();
  });

  it("restores once: a second showing of the same account (a re-sign-in) keeps what it shows", async () => {
    ipc.lastView.mockResolvedValue({ place: { kind: "basket", basket_id: 8 }, scroll: 0, selected: null });
    ipc.basket.mockResolvedValue(basketView(8, [cell(5)]));
    const store = new BrowseState();
    store.show("Work");
    await restored();
    store.closeBasket();
    store.show("Work");
    await restored();
    expect(ipc.lastView).toHaveBeenCalledTimes(1);
    expect(store.basketId).toBeNull();
  });

  it("a selection past the end of what came back is not restored", async () => {
    ipc.lastView.mockResolvedValue({ place: { kind: "basket", basket_id: 8 }, scroll: 0, selected: 9 });
    ipc.basket.mockResolvedValue(basketView(8, [cell(5)]));
    const store = new BrowseState();
    store.show("Work");
    await restored();
    expect(store.basketId).toBe(8);
    expect(store.selected).toBeNull();
  });
});
