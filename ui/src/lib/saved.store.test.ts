import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BasketSummary } from "./bindings/BasketSummary";
import type { BasketView } from "./bindings/BasketView";
import type { Cached } from "./bindings/Cached";
import type { GridItem } from "./bindings/GridItem";
import type { RecordDetails } from "./bindings/RecordDetails";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { BrowseState } from "./browse.svelte";
import { savedTime } from "./saved.svelte";
import { elementCount } from "./copy-start";
import { currentLocale } from "./i18n/locale";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import * as fixtures from "../test/fixtures";
import { cached, details, element as cell, whole } from "../test/fixtures";
import { shown } from "../test/browse";
import { later, settle } from "../test/util";

// Baskets of nobody named.
const summary = (id: number, extra: Partial<BasketSummary> = {}) => fixtures.summary(id, { owner: null, ...extra });
const basketView = (id: number, elements: GridItem[]) => fixtures.basketView(id, elements, { owner: null });

/** 14:32 today, in seconds. */
const SAVED_AT = Math.floor(new Date(new Date().setHours(14, 32, 0, 0)).getTime() / 1000);
const saved = <T>(value: T): Cached<T> => cached(value, SAVED_AT);
const offline = { code: "network", message: "The server could not be reached.", hint: "Check the network.", detail: null, retry: true };

