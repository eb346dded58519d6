// What the main view shows: it outlives the screens (a re-sign-in comes back to the same basket).
import { parseDate } from "./format";
import type { BasketSummary } from "./bindings/BasketSummary";
import type { BasketView } from "./bindings/BasketView";
import type { GridItem } from "./bindings/GridItem";
import type { StoryView } from "./bindings/StoryView";
import type { DownloadItem } from "./bindings/DownloadItem";

export type BasketSort = "newest" | "oldest" | "name";

class BrowseState {
  baskets = $state<BasketSummary[] | null>(null);
  sort = $state<BasketSort>("newest");
  filter = $state("");
  basketId = $state<number | null>(null);
  basket = $state<BasketView | null>(null);
  /** Stories opened from the grid, innermost last. */
  stories = $state<StoryView[]>([]);
  /** Index in `items` of the record whose panel is open. */
  selected = $state<number | null>(null);
  viewer = $state(false);
  thumbSize = $state(180);
  downloads = $state<DownloadItem[]>([]);
  downloadsOpen = $state(false);
  /** Where players stream from (see media.ts `playerUrl`); null until the backend said. */
  playerBase = $state<string | null>(null);

  /** The cells the grid shows: the innermost open story's records, else the basket's elements. */
  get items(): GridItem[] {
    const story = this.stories.at(-1);
    return story ? story.records : (this.basket?.elements ?? []);
  }

  reset() {
    this.baskets = null;
    this.basketId = null;
    this.basket = null;
    this.stories = [];
    this.selected = null;
    this.viewer = false;
  }
}

export const browse = new BrowseState();

/** Sorted and filtered basket list for the sidebar. */
export function visibleBaskets(all: BasketSummary[], sort: BasketSort, filter: string): BasketSummary[] {
  const needle = filter.trim().toLocaleLowerCase();
  const kept = needle
    ? all.filter((b) => `${b.name} ${b.description} ${b.owner ?? ""} ${b.pusher ?? ""}`.toLocaleLowerCase().includes(needle))
    : all.slice();
  // Unknown dates sort last.
  const time = (b: BasketSummary) => parseDate(b.updated_on ?? b.created_on) ?? 0;
  if (sort === "name") kept.sort((a, b) => a.name.localeCompare(b.name));
  else kept.sort((a, b) => (sort === "newest" ? time(b) - time(a) : time(a) - time(b)));
  return kept;
}

/** Rows and columns a virtualized grid needs for `count` cells of `cell` px in a `width` px viewport. */
export function gridLayout(count: number, width: number, cell: number, gap: number) {
  const columns = Math.max(1, Math.floor((width + gap) / (cell + gap)));
  const rows = Math.ceil(count / columns);
  return { columns, rows, rowHeight: cell + gap, height: rows * (cell + gap) };
}

/** The first and last row to render for a scroll position, with `overscan` rows either side. */
export function visibleRows(scrollTop: number, viewport: number, rowHeight: number, rows: number, overscan = 2) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rows - 1, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last };
}
