import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";
import type { DataboxView } from "../lib/bindings/DataboxView";
import type { GridItem } from "../lib/bindings/GridItem";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import { browse } from "../lib/browse.svelte";
import Sidebar from "./Sidebar.svelte";
import SearchView from "./SearchView.svelte";
import CollectionView from "./CollectionView.svelte";
import FeedView from "./FeedView.svelte";
import RecordPanel from "./RecordPanel.svelte";
import VirtualGrid from "./VirtualGrid.svelte";
import { ipc, resetIpc } from "../test/mocks";
import {
  cell, details, feedEntry, feedPage, feedSummary, gridProps, hostile, related, request, savedSearch, searchLists,
  searchPage as page, summary,
} from "../test/fixtures";
import { $, settle } from "../test/util";

const databoxes: DataboxView[] = [
  { id: 1, name: "Photos", collections: [{ base_id: 3, name: "Press", records: 12 }, { base_id: 4, name: hostile, records: null }] },
];

const entry = (id: number, items: GridItem[]) =>
  feedEntry(id, items, { author: "Lou", created_on: `2025-0${id}-01T10:00:00Z` });

const sidebar = () => render(Sidebar, { onpick: () => {}, onrefresh: () => {} });

beforeEach(() => {
  resetIpc();
  ipc.baskets.mockResolvedValue([]);
  ipc.downloads.mockResolvedValue([]);
  ipc.mediaBase.mockResolvedValue(null);
  ipc.collections.mockResolvedValue(databoxes);
  ipc.searches.mockResolvedValue(searchLists());
  ipc.record.mockImplementation((_p: string, r: { record_id: number }) => Promise.resolve(details(r.record_id)));
  ipc.related.mockImplementation((_p: string, r: { databox_id: number; record_id: number }) =>
    Promise.resolve(related(r.record_id, { record: r })),
  );
  browse.reset();
  browse.show("Work");
});

describe("search form scope", () => {
  it("picks collections in the popover and dates; both show as removable chips and rerun the search", async () => {
    browse.setSection("search");
    render(SearchView, { profile: "Work" });
    await settle();
    ipc.search.mockResolvedValue(page([cell(1)]));
    await fireEvent.submit(($("#search-input") as HTMLInputElement).form!);
    await settle();
    expect($("#search-bases")?.textContent).toContain("All collections");
    await fireEvent.click($("#search-bases")!);
    expect($("#search-bases-list img")).toBeNull();
    await fireEvent.click($('[data-base-id="3"]')!);
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ bases: [3], offset: 0 });
    expect($("#search-bases")?.textContent).toContain("Photos / Press");
    expect($('#active-filters [data-filter-base="3"]')?.textContent).toContain("Photos / Press");

    await fireEvent.input($("#search-from")!, { target: { value: "2025-02-01" } });
    await fireEvent.change($("#search-from")!);
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ date_min: "2025-02-01", date_field: null });
    await fireEvent.change($("#search-date-field")!, { target: { value: "updated_on" } });
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ date_min: "2025-02-01", date_field: "updated_on" });
    expect($('#active-filters [data-filter-date="from"]')?.textContent).toContain("Updated");

    await fireEvent.click($('[data-remove-date="from"]')!);
    await settle();
    expect(ipc.search.mock.lastCall?.[1].date_min).toBeNull();
    await fireEvent.click($('[data-remove-base="3"]')!);
    await settle();
    expect(ipc.search.mock.lastCall?.[1].bases).toEqual([]);
    expect($("#active-filters")).toBeNull();
  });
});