describe("shown from the saved copy first", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    ipc.baskets.mockResolvedValue([summary(7), summary(8)]);
    ipc.related.mockImplementation(() => new Promise(() => {}));
  });
  afterEach(() => vi.useRealTimers());

  it("a basket's saved copy shows while the server answers, then the answer replaces it in place", async () => {
    const store = await shown();
    const answer = later<BasketView>();
    ipc.basket.mockReturnValue(answer.promise);
    ipc.cachedBasketStart.mockResolvedValue(whole(saved(basketView(7, [cell(1), cell(2), cell(3)]))));
    const picked = store.pickBasket(7);
    await settle();
    expect(ipc.cachedBasketStart).toHaveBeenCalledWith("Work", 7, expect.any(Number));
    expect(store.loadingBasket).toBe(true);
    expect(store.showsBasket).toBe(true);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2, 3]);
    expect(store.copies.basket.state).toBe("updating");
    expect(store.copies.basket.savedAt).toBe(SAVED_AT);
    // The person works on the copy meanwhile.
    ipc.record.mockImplementation(() => new Promise(() => {}));
    store.pick(0);
    store.pick(2, { toggle: true });
    answer.resolve(basketView(7, [cell(1), cell(2), cell(3)]));
    await picked;
    expect(store.showsBasket).toBe(true);
    expect(store.copies.basket.state).toBe("updated");
    expect(store.selection.indexes).toEqual([0, 2]);
    expect(store.selected).toBe(2);
    expect(store.baskets?.find((b) => b.id === 7)?.element_count).toBe(3);
  });

  it("says “Changed on the server” when the answer differs; the selection follows its records", async () => {
    vi.useFakeTimers();
    const store = new BrowseState();
    ipc.cachedBasketStart.mockResolvedValue(whole(saved(basketView(7, [cell(1), cell(2), cell(3)]))));
    const answer = later<BasketView>();
    ipc.basket.mockReturnValue(answer.promise);
    ipc.record.mockImplementation(() => new Promise(() => {}));
    const picked = store.pickBasket(7);
    // The copy is drawn (a frame), then the server is asked.
    await vi.advanceTimersByTimeAsync(50);
    expect(ipc.basket).toHaveBeenCalled();
    store.pick(2);
    answer.resolve(basketView(7, [cell(3), cell(4)]));
    await picked;
    expect(store.copies.basket.state).toBe("changed");
    expect(store.items.map((i) => i.record_id)).toEqual([3, 4]);
    expect(store.selected).toBe(0);
    expect(store.selection.indexes).toEqual([0]);
    vi.advanceTimersByTime(10_000);
    expect(store.copies.basket.state).toBeNull();
  });

  it("a failing load keeps the copy on screen with the problem; Retry asks again", async () => {
    const store = await shown();
    ipc.cachedBasketStart.mockResolvedValue(whole(saved(basketView(7, [cell(1), cell(2)]))));
    const answer = later<BasketView>();
    ipc.basket.mockReturnValueOnce(answer.promise);
    const picked = store.pickBasket(7);
    await vi.waitFor(() => expect(ipc.basket).toHaveBeenCalled());
    answer.reject(offline);
    await picked;
    expect(store.problem).toEqual(offline);
    expect(store.loadingBasket).toBe(false);
    expect(store.showsBasket).toBe(true);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2]);
    expect(store.copies.basket.state).toBe("unreachable");
    expect(store.copies.basket.savedAt).toBe(SAVED_AT);
    // Retry reloads in place: the copy stays until the answer.
    const retry = later<BasketView>();
    ipc.basket.mockReturnValueOnce(retry.promise);
    const again = store.pickBasket(7, true);
    expect(store.showsBasket).toBe(true);
    expect(store.copies.basket.state).toBe("updating");
    retry.resolve(basketView(7, [cell(1), cell(2)]));
    await again;
    expect(store.problem).toBeNull();
    expect(store.copies.basket.state).toBe("updated");
  });

  it("without a saved copy the basket loads as before", async () => {
    const store = await shown();
    const answer = later<BasketView>();
    ipc.basket.mockReturnValue(answer.promise);
    const picked = store.pickBasket(7);
    await settle();
    expect(store.showsBasket).toBe(false);
    expect(store.copies.basket.state).toBeNull();
    answer.resolve(basketView(7, [cell(1)]));
    await picked;
    expect(store.showsBasket).toBe(true);
    expect(store.copies.basket.state).toBeNull();
  });

  it("a big basket's copy shows its start at once, then the whole; the answer is compared with the whole", async () => {
    const store = await shown();
    const answer = later<BasketView>();
    const rest = later<Cached<BasketView> | null>();
    ipc.basket.mockReturnValue(answer.promise);
    ipc.cachedBasketStart.mockResolvedValue({ ...saved(basketView(7, [cell(1), cell(2)])), element_count: 3 });
    ipc.cachedBasket.mockReturnValue(rest.promise);
    const picked = store.pickBasket(7);
    await settle();
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2]);
    expect(store.copies.basket.state).toBe("updating");
    // The start counts the whole basket (the header says 3 elements, not 2; so does the grid's label).
    expect(elementCount(store.basket!)).toBe(3);
    expect(store.itemCount).toBe(3);
    // The whole is asked for once the start is drawn; the answer comes first, and waits for it.
    await vi.waitFor(() => expect(ipc.cachedBasket).toHaveBeenCalledWith("Work", 7));
    answer.resolve(basketView(7, [cell(1), cell(2), cell(3)]));
    await settle();
    expect(store.loadingBasket).toBe(true);
    rest.resolve(saved(basketView(7, [cell(1), cell(2), cell(3)])));
    await picked;
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2, 3]);
    expect(elementCount(store.basket!)).toBe(3);
    expect(store.itemCount).toBe(3);
    // Compared with the start alone, the answer would have read as changed on the server.
    expect(store.copies.basket.state).toBe("updated");
  });

  it("a whole copy that never comes holds the answer back two seconds at most", async () => {
    vi.useFakeTimers();
    const store = new BrowseState();
    ipc.cachedBasketStart.mockResolvedValue({ ...saved(basketView(7, [cell(1), cell(2)])), element_count: 3 });
    ipc.cachedBasket.mockReturnValue(new Promise(() => {}));
    ipc.basket.mockResolvedValue(basketView(7, [cell(1), cell(2), cell(3)]));
    const picked = store.pickBasket(7);
    await vi.advanceTimersByTimeAsync(50);
    expect(ipc.basket).toHaveBeenCalled();
    expect(store.loadingBasket).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    await picked;
    expect(store.loadingBasket).toBe(false);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2, 3]);
    expect(store.copies.basket.state).toBe("updated");
  });

  it("a start the person changed before the whole came stays: the whole does not bring removed cells back", async () => {
    const store = await shown();
    ipc.basket.mockReturnValue(new Promise(() => {}));
    ipc.cachedBasketStart.mockResolvedValue({ ...saved(basketView(7, [cell(1), cell(2)])), element_count: 3 });
    const rest = later<Cached<BasketView> | null>();
    ipc.cachedBasket.mockReturnValue(rest.promise);
    void store.pickBasket(7);
    await vi.waitFor(() => expect(ipc.cachedBasket).toHaveBeenCalled());
    store.basket = { ...store.basket!, elements: [cell(2)] };
    rest.resolve(saved(basketView(7, [cell(1), cell(2), cell(3)])));
    await settle();
    expect(store.items.map((i) => i.record_id)).toEqual([2]);
  });

  it("a copy or an answer for a basket no longer shown never replaces the current one", async () => {
    const store = await shown();
    const copy7 = later<Cached<BasketView> | null>();
    const first = later<BasketView>();
    ipc.cachedBasketStart.mockImplementation((_p: string, id: number) => (id === 7 ? copy7.promise.then(whole) : null));
    ipc.basket.mockImplementation((_p: string, id: number) => (id === 7 ? first.promise : basketView(8, [cell(5)])));
    const one = store.pickBasket(7);
    await store.pickBasket(8);
    copy7.resolve(saved(basketView(7, [cell(1)])));
    first.resolve(basketView(7, [cell(1), cell(2)]));
    await one;
    // Left before its copy came: the server was never asked for it.
    expect(ipc.basket).not.toHaveBeenCalledWith("Work", 7, expect.any(Function));
    expect(store.basketId).toBe(8);
    expect(store.basket?.header.id).toBe(8);
    expect(store.items.map((i) => i.record_id)).toEqual([5]);
    expect(store.copies.basket.state).toBeNull();
  });

  it("the saved copy comes too late: the fresh answer stays", async () => {
    const store = await shown();
    const copy = later<Cached<BasketView> | null>();
    ipc.cachedBasketStart.mockReturnValue(copy.promise.then(whole));
    ipc.basket.mockResolvedValue(basketView(7, [cell(1), cell(2)]));
    await store.pickBasket(7);
    copy.resolve(saved(basketView(7, [cell(9)])));
    await settle();
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2]);
    expect(store.copies.basket.state).toBeNull();
  });

  it("the basket list shows its saved copy at sign-in, then the server's list replaces it", async () => {
    const list = later<BasketSummary[]>();
    ipc.baskets.mockReturnValue(list.promise);
    ipc.cachedBaskets.mockResolvedValue(saved([summary(7, { element_count: 3 })]));
    const store = new BrowseState();
    store.show("Work");
    await settle();
    expect(ipc.cachedBaskets).toHaveBeenCalledWith("Work");
    expect(store.baskets?.map((b) => b.id)).toEqual([7]);
    expect(store.copies.list.state).toBe("updating");
    list.resolve([summary(7), summary(8)]);
    await settle();
    expect(store.baskets?.map((b) => b.id)).toEqual([7, 8]);
    expect(store.copies.list.state).toBe("changed");
  });

  it("offline, the failure may come before the saved copy: the copy still shows, said to be one", async () => {
    const store = await shown();
    const copy = later<Cached<BasketView> | null>();
    ipc.cachedBasketStart.mockReturnValue(copy.promise.then(whole));
    ipc.basket.mockRejectedValue(offline);
    const picked = store.pickBasket(7);
    await settle();
    copy.resolve(saved(basketView(7, [cell(1)])));
    await picked;
    expect(store.showsBasket).toBe(true);
    expect(store.items.map((i) => i.record_id)).toEqual([1]);
    expect(store.copies.basket.state).toBe("unreachable");
    expect(store.problem).toEqual(offline);
  });

  it("the saved list stays when the server cannot be reached", async () => {
    ipc.baskets.mockRejectedValue(offline);
    ipc.cachedBaskets.mockResolvedValue(saved([summary(7)]));
    const store = await shown();
    await settle();
    expect(store.baskets?.map((b) => b.id)).toEqual([7]);
    expect(store.problem).toEqual(offline);
    expect(store.copies.list.state).toBe("unreachable");
  });

  it("the record panel shows the saved details while the server's load, and keeps them when it fails", async () => {
    ipc.basket.mockResolvedValue(basketView(7, [cell(1), cell(2)]));
    const store = await shown();
    await store.pickBasket(7);
    const answer = later<RecordDetails>();
    ipc.record.mockReturnValueOnce(answer.promise);
    ipc.cachedRecord.mockResolvedValueOnce(saved(details(1, { title: "Saved title" })));
    const selecting = store.select(0);
    await settle();
    expect(ipc.cachedRecord).toHaveBeenCalledWith("Work", { databox_id: 1, record_id: 1 });
    expect(store.details?.title).toBe("Saved title");
    expect(store.copies.details.state).toBe("updating");
    answer.resolve(details(1, { title: "Fresh title" }));
    await selecting;
    expect(store.details?.title).toBe("Fresh title");
    expect(store.copies.details.state).toBeNull();

    ipc.record.mockRejectedValueOnce(offline);
    ipc.cachedRecord.mockResolvedValueOnce(saved(details(2, { title: "Saved two" })));
    await store.select(1);
    await settle();
    expect(store.details?.title).toBe("Saved two");
    expect(store.detailsProblem).toEqual(offline);
    expect(store.copies.details.state).toBe("unreachable");
  });

  it("saved details of a cell no longer selected are not shown", async () => {
    ipc.basket.mockResolvedValue(basketView(7, [cell(1), cell(2)]));
    const store = await shown();
    await store.pickBasket(7);
    const copy1 = later<Cached<RecordDetails> | null>();
    ipc.cachedRecord.mockReturnValueOnce(copy1.promise).mockResolvedValueOnce(null);
    ipc.record.mockReturnValueOnce(new Promise(() => {})).mockResolvedValueOnce(details(2));
    void store.select(0);
    await store.select(1);
    copy1.resolve(saved(details(1)));
    await settle();
    expect(store.details?.title).toBe("Record 2");
  });

  it("the state line's time is the time today, else the day and the time", () => {
    const now = new Date(2025, 4, 20, 18, 0).getTime();
    const today = Math.floor(new Date(2025, 4, 20, 14, 32).getTime() / 1000);
    const before = Math.floor(new Date(2025, 4, 2, 9, 5).getTime() / 1000);
    expect(savedTime(today, now)).toMatch(/(14|2).32/);
    expect(savedTime(before, now)).toMatch(/9.05/);
    expect(savedTime(before, now)).not.toBe(savedTime(today, now));
    expect(savedTime(before, now).length).toBeGreaterThan(savedTime(today, now).length);
  });

  it("writes the state line's time in the window's language, not the system's", () => {
    const now = new Date(2025, 4, 20, 18, 0).getTime();
    const today = Math.floor(new Date(2025, 4, 20, 14, 32).getTime() / 1000);
    const before = Math.floor(new Date(2025, 4, 2, 9, 5).getTime() / 1000);
    expect(savedTime(today, now, "fr")).toBe("14:32");
    expect(savedTime(before, now, "fr")).toBe("2 mai 09:05");
    expect(savedTime(before, now, "de")).toBe("2. Mai 09:05");
    // By default, the window's language (English in the tests), whatever toLocale*(undefined) would say.
    expect(savedTime(before, now)).toBe(savedTime(before, now, currentLocale()));
  });
});
