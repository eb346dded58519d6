import { beforeEach, describe, expect, it, vi } from "vitest";
import type { FeedPage } from "./bindings/FeedPage";
import type { GridItem } from "./bindings/GridItem";
import type { SearchPage } from "./bindings/SearchPage";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { FEED_PAGE_SIZE, SEARCH_PAGE_SIZE } from "./library.svelte";
import { ipc, resetIpc } from "../test/mocks";
import * as fixtures from "../test/fixtures";
import { cell, details, feedEntry, feedSummary } from "../test/fixtures";
import { shown } from "../test/browse";
import { later, settle } from "../test/util";

const page = (items: GridItem[], extra: Partial<SearchPage> = {}) =>
  fixtures.searchPage(items, {
    per_page: SEARCH_PAGE_SIZE, total: 120, query_time_ms: 12,
    facets: [{ name: "Keywords", field: "Keywords", values: [{ value: "sea", count: 4, query: 'Keywords:"sea"' }, { value: "sky", count: 2, query: 'Keywords:"sky"' }] }],
    ...extra,
  });

const basketView = (id: number, elements: GridItem[]) => fixtures.basketView(id, elements, { owner: null });

const entry = (id: number, created_on: string | null, items: GridItem[]) => feedEntry(id, items, { created_on });

describe("search", () => {
  beforeEach(() => {
    resetIpc();
    ipc.baskets.mockResolvedValue([]);
    ipc.downloads.mockResolvedValue([]);
    ipc.mediaBase.mockResolvedValue(null);
    ipc.record.mockImplementation((_p: string, r: { record_id: number }) => Promise.resolve(details(r.record_id)));
  });

  it("runs the typed query with the form's options and shows the page in the grid", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValueOnce(page([cell(1), cell(2)]));
    store.search.query = "harbour";
    store.search.recordType = "image";
    store.search.stories = true;
    store.search.sort = "created_on";
    store.search.ord = "asc";
    await store.search.run();
    expect(ipc.search).toHaveBeenCalledWith("Work", {
      query: "harbour", filters: [], stories: true, record_type: "image", bases: [], date_min: null, date_max: null,
      date_field: null, sort: "created_on", ord: "asc", offset: 0, per_page: SEARCH_PAGE_SIZE,
    });
    expect(store.search.page?.total).toBe(120);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2]);
  });

  it("a search seen before shows its saved first page at once, then the fresh one, saying it changed", async () => {
    const store = await shown();
    store.setSection("search");
    const answer = later<SearchPage>();
    ipc.search.mockReturnValueOnce(answer.promise);
    ipc.cachedSearch.mockResolvedValueOnce({ saved_at: 1_700_000_000, value: page([cell(1), cell(2)]) });
    store.search.query = "harbour";
    const running = store.search.run();
    await settle();
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2]);
    expect(store.search.copy.state).toBe("updating");
    answer.resolve(page([cell(2), cell(3)]));
    await running;
    expect(store.items.map((i) => i.record_id)).toEqual([2, 3]);
    expect(store.search.copy.state).toBe("changed");
  });

  it("the saved first page stays, said so, when the server cannot answer", async () => {
    const store = await shown();
    store.setSection("search");
    const answer = later<SearchPage>();
    ipc.search.mockReturnValueOnce(answer.promise);
    ipc.cachedSearch.mockResolvedValueOnce({ saved_at: 1_700_000_000, value: page([cell(4)]) });
    store.search.query = "harbour";
    const running = store.search.run();
    await settle();
    answer.reject({ code: "network", message: "Cannot reach the server", hint: null, detail: "os error 111", retry: true });
    await running;
    expect(store.items.map((i) => i.record_id)).toEqual([4]);
    expect(store.search.copy.state).toBe("unreachable");
    expect(store.search.problem?.code).toBe("network");
  });

  it("a facet value adds a filter and reruns; clicking it again or removing the chip restores the query", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(1)]));
    store.search.query = "harbour";
    await store.search.run();
    const sea = store.search.page!.facets[0]!.values[0]!;
    const sky = store.search.page!.facets[0]!.values[1]!;
    store.search.toggleFacet("Keywords", sea);
    await settle();
    expect(store.search.chips.map((c) => c.value)).toEqual(["sea"]);
    expect(store.search.isActive(sea)).toBe(true);
    // The backend combines the typed query with the filters: the UI sends both apart.
    const filter = (value: string) => ({ facet: "Keywords", value, query: `Keywords:"${value}"` });
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ query: "harbour", filters: [filter("sea")] });
    store.search.toggleFacet("Keywords", sky);
    await settle();
    expect(ipc.search.mock.lastCall?.[1].filters).toEqual([filter("sea"), filter("sky")]);
    store.search.toggleFacet("Keywords", sea);
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ query: "harbour", filters: [filter("sky")] });
    store.search.removeChip(0);
    await settle();
    expect(store.search.chips).toEqual([]);
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ query: "harbour", filters: [] });
  });

  it("requests the next page once while it loads, appends it, and stops at the last page", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValueOnce(page([cell(1), cell(2)], { next_offset: 2 }));
    await store.search.run();
    const next = later<SearchPage>();
    ipc.search.mockReturnValueOnce(next.promise);
    const first = store.search.more();
    void store.search.more();
    void store.search.more();
    expect(ipc.search).toHaveBeenCalledTimes(2);
    expect(ipc.search.mock.lastCall?.[1].offset).toBe(2);
    next.resolve(page([cell(3)], { offset: 2, next_offset: null }));
    await first;
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2, 3]);
    await store.search.more();
    expect(ipc.search).toHaveBeenCalledTimes(2);
  });

  it("drops a next page that arrives after a new search started", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValueOnce(page([cell(1)], { next_offset: 1 }));
    await store.search.run();
    const stale = later<SearchPage>();
    ipc.search.mockReturnValueOnce(stale.promise);
    const more = store.search.more();
    ipc.search.mockResolvedValueOnce(page([cell(9)]));
    await store.search.run();
    stale.resolve(page([cell(2)]));
    await more;
    expect(store.items.map((i) => i.record_id)).toEqual([9]);
  });

  it("shows a failed search as its problem", async () => {
    const store = await shown();
    ipc.search.mockRejectedValueOnce({ code: "timeout", message: "The server did not answer in time.", hint: null });
    await store.search.run();
    expect(store.search.problem?.code).toBe("timeout");
    expect(store.search.loading).toBe(false);
  });

  it("selects a search result without a basket element, and keeps the basket selection across sections", async () => {
    const store = await shown();
    ipc.basket.mockResolvedValueOnce(basketView(7, [cell(1, { element_id: 101 }), cell(2, { element_id: 102 })]));
    await store.pickBasket(7);
    await store.select(1);
    expect(ipc.record).toHaveBeenLastCalledWith("Work", { databox_id: 1, record_id: 2 }, { basket_id: 7, element_id: 102 });

    store.setSection("search");
    expect(store.selected).toBeNull();
    ipc.search.mockResolvedValueOnce(page([cell(5, { element_id: 55 }), cell(6)]));
    await store.search.run();
    await store.select(0);
    expect(ipc.record).toHaveBeenLastCalledWith("Work", { databox_id: 1, record_id: 5 }, null);
    expect(store.item?.record_id).toBe(5);

    store.setSection("baskets");
    await settle();
    expect(store.basketId).toBe(7);
    expect(store.basket?.header.id).toBe(7);
    expect(store.selected).toBe(1);
    expect(store.item?.record_id).toBe(2);
    expect(store.details?.record.record_id).toBe(2);

    store.setSection("search");
    await settle();
    expect(store.items.map((i) => i.record_id)).toEqual([5, 6]);
    expect(store.item?.record_id).toBe(5);
  });
});