describe("saved and recent searches", () => {
  it("lists them, restores the form from one, saves, deletes and clears", async () => {
    const harbour = request({ query: "harbour", record_type: "video", bases: [3], sort: "created_on" });
    ipc.searches.mockResolvedValue(
      searchLists([savedSearch(4, hostile, harbour)], [savedSearch(0, "sunset · Type: video", request({ query: "sunset" }))]),
    );
    browse.setSection("search");
    sidebar();
    render(SearchView, { profile: "Work" });
    await settle();
    expect($("#search-save")?.hasAttribute("disabled")).toBe(true);
    expect($('#saved-searches [data-saved-id="4"]')?.textContent).toBe(hostile);
    expect($("#saved-searches img")).toBeNull();

    ipc.search.mockResolvedValue(page([cell(1), cell(2)]));
    await fireEvent.click($('[data-saved-id="4"]')!);
    await settle();
    expect(($("#search-input") as HTMLInputElement).value).toBe("harbour");
    expect(($("#search-type") as HTMLSelectElement).value).toBe("video");
    expect(($("#search-sort") as HTMLSelectElement).value).toBe("created_on");
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ query: "harbour", record_type: "video", bases: [3], offset: 0 });
    expect(document.querySelectorAll("#grid .cell").length).toBe(2);
    // A typed search ran: the lists refresh (the recent one changed).
    expect(ipc.searches).toHaveBeenCalledTimes(2);

    await fireEvent.click($('#recent-searches [data-recent-index="0"]')!);
    await settle();
    expect(($("#search-input") as HTMLInputElement).value).toBe("sunset");
    expect(($("#search-type") as HTMLSelectElement).value).toBe("");

    await fireEvent.click($("#search-save")!);
    expect(($("#search-save-name") as HTMLInputElement).value).toBe("sunset");
    ipc.saveSearch.mockRejectedValueOnce({ code: "invalid-input", message: "A saved search needs a name.", hint: null });
    await fireEvent.input($("#search-save-name")!, { target: { value: "" } });
    await fireEvent.click($("#search-save-confirm")!);
    await settle();
    expect($("#search-save-error")?.textContent).toContain("needs a name");
    const sunsets = savedSearch(5, "Sunsets", request({ query: "sunset" }));
    const recent = [savedSearch(0, "sunset", request({ query: "sunset" }))];
    ipc.saveSearch.mockResolvedValueOnce(searchLists([sunsets], recent));
    await fireEvent.input($("#search-save-name")!, { target: { value: "Sunsets" } });
    await fireEvent.click($("#search-save-confirm")!);
    await settle();
    expect(ipc.saveSearch).toHaveBeenLastCalledWith("Work", "Sunsets", expect.objectContaining({ query: "sunset" }));
    expect($("#search-save-name")).toBeNull();
    expect($('[data-saved-id="5"]')?.textContent).toBe("Sunsets");

    ipc.clearRecentSearches.mockResolvedValueOnce(searchLists());
    await fireEvent.click($("#recent-clear")!);
    await settle();
    expect(ipc.clearRecentSearches).toHaveBeenCalledWith("Work");
    expect($("#recent-empty")).toBeTruthy();
  });

  it("deletes a saved search", async () => {
    ipc.searches.mockResolvedValue(searchLists([savedSearch(4, "Mine", request())]));
    browse.setSection("search");
    sidebar();
    await settle();
    ipc.deleteSavedSearch.mockResolvedValueOnce(searchLists());
    await fireEvent.click($('[data-delete-saved="4"]')!);
    await settle();
    expect(ipc.deleteSavedSearch).toHaveBeenCalledWith("Work", 4);
    expect($("#saved-searches")).toBeNull();
  });
});

describe("collections section", () => {
  it("is the third tab; lists collections by databox and shows one in the grid, newest first", async () => {
    sidebar();
    render(CollectionView, { profile: "Work" });
    const tabs = [...document.querySelectorAll(".section-tab")].map((b) => b.id);
    expect(tabs).toEqual(["section-baskets", "section-search", "section-collections", "section-feeds"]);
    await fireEvent.click($("#section-collections")!);
    await settle();
    expect($("#collection-hint")).toBeTruthy();
    expect($('[data-collection="3"]')?.textContent).toContain("12 records");
    expect($('[data-collection="4"]')?.textContent).toContain(hostile);
    expect($("#collection-list img")).toBeNull();

    ipc.search.mockResolvedValueOnce(page([cell(1), cell(2)], { total: 12 }));
    await fireEvent.click($('[data-collection="3"]')!);
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ query: "", bases: [3], sort: "created_on", ord: "desc", offset: 0 });
    expect($("#collection-title")?.textContent).toBe("Photos / Press");
    expect($("#collection-total")?.textContent).toBe("12 records");
    expect(document.querySelectorAll("#grid .cell").length).toBe(2);

    ipc.search.mockResolvedValueOnce(page([], { total: 0 }));
    await fireEvent.click($('[data-collection="4"]')!);
    await settle();
    expect($("#collection-empty")?.textContent).toBe("This collection is empty or you cannot see its records");

    ipc.search.mockRejectedValueOnce({ code: "forbidden", message: "Not allowed.", hint: null });
    await fireEvent.click($('[data-collection="3"]')!);
    await settle();
    expect($("#collection-error")?.textContent).toContain("Not allowed.");
  });
});

