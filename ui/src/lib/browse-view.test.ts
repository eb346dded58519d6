import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Cached } from "./bindings/Cached";
import type { Problem } from "./errors";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { BrowseState } from "./browse.svelte";
import { isUnreachable } from "./browse-view.svelte";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { basketView, cached, details, element as cell, storyView, summary, whole } from "../test/fixtures";
import { shown } from "../test/browse";
import { settle } from "../test/util";

const saved = <T>(value: T): Cached<T> => cached(value, 1_700_000_000);
const problem = (code: Problem["code"], message: string, retry = true): Problem => ({ code, message, hint: null, detail: null, retry });
const network = problem("network", "Cannot reach the server");
const signedOut = problem("signed-out", "You are signed out", false);

/** The store offline (as Main sets it from the account), basket 7 picked while `basket` fails. */
async function offlineOpen(failure: Problem, copy: boolean): Promise<BrowseState> {
  const store = await shown();
  store.offline = true;
  ipc.cachedBasketStart.mockResolvedValue(copy ? whole(saved(basketView(7, [cell(1), cell(2)]))) : null);
  ipc.basket.mockRejectedValue(failure);
  await store.pickBasket(7);
  return store;
}

describe("offline, the banner says it: no notice about reaching the server on top", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    ipc.baskets.mockResolvedValue([summary(7)]);
    ipc.related.mockImplementation(() => new Promise(() => {}));
  });

  it("a basket shown from its saved copy has no notice; the copy's line still says it is one", async () => {
    const store = await offlineOpen(network, true);
    expect(store.showsBasket).toBe(true);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2]);
    expect(store.copies.basket.state).toBe("unreachable");
    expect(store.problem).toBeNull();
    // Back online (the banner gone), the same failure is the view's to say.
    store.offline = false;
    expect(store.problem).toEqual(network);
  });

  it("a failure that is not the offline condition still shows over the copy", async () => {
    const store = await offlineOpen(signedOut, true);
    expect(store.showsBasket).toBe(true);
    expect(store.problem).toEqual(signedOut);
  });

  it("without a saved copy nothing stands in for the basket: the notice stays", async () => {
    const store = await offlineOpen(network, false);
    expect(store.showsBasket).toBe(false);
    expect(store.problem).toEqual(network);
  });

  it("the basket list from its saved copy has no notice either", async () => {
    ipc.baskets.mockRejectedValue(network);
    ipc.cachedBaskets.mockResolvedValue(saved([summary(7)]));
    const store = new BrowseState();
    store.offline = true;
    store.show("Work");
    await settle();
    await settle();
    expect(store.baskets?.map((b) => b.id)).toEqual([7]);
    expect(store.copies.list.state).toBe("unreachable");
    expect(store.problem).toBeNull();
  });

  it("a story that cannot open offline says so (its Retry is its own)", async () => {
    const store = await offlineOpen(network, true);
    ipc.story.mockRejectedValueOnce(network);
    await store.openStory({ databox_id: 1, record_id: 9 });
    expect(store.problem).toEqual(network);
    ipc.story.mockResolvedValueOnce(storyView(9, [cell(3)]));
    await store.openStory({ databox_id: 1, record_id: 9 });
    expect(store.problem).toBeNull();
  });

  it("the record panel from its saved copy has no notice; without one it keeps it", async () => {
    const store = await offlineOpen(network, true);
    ipc.record.mockRejectedValue(network);
    ipc.cachedRecord.mockResolvedValueOnce(saved(details(1, { title: "Saved" })));
    await store.select(0);
    await settle();
    expect(store.details?.title).toBe("Saved");
    expect(store.copies.details.state).toBe("unreachable");
    expect(store.detailsProblem).toBeNull();

    ipc.cachedRecord.mockResolvedValueOnce(null);
    await store.select(1);
    await settle();
    expect(store.details).toBeNull();
    expect(store.detailsProblem).toEqual(network);
  });
});

describe("isUnreachable: the cases that make the app offline", () => {
  it.each([
    ["network", "Cannot reach the server", true],
    ["timeout", "The server took too long to answer", true],
    ["stalled", "The download stalled", true],
    ["cut-off", "The answer was cut off", true],
    ["forbidden", "Access refused", false],
    ["signed-out", "You are signed out", false],
  ] as const)("%s (%s): %s", (code, message, expected) => {
    expect(isUnreachable(problem(code, message))).toBe(expected);
  });

  it("a proxy whose backend is down (502–504) is what the backend flags, not a headline to parse", () => {
    expect(isUnreachable({ ...problem("server", "The server failed (HTTP 502)"), unreachable: true })).toBe(true);
    expect(isUnreachable(problem("server", "The server failed (HTTP 502)"))).toBe(false);
    expect(isUnreachable(problem("server", "The server failed (HTTP 500)"))).toBe(false);
  });
});