describe("feeds", () => {
  beforeEach(() => {
    resetIpc();
    ipc.baskets.mockResolvedValue([]);
    ipc.downloads.mockResolvedValue([]);
    ipc.mediaBase.mockResolvedValue(null);
  });

  it("opening the section lists the feeds and shows every feed's entries, newest first", async () => {
    const store = await shown();
    ipc.feeds.mockResolvedValueOnce([feedSummary(3, { total_entries: 2 })]);
    const all: FeedPage = fixtures.feedPage(
      [entry(1, "2025-01-01T10:00:00+01:00", [cell(1)]), entry(2, "2025-03-01T10:00:00+01:00", [cell(2), cell(3)])],
      { per_page: FEED_PAGE_SIZE },
    );
    ipc.feed.mockResolvedValueOnce(all);
    store.setSection("feeds");
    await settle();
    expect(ipc.feeds).toHaveBeenCalledWith("Work");
    expect(ipc.feed).toHaveBeenCalledWith("Work", null, 0, FEED_PAGE_SIZE);
    expect(store.feeds.list?.map((f) => f.id)).toEqual([3]);
    expect(store.feeds.entries.map((e) => e.id)).toEqual([2, 1]);
    expect(store.items.map((i) => i.record_id)).toEqual([2, 3, 1]);
    expect(store.feeds.starts).toEqual([0, 2]);

    ipc.feed.mockResolvedValueOnce({ ...all, entries: [entry(1, null, [cell(1)])] });
    await store.feeds.pick(3);
    expect(ipc.feed).toHaveBeenLastCalledWith("Work", 3, 0, FEED_PAGE_SIZE);
    expect(store.feeds.feedId).toBe(3);
    expect(store.items.map((i) => i.record_id)).toEqual([1]);
  });
});