describe("where is it used", () => {
  const props = { details: details(7), problem: null, onclose: () => {}, onview: () => {}, ondownload: () => {}, oncopy: () => {} };

  it("lists the baskets and stories as buttons, names as text", async () => {
    const onbasket = vi.fn();
    const onstory = vi.fn();
    const story = cell(40, { kind: "story", databox_id: 2, title: hostile });
    const basket = summary(9, { name: hostile, owner: null });
    render(RecordPanel, { props: { ...props, related: related(7, { baskets: [basket], stories: [story] }), onbasket, onstory } });
    expect($('#related [data-related-basket="9"]')?.textContent).toBe(hostile);
    expect($('#related [data-related-story="2_40"]')?.textContent).toBe(hostile);
    expect($("#related img")).toBeNull();
    await fireEvent.click($('[data-related-basket="9"]')!);
    expect(onbasket).toHaveBeenCalledWith(9);
    await fireEvent.click($('[data-related-story="2_40"]')!);
    expect(onstory).toHaveBeenCalledWith(story);
  });

  it("says loading, none, or the failure, in its own section", () => {
    const loading = render(RecordPanel, { props: { ...props, relatedLoading: true } });
    expect($("#related-loading")).toBeTruthy();
    loading.unmount();
    const none = render(RecordPanel, { props: { ...props, related: related(7) } });
    expect($("#related-none")?.textContent).toBe("Not in any of your baskets or stories");
    none.unmount();
    render(RecordPanel, { props: { ...props, relatedProblem: { code: "server", message: "The server failed.", hint: null } } });
    expect($("#related-error")?.textContent).toContain("The server failed.");
    expect($("#caption, #view-btn")).toBeTruthy();
  });
});

describe("feed paging", () => {
  it("shows the total and loads older entries with #feed-more, each entry once", async () => {
    ipc.feeds.mockResolvedValue([feedSummary(3, { total_entries: 3 })]);
    ipc.feed.mockResolvedValueOnce(feedPage([entry(3, [cell(3)]), entry(2, [cell(2)])], { total: 3, next_offset: 2 }));
    // jsdom has no layout: the list is "at its end" as soon as it shows, so the next page loads by itself.
    const older = feedPage([entry(2, [cell(2)]), entry(1, [cell(1)])], { offset: 2, total: 3 });
    ipc.feed.mockResolvedValueOnce(older);
    render(FeedView, { profile: "Work" });
    browse.setSection("feeds");
    await settle();
    await settle();
    await settle();
    expect($("#feed-total")?.textContent).toBe("3 entries");
    expect(ipc.feed).toHaveBeenLastCalledWith("Work", null, 2, 20);
    const ids = [...document.querySelectorAll("#feed-entries [data-entry]")].map((e) => e.getAttribute("data-entry"));
    expect(ids).toEqual(["3", "2", "1"]);
    expect($('[data-entry="1"] .entry-author')?.textContent).toBe("by Lou");
    expect($("#feed-more")).toBeNull();
  });

  it("offers #feed-more while older entries exist", async () => {
    ipc.feeds.mockResolvedValue([]);
    const first = feedPage([entry(3, [cell(3)])], { total: 9, next_offset: 1 });
    ipc.feed.mockResolvedValueOnce(first).mockRejectedValueOnce({ code: "timeout", message: "Too slow.", hint: null });
    render(FeedView, { profile: "Work" });
    browse.setSection("feeds");
    await settle();
    await settle();
    await settle();
    expect($("#feed-more")?.textContent).toBe("Older entries");
    ipc.feed.mockResolvedValueOnce({ ...first, offset: 1, next_offset: null, entries: [entry(1, [cell(1)])] });
    await fireEvent.click($("#feed-more")!);
    await settle();
    expect(ipc.feed).toHaveBeenLastCalledWith("Work", null, 1, 20);
    expect(document.querySelectorAll("#feed-entries [data-entry]").length).toBe(2);
    expect($("#feed-more")).toBeNull();
  });
});

describe("VirtualGrid scroll", () => {
  it("starts at the scroll it is given and reports where it scrolls", async () => {
    const onscrolled = vi.fn();
    const many = Array.from({ length: 500 }, (_, i) => cell(i + 1));
    render(VirtualGrid, { props: gridProps(many, { scroll: 2140, onscrolled }) });
    await settle();
    const grid = $("#grid")!;
    expect(grid.scrollTop).toBe(2140);
    // Rows near the restored position render, not the first ones.
    expect($('#grid [data-index="0"]')).toBeNull();
    grid.scrollTop = 400;
    await fireEvent.scroll(grid);
    expect(onscrolled).toHaveBeenLastCalledWith(400);
  });
});
