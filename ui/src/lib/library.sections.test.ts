import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DataboxView } from "./bindings/DataboxView";
import type { FeedEntryView } from "./bindings/FeedEntryView";
import type { FeedPage } from "./bindings/FeedPage";
import type { GridItem } from "./bindings/GridItem";
import type { RelatedView } from "./bindings/RelatedView";
import type { SearchPage } from "./bindings/SearchPage";
import type { SearchRequest } from "./bindings/SearchRequest";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { FEED_PAGE_SIZE, SEARCH_PAGE_SIZE } from "./library.svelte";
import { ipc, resetIpc } from "../test/mocks";
import * as fixtures from "../test/fixtures";
import { cell, details, feedEntry, related, request, savedSearch, searchLists as lists, storyView } from "../test/fixtures";
import { shown } from "../test/browse";
import { later, settle } from "../test/util";

const page = (items: GridItem[], extra: Partial<SearchPage> = {}) =>
  fixtures.searchPage(items, { per_page: SEARCH_PAGE_SIZE, total: 120, query_time_ms: 12, ...extra });

const basketView = (id: number, elements: GridItem[]) => fixtures.basketView(id, elements, { owner: null });

const databoxes: DataboxView[] = [
  { id: 1, name: "Photos", collections: [{ base_id: 3, name: "Press", records: 12 }, { base_id: 4, name: "Archive", records: null }] },
  { id: 2, name: "Videos", collections: [{ base_id: 7, name: "Clips", records: 0 }] },
];

const saved = (id: number, name: string, r: SearchRequest) => savedSearch(id, name, r, 1_700_000_000);

const entry = (id: number, created_on: string, items: GridItem[]) => feedEntry(id, items, { created_on });

const feedPage = (entries: FeedEntryView[], extra: Partial<FeedPage> = {}) =>
  fixtures.feedPage(entries, { per_page: FEED_PAGE_SIZE, total: 5, ...extra });

beforeEach(() => {
  resetIpc();
  ipc.baskets.mockResolvedValue([]);
  ipc.downloads.mockResolvedValue([]);
  ipc.mediaBase.mockResolvedValue(null);
  ipc.collections.mockResolvedValue(databoxes);
  ipc.searches.mockResolvedValue(lists());
  ipc.related.mockImplementation((_p: string, r: { record_id: number }) => Promise.resolve(related(r.record_id)));
  ipc.record.mockImplementation((_p: string, r: { record_id: number }) => Promise.resolve(details(r.record_id)));
});

describe("the search request", () => {
  it("carries the typed query, the filter chips, the collections and the dates apart", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(1)]));
    store.search.query = "  harbour OR port ";
    store.search.chips = [{ facet: "Type", value: "video", query: 'type:"video"' }];
    store.search.bases = [3, 7];
    store.search.dateMin = "2025-01-01";
    store.search.dateMax = "2025-03-31";
    store.search.dateField = "updated_on";
    await store.search.run();
    expect(ipc.search).toHaveBeenLastCalledWith("Work", {
      query: "harbour OR port", filters: [{ facet: "Type", value: "video", query: 'type:"video"' }], stories: false,
      record_type: null, bases: [3, 7], date_min: "2025-01-01", date_max: "2025-03-31", date_field: "updated_on",
      sort: "relevance", ord: "desc", offset: 0, per_page: SEARCH_PAGE_SIZE,
    });
  });

  it("a collection or date change reruns from the first page once a search ran; removing one does too", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(1)]));
    store.search.toggleBase(3);
    expect(ipc.search).not.toHaveBeenCalled();
    await store.search.run();
    store.search.toggleBase(4);
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ bases: [3, 4], offset: 0 });
    store.search.removeBase(3);
    await settle();
    expect(ipc.search.mock.lastCall?.[1].bases).toEqual([4]);
    store.search.dateMin = "2024-05-01";
    store.search.changed();
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ date_min: "2024-05-01", date_field: null });
    store.search.clearDate("min");
    await settle();
    expect(ipc.search.mock.lastCall?.[1].date_min).toBeNull();
    expect(ipc.search).toHaveBeenCalledTimes(5);
  });

  it("the search section loads the collections and the saved searches once per profile", async () => {
    const store = await shown();
    store.setSection("search");
    await settle();
    store.setSection("baskets");
    store.setSection("collections");
    store.setSection("search");
    await settle();
    expect(ipc.collections).toHaveBeenCalledTimes(1);
    expect(ipc.searches).toHaveBeenCalledTimes(1);
    expect(store.collections.label(4)).toBe("Photos / Archive");
    store.reset();
    store.show("Home");
    store.setSection("search");
    await settle();
    expect(ipc.collections).toHaveBeenLastCalledWith("Home");
    expect(ipc.searches).toHaveBeenLastCalledWith("Home");
  });
});

