import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Home from "./Home.svelte";
import BasketList from "./BasketList.svelte";
import Main from "../screens/Main.svelte";
import { browse } from "../lib/browse.svelte";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { account, basketView, cached, cell, hostile, pwned, summary, whole } from "../test/fixtures";
import { $, settle } from "../test/util";

const baskets = [
  summary(1, { name: "Old", updated_on: "2024-01-01T10:00:00Z", element_count: 12 }),
  summary(2, { name: "Fresh", updated_on: "2025-05-01T10:00:00Z" }),
  summary(3, { name: hostile, updated_on: "2023-01-01T10:00:00Z", unread: true, own: false, shared_by: "Jo Lee" }),
  summary(4, {
    name: "Review",
    updated_on: "2025-01-01T10:00:00Z",
    unread: true,
    vote: { expires_on: "2025-06-30T12:00:00Z", confirmed: false, initiator: "Lou", is_initiator: false, infos: null },
  }),
];

describe("the home view", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    browse.reset();
    browse.baskets = baskets;
  });

  it("shows the baskets as cards, unread then newest first, with counts and deadlines", async () => {
    const onpick = vi.fn();
    render(Home, { profile: "Work", onpick });
    await settle();
    const cards = [...document.querySelectorAll<HTMLElement>("#home .home-card")];
    expect(cards.map((c) => c.dataset.basketId)).toEqual(["4", "3", "2", "1"]);
    expect(cards[0]?.textContent).toContain("Feedback until");
    expect(cards[0]?.querySelector(".dot")).toBeTruthy();
    expect(cards[3]?.querySelector("[data-count]")?.textContent).toBe("12 elements");
    expect(cards[2]?.querySelector("[data-count]")).toBeNull(); // not known before it is opened
    // Long and hostile names stay text, clamped, whole in the tooltip.
    expect(cards[1]?.querySelector(".home-name .clamp")?.textContent).toBe(hostile);
    expect(cards[1]?.getAttribute("title")).toBe(hostile);
    expect(cards[1]?.textContent).toContain("shared by Jo Lee");
    expect(pwned()).toBeUndefined();
    await fireEvent.click(cards[2]!);
    expect(onpick).toHaveBeenCalledWith(2);
  });

  it("uses a saved copy's first thumbnails as the cover", async () => {
    ipc.cachedBasketStart.mockImplementation((_profile: string, id: number) =>
      Promise.resolve(id === 2 ? whole(cached(basketView(2, [cell(5), cell(6, { thumb: { w: 240, h: 160 } }), cell(7, { thumb: { w: 240, h: 160 } })]))) : null),
    );
    render(Home, { profile: "Work", onpick: () => {} });
    await settle();
    await settle();
    const cover = $('.home-card[data-basket-id="2"] .home-cover')!;
    expect(cover.dataset.covers).toBe("2");
    expect([...cover.querySelectorAll("img")].map((i) => i.getAttribute("src"))).toEqual([
      "pmedia://localhost/" + encodeURIComponent("Work/thumb/1/6"),
      "pmedia://localhost/" + encodeURIComponent("Work/thumb/1/7"),
    ]);
    expect($('.home-card[data-basket-id="1"] .home-cover img')).toBeNull();
    expect($('.home-card[data-basket-id="1"] .home-cover .kind-icon')).toBeTruthy();
  });

  it("shimmers while the list loads and says so when there are no baskets", async () => {
    browse.baskets = null;
    const shown = render(Home, { profile: "Work", onpick: () => {} });
    expect($("#home-loading")?.getAttribute("aria-busy")).toBe("true");
    expect(document.querySelectorAll("#home-loading .skeleton-tile").length).toBeGreaterThan(0);
    shown.unmount();
    browse.baskets = [];
    render(Home, { profile: "Work", onpick: () => {} });
    expect($("#no-baskets-home")).toBeTruthy();
  });

  it("is what the main view shows after sign-in, instead of an empty pane", async () => {
    ipc.baskets.mockResolvedValue(baskets);
    ipc.profiles.mockResolvedValue({ profiles: [], active: null });
    render(Main, { account: account() });
    await settle();
    expect($("#home")).toBeTruthy();
    ipc.basket.mockResolvedValueOnce(basketView(2, [cell(1)]));
    await fireEvent.click($('.home-card[data-basket-id="2"]')!);
    await settle();
    expect($("#home")).toBeNull();
    expect($("#basket-name")?.textContent).toBe("Basket 2");
  });
});

describe("the basket list", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    browse.reset();
    browse.baskets = baskets;
  });

  it("is one Tab stop: ↑/↓/Home/End move between baskets, Enter opens", async () => {
    const onpick = vi.fn();
    render(BasketList, { onpick, onrefresh: () => {} });
    const rows = () => [...document.querySelectorAll<HTMLElement>("#basket-list [data-basket]")];
    // Newest first (the sidebar's own sort): 2, 4, 1, 3.
    expect(rows().map((r) => r.dataset.basket)).toEqual(["2", "4", "1", "3"]);
    expect(rows().map((r) => r.tabIndex)).toEqual([0, -1, -1, -1]);
    rows()[0]!.focus();
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(rows()[1]);
    expect(rows().map((r) => r.tabIndex)).toEqual([-1, 0, -1, -1]);
    await fireEvent.keyDown(document.activeElement!, { key: "End" });
    expect((document.activeElement as HTMLElement).dataset.basket).toBe("3");
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect((document.activeElement as HTMLElement).dataset.basket).toBe("3");
    await fireEvent.keyDown(document.activeElement!, { key: "Home" });
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    expect((document.activeElement as HTMLElement).dataset.basket).toBe("2");
    // A native button: Enter clicks it.
    await fireEvent.click(document.activeElement!);
    expect(onpick).toHaveBeenCalledWith(2);
  });

  it("rows are one line: the name, its flags, the count on the right, the rest in the tooltip", () => {
    render(BasketList, { onpick: () => {}, onrefresh: () => {} });
    const old = $('[data-basket="1"]')!;
    expect(old.querySelector(".basket-count")?.textContent).toBe("12 elements");
    expect(old.getAttribute("title")).toBe("Old · Mara Ek · 12 elements");
    const review = $('[data-basket="4"]')!;
    expect(review.querySelector("[data-deadline]")?.getAttribute("title")).toMatch(/^Feedback until /);
    expect(review.getAttribute("title")).toContain("Open the basket to count its elements");
    expect($('[data-basket="3"] [data-shared-by]')?.getAttribute("title")).toBe("shared by Jo Lee");
  });

  it("opens a basket's context menu by the keyboard", async () => {
    ipc.openInPhraseanet.mockResolvedValue("https://dam.example.org/lightbox/4");
    const onpick = vi.fn();
    render(BasketList, { onpick, onrefresh: () => {} });
    const row = $('[data-basket="4"]')!;
    row.focus();
    await fireEvent.keyDown(row, { key: "F10", shiftKey: true });
    const actions = [...document.querySelectorAll<HTMLElement>("#context-menu > [data-action]")].map((e) => e.dataset.action);
    expect(actions).toEqual(["open", "download", "open-in-phraseanet"]);
    await fireEvent.keyDown(document.activeElement!, { key: "End" });
    await fireEvent.keyDown(document.activeElement!, { key: "Enter" });
    await settle();
    expect(ipc.openInPhraseanet).toHaveBeenCalledWith(browse.profile, { kind: "basket", basket_id: 4 });
    expect($("#context-menu")).toBeNull();
    expect(document.activeElement).toBe(row);
  });
});
