// Where the main view left off (the place, the grid's scroll, the selection), kept per profile by the
// backend so that sign-in and relaunch reopen it. Split out of browse.svelte.ts, which restores it.
import { ipc } from "./ipc";
import type { LastView } from "./bindings/LastView";
import type { Place } from "./bindings/Place";
import type { SearchRequest } from "./bindings/SearchRequest";

export type { LastView, Place };

/** The two calls, absent from an older `ipc`: then nothing is kept. */
type Door = Pick<typeof ipc, "rememberView" | "lastView">;
const door = (): Door | null => ("lastView" in ipc && "rememberView" in ipc ? ipc : null);

/** Scroll and selection settle for this long before they are written (scrolling writes nothing). */
export const SETTLE_MS = 1000;

/** The view where the profile left off, or null (nowhere yet, or the backend cannot say). */
export async function lastView(profile: string): Promise<LastView | null> {
  const calls = door();
  if (!calls || !profile) return null;
  try {
    return (await calls.lastView(profile)) ?? null;
  } catch {
    return null;
  }
}

/** Writes where the view is: at once on navigation, after `SETTLE_MS` on scroll and selection; the
 * same view twice is written once. Forgetting is never a failure the person has to see. */
export class Remembering {
  readonly #now: () => { profile: string; view: LastView } | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #written = "";
  /** While a last view is being restored, the steps of restoring it are not new places. */
  paused = false;

  constructor(now: () => { profile: string; view: LastView } | null) {
    this.#now = now;
  }

  /** A navigation: written once the current task's state has settled. */
  now() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    queueMicrotask(() => this.#write());
  }

  /** A scroll or a selection: written once it stopped for a second. */
  soon() {
    if (this.paused) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#write(), SETTLE_MS);
  }

  /** The view went away or another account shows: what was written before is no guide. */
  reset() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#written = "";
  }

  #write() {
    const calls = door();
    const at = this.paused ? null : this.#now();
    if (!calls || !at || !at.profile) return;
    const key = `${at.profile}\n${JSON.stringify(at.view)}`;
    if (key === this.#written) return;
    this.#written = key;
    calls.rememberView(at.profile, at.view).catch(() => {
      if (this.#written === key) this.#written = "";
    });
  }
}

/** What restoring and remembering read of the browse store (BrowseState; a type, not an import). */
type Browse = {
  section: "baskets" | "search" | "collections" | "feeds";
  basketId: number | null;
  selected: number | null;
  gridScroll: number;
  stories: unknown[];
  items: unknown[];
  search: { ranRequest: SearchRequest | null; restore: (r: SearchRequest) => Promise<void> };
  collections: {
    current: { collection: { base_id: number } } | null;
    ensure: () => Promise<void>;
    open: (baseId: number) => Promise<void>;
  };
  feeds: { feedId: number | null; list: unknown[] | null; load: () => Promise<void> };
  setSection: (s: "baskets" | "search" | "collections" | "feeds") => void;
  pickBasket: (id: number) => Promise<void>;
  select: (index: number) => Promise<void>;
};

/** Where the view is now. Inside a story, the grid it opened from (`outer`: the scroll and selection
 * that grid had) stands for it: a story is reopened from its place. */
export function placeOf(b: Browse, outer?: { scroll: number; selected: number | null }): LastView {
  const at = b.stories.length > 0 && outer ? outer : { scroll: b.gridScroll, selected: b.selected };
  const view = (place: Place): LastView => ({ place, scroll: Math.max(0, Math.round(at.scroll)), selected: at.selected });
  const home = { place: { kind: "home" } as Place, scroll: 0, selected: null };
  switch (b.section) {
    case "baskets":
      return b.basketId === null ? home : view({ kind: "basket", basket_id: b.basketId });
    case "search":
      return b.search.ranRequest ? view({ kind: "search", request: b.search.ranRequest }) : home;
    case "collections":
      return b.collections.current ? view({ kind: "collection", base_id: b.collections.current.collection.base_id }) : home;
    case "feeds":
      return view({ kind: "feed", feed_id: b.feeds.feedId });
  }
}

/** Opens `view` in `b`: its place, then the scroll (set as the grid appears) and the selection. */
export async function restoreView(b: Browse, view: LastView) {
  const { place } = view;
  // The first step of each opening empties the grid (scroll 0): the scroll is set right after it.
  let opening: Promise<void>;
  if (place.kind === "basket") {
    opening = b.pickBasket(place.basket_id);
  } else if (place.kind === "search") {
    b.setSection("search");
    opening = b.search.restore(place.request);
  } else if (place.kind === "collection") {
    await b.collections.ensure();
    b.setSection("collections");
    opening = b.collections.open(place.base_id);
  } else if (place.kind === "feed") {
    // The feed to show is set before the section asks for the list (which then shows that feed).
    b.feeds.feedId = place.feed_id;
    if (b.feeds.list === null) await b.feeds.load();
    b.setSection("feeds");
    opening = Promise.resolve();
  } else return;
  b.gridScroll = view.scroll;
  await opening;
  const { selected } = view;
  if (selected !== null && selected >= 0 && selected < b.items.length) {
    b.gridScroll = view.scroll;
    await b.select(selected);
  }
}