describe("saved and recent searches", () => {
  it("running a saved search restores the whole form and runs it", async () => {
    const store = await shown();
    const keep = request({
      query: "harbour", filters: [{ facet: "Keywords", value: "sea", query: 'Keywords:"sea"' }], stories: true,
      record_type: "video", bases: [3], date_min: "2024/01/02", date_max: "2024-12-31", date_field: "updated_on",
      sort: "created_on", ord: "asc",
    });
    ipc.searches.mockResolvedValue(lists([saved(5, "Harbour videos", keep)]));
    store.setSection("search");
    await settle();
    expect(store.searches.saved?.map((s) => s.name)).toEqual(["Harbour videos"]);
    ipc.search.mockResolvedValue(page([cell(1), cell(2)]));
    await store.search.restore(store.searches.saved![0]!.request);
    const s = store.search;
    expect([s.query, s.recordType, s.stories, s.sort, s.ord, s.dateMin, s.dateMax, s.dateField]).toEqual([
      "harbour", "video", true, "created_on", "asc", "2024-01-02", "2024-12-31", "updated_on",
    ]);
    expect(s.chips).toEqual(keep.filters);
    expect(s.bases).toEqual([3]);
    expect(ipc.search).toHaveBeenLastCalledWith("Work", {
      ...keep, date_min: "2024-01-02", offset: 0, per_page: SEARCH_PAGE_SIZE,
    });
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2]);
  });

  it("a search sorted by a field keeps the field's name, and a saved one brings it back", async () => {
    const store = await shown();
    ipc.search.mockResolvedValue(page([cell(1)]));
    const s = store.search;
    s.sort = "field";
    s.sortField = " Title ";
    await s.run();
    expect(ipc.search).toHaveBeenLastCalledWith("Work", expect.objectContaining({ sort: "Title" }));
    s.sort = "relevance";
    s.sortField = "";
    await s.restore(request({ sort: "Credit" }));
    expect([s.sort, s.sortField]).toEqual(["field", "Credit"]);
    expect(ipc.search).toHaveBeenLastCalledWith("Work", expect.objectContaining({ sort: "Credit" }));
  });

  it("a typed first page refreshes the recent list; a next page or an untyped search does not", async () => {
    const store = await shown();
    store.setSection("search");
    await settle();
    expect(ipc.searches).toHaveBeenCalledTimes(1);
    ipc.search.mockResolvedValue(page([cell(1)], { next_offset: 1 }));
    ipc.searches.mockResolvedValue(lists([], [saved(0, "harbour", request({ query: "harbour" }))]));
    store.search.query = "harbour";
    await store.search.run();
    await settle();
    expect(ipc.searches).toHaveBeenCalledTimes(2);
    expect(store.searches.recent?.map((r) => r.name)).toEqual(["harbour"]);
    await store.search.more();
    await settle();
    expect(ipc.searches).toHaveBeenCalledTimes(2);
    store.search.query = "";
    await store.search.run();
    await settle();
    expect(ipc.searches).toHaveBeenCalledTimes(2);
    // A failed search is not remembered either.
    store.search.query = "x";
    ipc.search.mockRejectedValueOnce({ code: "timeout", message: "Too slow.", hint: null });
    await store.search.run();
    await settle();
    expect(ipc.searches).toHaveBeenCalledTimes(2);
  });

  it("saves the request that ran, shows a refusal, deletes and clears", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(1)]));
    store.search.query = "harbour";
    await store.search.run();
    store.search.query = "typed but not run";
    ipc.saveSearch.mockRejectedValueOnce({ code: "invalid-input", message: "A saved search needs a name.", hint: null });
    expect(await store.searches.save("", store.search.ranRequest!)).toBe(false);
    expect(store.searches.saveProblem?.code).toBe("invalid-input");
    const one = saved(1, "Harbour", request({ query: "harbour" }));
    ipc.saveSearch.mockResolvedValueOnce(lists([one]));
    expect(await store.searches.save("Harbour", store.search.ranRequest!)).toBe(true);
    expect(ipc.saveSearch).toHaveBeenLastCalledWith("Work", "Harbour", expect.objectContaining({ query: "harbour", offset: 0 }));
    expect(store.searches.saveProblem).toBeNull();
    expect(store.searches.saved).toEqual([one]);
    ipc.deleteSavedSearch.mockResolvedValueOnce(lists([], []));
    await store.searches.remove(1);
    expect(ipc.deleteSavedSearch).toHaveBeenCalledWith("Work", 1);
    expect(store.searches.saved).toEqual([]);
    ipc.clearRecentSearches.mockResolvedValueOnce(lists([], []));
    await store.searches.clearRecent();
    expect(ipc.clearRecentSearches).toHaveBeenCalledWith("Work");
  });
});

