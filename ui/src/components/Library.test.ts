import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import type { GridItem } from "../lib/bindings/GridItem";
import type { SearchPage } from "../lib/bindings/SearchPage";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import { browse } from "../lib/browse.svelte";
import Sidebar from "./Sidebar.svelte";
import SearchView from "./SearchView.svelte";
import FeedView from "./FeedView.svelte";
import VirtualGrid from "./VirtualGrid.svelte";
import { ipc, resetIpc } from "../test/mocks";
import { cell, feedEntry, feedPage, feedSummary, gridProps, hostile, searchLists, searchPage } from "../test/fixtures";
import { settle } from "../test/util";

/** Two results, a suggestion and a facet value of server text. */
const page = (items: GridItem[], extra: Partial<SearchPage> = {}) =>
  searchPage(items, {
    total: 2,
    suggestions: [{ text: "harbor", query: "harbor", hits: 3 }],
    facets: [{ name: "Keywords", field: "Keywords", values: [{ value: hostile, count: 4, query: 'Keywords:"sea"' }] }],
    ...extra,
  });

function both() {
  render(Sidebar, { onpick: () => {}, onrefresh: () => {} });
  return render(SearchView, { profile: "Work" });
}

describe("library sections", () => {
  beforeEach(() => {
    resetIpc();
    ipc.baskets.mockResolvedValue([]);
    ipc.downloads.mockResolvedValue([]);
    ipc.mediaBase.mockResolvedValue(null);
    ipc.collections.mockResolvedValue([]);
    ipc.searches.mockResolvedValue(searchLists());
    browse.reset();
    browse.show("Work");
  });

  it("the tab strip switches sections and says which one is shown", async () => {
    render(Sidebar, { onpick: () => {}, onrefresh: () => {} });
    expect(document.getElementById("section-baskets")?.getAttribute("aria-pressed")).toBe("true");
    await fireEvent.click(document.getElementById("section-search")!);
    expect(browse.section).toBe("search");
    expect(document.getElementById("section-search")?.getAttribute("aria-pressed")).toBe("true");
    expect(document.getElementById("facets")).toBeTruthy();
    await fireEvent.click(document.getElementById("section-baskets")!);
    expect(document.getElementById("refresh-baskets")).toBeTruthy();
  });

  it("Enter runs the typed query; the total, facets (as text) and suggestions show; a facet adds a chip", async () => {
    browse.setSection("search");
    both();
    ipc.search.mockResolvedValue(page([cell(1), cell(2)]));
    const input = document.getElementById("search-input") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "harbour" } });
    await fireEvent.change(document.getElementById("search-type")!, { target: { value: "video" } });
    await fireEvent.submit(input.form!);
    await settle();
    expect(ipc.search).toHaveBeenCalledTimes(1);
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ query: "harbour", record_type: "video", offset: 0 });
    expect(document.getElementById("search-total")?.textContent).toBe("2 results · 7 ms");
    expect(document.querySelectorAll("#grid .cell").length).toBe(2);
    expect(document.getElementById("search-window")).toBeNull();

    const value = document.querySelector("#facets [data-facet-value]") as HTMLButtonElement;
    expect(value.textContent).toContain(hostile);
    expect(document.querySelector("#facets img")).toBeNull();
    await fireEvent.click(value);
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({
      query: "harbour", filters: [{ facet: "Keywords", value: hostile, query: 'Keywords:"sea"' }],
    });
    expect(value.getAttribute("aria-pressed")).toBe("true");
    expect(document.querySelectorAll("#active-filters .chip").length).toBe(1);

    await fireEvent.click(document.querySelector("#active-filters [data-remove-filter]")!);
    await settle();
    expect(ipc.search.mock.lastCall?.[1]).toMatchObject({ query: "harbour", filters: [] });
    expect(document.getElementById("active-filters")).toBeNull();

    await fireEvent.click(screen.getByText("harbor"));
    await settle();
    expect(input.value).toBe("harbor");
    expect(ipc.search.mock.lastCall?.[1].query).toBe("harbor");
  });

  it("the grid's end loads the next page once; none past the last; the window note shows", async () => {
    browse.setSection("search");
    both();
    ipc.search.mockResolvedValueOnce(page([cell(1), cell(2)], { total: 10_000, next_offset: 2, beyond_window: true }));
    ipc.search.mockResolvedValueOnce(page([cell(3)], { total: 10_000, offset: 2, next_offset: null }));
    await fireEvent.submit((document.getElementById("search-input") as HTMLInputElement).form!);
    // jsdom has no layout: every row is "in view", so the grid reports its end as soon as it shows.
    await settle();
    await settle();
    expect(ipc.search).toHaveBeenCalledTimes(2);
    expect(ipc.search.mock.calls[1]?.[1].offset).toBe(2);
    expect(document.querySelectorAll("#grid .cell").length).toBe(3);
    expect(document.getElementById("search-window")).toBeNull();
    await settle();
    expect(ipc.search).toHaveBeenCalledTimes(2);
  });

  it("shows the beyond-window note and the empty state", async () => {
    browse.setSection("search");
    both();
    expect(document.getElementById("search-hint")).toBeTruthy();
    ipc.search.mockResolvedValueOnce(page([], { total: 0, beyond_window: true }));
    await fireEvent.submit((document.getElementById("search-input") as HTMLInputElement).form!);
    await settle();
    expect(document.getElementById("search-empty")).toBeTruthy();
    expect(document.getElementById("search-window")).toBeTruthy();
  });

  it("lists the feeds and shows one feed's entries, newest first, with author and date", async () => {
    ipc.feeds.mockResolvedValue([feedSummary(3, { total_entries: 2 })]);
    ipc.feed.mockResolvedValue(
      feedPage([
        feedEntry(1, [cell(1)], { title: "Older", created_on: "2025-01-01T10:00:00+01:00" }),
        feedEntry(2, [cell(2), cell(3)], { title: hostile, author: "Lou", created_on: "2025-03-01T10:00:00+01:00" }),
      ]),
    );
    render(Sidebar, { onpick: () => {}, onrefresh: () => {} });
    render(FeedView, { profile: "Work" });
    await fireEvent.click(document.getElementById("section-feeds")!);
    await settle();
    await settle();
    const feeds = [...document.querySelectorAll("#feed-list [data-feed]")].map((b) => b.getAttribute("data-feed"));
    expect(feeds).toEqual(["all", "3"]);
    const titles = [...document.querySelectorAll("#feed-entries .entry-title")].map((h) => h.textContent);
    expect(titles).toEqual([hostile, "Older"]);
    expect(document.querySelector("#feed-entries img[onerror]")).toBeNull();
    expect(document.querySelector('[data-entry="1"] .entry-author')?.textContent).toBe("by Mara Ek");
    expect(document.querySelector('[data-entry="1"] .entry-date')?.textContent).not.toBe("");
    const tiles = [...document.querySelectorAll("#feed-entries .tile")].map((t) => t.getAttribute("data-record"));
    expect(tiles).toEqual(["1/2", "1/3", "1/1"]);

    ipc.record.mockResolvedValue(null);
    await fireEvent.click(document.querySelector('#feed-entries .tile[data-index="2"]')!);
    expect(browse.item?.record_id).toBe(1);
    expect(ipc.record).toHaveBeenLastCalledWith("Work", { databox_id: 1, record_id: 1 }, null);

    await fireEvent.click(document.querySelector('#feed-list [data-feed="3"]')!);
    await settle();
    expect(ipc.feed).toHaveBeenLastCalledWith("Work", 3, 0, 20);
  });
});

describe("VirtualGrid onend", () => {
  it("fires when the rendered rows reach the end, not at the top of a long list", async () => {
    const onend = vi.fn();
    render(VirtualGrid, gridProps([cell(1), cell(2)], { onend }));
    await settle();
    expect(onend).toHaveBeenCalled();
    const far = vi.fn();
    const many = Array.from({ length: 500 }, (_, i) => cell(i + 1));
    render(VirtualGrid, gridProps(many, { onend: far }));
    await settle();
    expect(far).not.toHaveBeenCalled();
  });
});