describe("collections", () => {
  it("opens a collection: its records newest first, paged on more(); the search keeps its own query", async () => {
    const store = await shown();
    store.search.query = "harbour";
    store.setSection("collections");
    await settle();
    expect(store.collections.list?.map((d) => d.name)).toEqual(["Photos", "Videos"]);
    ipc.search.mockResolvedValueOnce(page([cell(1), cell(2)], { total: 12, next_offset: 2 }));
    await store.collections.open(3);
    expect(ipc.search).toHaveBeenLastCalledWith("Work", {
      query: "", filters: [], stories: false, record_type: null, bases: [3], date_min: null, date_max: null,
      date_field: null, sort: "created_on", ord: "desc", offset: 0, per_page: SEARCH_PAGE_SIZE,
    });
    expect(store.collections.current?.collection.name).toBe("Press");
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2]);
    ipc.search.mockResolvedValueOnce(page([cell(3)], { total: 12, offset: 2, next_offset: null }));
    await store.collections.results.more();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ bases: [3], sort: "created_on", ord: "desc", offset: 2 });
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2, 3]);
    await store.collections.results.more();
    expect(ipc.search).toHaveBeenCalledTimes(2);
    // Browsing a collection is not a search to remember.
    expect(ipc.searches).not.toHaveBeenCalled();
    await store.select(1);
    expect(ipc.record).toHaveBeenLastCalledWith("Work", { databox_id: 1, record_id: 2 }, null);
    store.setSection("search");
    expect(store.search.query).toBe("harbour");
    expect(store.search.items).toEqual([]);
  });
});

describe("where is it used", () => {
  it("loads for the record shown and drops an answer for a record no longer shown", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(1), cell(2)]));
    await store.search.run();
    const old = later<RelatedView>();
    ipc.related.mockReturnValueOnce(old.promise);
    const first = store.select(0);
    expect(store.relatedLoading).toBe(true);
    await store.select(1);
    await settle();
    expect(ipc.related).toHaveBeenLastCalledWith("Work", { databox_id: 1, record_id: 2 });
    old.resolve(related(1, { baskets: [{ ...basketView(9, []).header, element_count: null }] }));
    await first;
    await settle();
    expect(store.related?.record.record_id).toBe(2);
    expect(store.related?.baskets).toEqual([]);
    expect(store.relatedLoading).toBe(false);
  });

  it("a failure stays in its section; the details still show", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(1)]));
    await store.search.run();
    ipc.related.mockRejectedValueOnce({ code: "server", message: "The server failed.", hint: null });
    await store.select(0);
    await settle();
    expect(store.relatedProblem?.code).toBe("server");
    expect(store.details?.record.record_id).toBe(1);
    expect(store.problem).toBeNull();
  });

  it("a basket opens in the baskets section; a story opens over the grid", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(1)]));
    await store.search.run();
    await store.select(0);
    ipc.story.mockResolvedValueOnce(storyView(40, [cell(41)]));
    await store.openStory({ databox_id: 1, record_id: 40 });
    expect(ipc.story).toHaveBeenCalledWith("Work", { databox_id: 1, record_id: 40 });
    expect(store.section).toBe("search");
    expect(store.story?.title).toBe("Story 40");
    expect(store.items.map((i) => i.record_id)).toEqual([41]);
    ipc.basket.mockResolvedValueOnce(basketView(9, [cell(1, { element_id: 91 })]));
    await store.openBasket(9);
    expect(store.section).toBe("baskets");
    expect(store.basketId).toBe(9);
    expect(store.items.map((i) => i.element_id)).toEqual([91]);
  });
});

describe("feed paging", () => {
  it("appends older pages from next_offset, each entry once, and stops on the last page", async () => {
    const store = await shown();
    ipc.feeds.mockResolvedValue([]);
    ipc.feed.mockResolvedValueOnce(
      feedPage([entry(5, "2025-05-01T10:00:00Z", [cell(5)]), entry(4, "2025-04-01T10:00:00Z", [cell(4)])], { next_offset: 2 }),
    );
    store.setSection("feeds");
    await settle();
    await settle();
    expect(store.feeds.entries.map((e) => e.id)).toEqual([5, 4]);
    // An entry published meanwhile shifted the offsets: entry 4 comes again.
    const next = later<FeedPage>();
    ipc.feed.mockReturnValueOnce(next.promise);
    const more = store.feeds.more();
    void store.feeds.more();
    expect(ipc.feed).toHaveBeenCalledTimes(2);
    expect(ipc.feed).toHaveBeenLastCalledWith("Work", null, 2, FEED_PAGE_SIZE);
    next.resolve(
      feedPage([entry(4, "2025-04-01T10:00:00Z", [cell(4)]), entry(3, "2025-03-01T10:00:00Z", [cell(3), cell(33)])], {
        offset: 2, next_offset: null,
      }),
    );
    await more;
    expect(store.feeds.entries.map((e) => e.id)).toEqual([5, 4, 3]);
    expect(store.items.map((i) => i.record_id)).toEqual([5, 4, 3, 33]);
    expect(store.feeds.starts).toEqual([0, 1, 2]);
    await store.feeds.more();
    expect(ipc.feed).toHaveBeenCalledTimes(2);
  });

  it("drops an older page of the feed shown before", async () => {
    const store = await shown();
    ipc.feeds.mockResolvedValue([]);
    ipc.feed.mockResolvedValueOnce(feedPage([entry(5, "2025-05-01T10:00:00Z", [cell(5)])], { next_offset: 1 }));
    store.setSection("feeds");
    await settle();
    await settle();
    const stale = later<FeedPage>();
    ipc.feed.mockReturnValueOnce(stale.promise);
    const more = store.feeds.more();
    ipc.feed.mockResolvedValueOnce(feedPage([entry(8, "2025-01-01T10:00:00Z", [cell(8)])], { feed: null }));
    await store.feeds.pick(3);
    stale.resolve(feedPage([entry(4, "2025-04-01T10:00:00Z", [cell(4)])]));
    await more;
    expect(store.feeds.entries.map((e) => e.id)).toEqual([8]);
  });
});

describe("stories keep the grid's place", () => {
  it("back from a story restores the scroll position and the selection of the grid below", async () => {
    const store = await shown();
    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(1), cell(2, { kind: "story" }), cell(3)]));
    await store.search.run();
    await store.select(1);
    store.gridScroll = 480;
    ipc.story.mockResolvedValue(storyView(2, [cell(20), cell(21)]));
    await store.open(1);
    expect(store.story?.title).toBe("Story 2");
    expect(store.gridScroll).toBe(0);
    expect(store.selected).toBeNull();
    store.gridScroll = 120;
    ipc.story.mockResolvedValue(storyView(21, [cell(30)], { title: "Inner" }));
    await store.openStory({ databox_id: 1, record_id: 21 });
    expect(store.stories.length).toBe(2);
    store.closeStory();
    expect(store.gridScroll).toBe(120);
    expect(store.selected).toBeNull();
    store.closeStory();
    expect(store.story).toBeNull();
    expect(store.gridScroll).toBe(480);
    expect(store.selected).toBe(1);
    expect(store.item?.record_id).toBe(2);
  });

  it("each section keeps its scroll; a new search starts at the top", async () => {
    const store = await shown();
    store.gridScroll = 300;
    store.setSection("search");
    expect(store.gridScroll).toBe(0);
    ipc.search.mockResolvedValue(page([cell(1)]));
    await store.search.run();
    store.gridScroll = 90;
    store.setSection("baskets");
    expect(store.gridScroll).toBe(300);
    store.setSection("search");
    expect(store.gridScroll).toBe(90);
    await store.search.run();
    expect(store.gridScroll).toBe(0);
  });
});
