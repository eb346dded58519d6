// What the main view reads of the browse store: its state, and what shows of the current showing (the
// problem, the basket's load, the panel, the cells). Split out of browse.svelte.ts: BrowseState extends
// it with what the view does.
import type { Problem } from "./errors";
import type { BasketSort } from "./arrange";
import type { BasketSummary } from "./bindings/BasketSummary";
import type { BasketView } from "./bindings/BasketView";
import type { GridItem } from "./bindings/GridItem";
import type { RecordDetails } from "./bindings/RecordDetails";
import type { StoryView } from "./bindings/StoryView";
import type { DownloadItem } from "./bindings/DownloadItem";
import type { RelatedView } from "./bindings/RelatedView";
import type { FeedsState, SearchState } from "./library.svelte";
import type { CollectionsState } from "./collections.svelte";
import type { SavedCopy } from "./saved.svelte";
import { Showing } from "./showing.svelte";
import { elementCount } from "./copy-start";

/** The server is not there: no answer, or a proxy whose backend is down (HTTP 502–504). The backend
 * says so (`unreachable`, from `Error::unreachable`, what makes the app offline); the codes alone
 * tell it for problems worded before that field. */
export function isUnreachable(p: Problem): boolean {
  if (p.unreachable) return true;
  return p.code === "network" || p.code === "timeout" || p.code === "stalled" || p.code === "cut-off";
}

/** What the sidebar's tab strip shows: the baskets, the search, the collections, the feeds. */
export type Section = "baskets" | "search" | "collections" | "feeds";

export abstract class BrowseView {
  baskets = $state<BasketSummary[] | null>(null);
  /** The server could not be reached at start (Main sets it from the account): what needs it waits. */
  offline = $state(false);
  sort = $state<BasketSort>("newest");
  filter = $state("");
  basketId = $state<number | null>(null);
  /** Raw, not deeply reactive: a 10,000-element basket as a deep proxy costs a second before its first
   * screen. Changes replace the object (`b.basket = { ...b.basket, … }`), never edit it in place. */
  basket = $state.raw<BasketView | null>(null);
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
  /** The showing of the main view now (a new one after `leave`). */
  protected current = $state(new Showing());
  section = $state<Section>("baskets");
  /** The sections' own stores (BrowseState makes them): `items` reads their cells. */
  abstract readonly search: SearchState;
  abstract readonly collections: CollectionsState;
  abstract readonly feeds: FeedsState;

  get profile(): string {
    return this.current.profile;
  }
  /** The view's problem. Offline, a load that could not reach the server while its saved copy shows
   * is what the banner says already (with its Retry, which reloads the same): no notice on top. A
   * failure with a Retry of its own (a story, the Lightbox) still shows. */
  get problem(): Problem | null {
    const s = this.current;
    if (s.again !== null) return s.problem;
    return this.#unlessBanner(s.problem, this.basketId !== null ? s.basketCopy : s.listCopy);
  }
  get loadingBasket(): boolean {
    return this.current.loadingBasket;
  }
  get loadSeconds(): number {
    return this.current.loadSeconds;
  }
  get loadBytes(): number {
    return this.current.loadBytes;
  }
  get details(): RecordDetails | null {
    return this.current.panel.details;
  }
  /** The panel's problem; offline, not while the record's saved copy shows (as `problem`). */
  get detailsProblem(): Problem | null {
    return this.#unlessBanner(this.current.panel.problem, this.current.panel.copy);
  }
  #unlessBanner(p: Problem | null, copy: SavedCopy): Problem | null {
    return p && this.offline && copy.showing && isUnreachable(p) ? null : p;
  }
  get note(): string {
    return this.current.note;
  }
  /** The address a browser failed to open (the Lightbox): offered to copy with the problem. */
  get browserLink(): string | null {
    return this.current.browserLink;
  }
  /** The state lines of what shows from a saved copy: the basket list, the open basket, the panel. */
  get copies(): { list: SavedCopy; basket: SavedCopy; details: SavedCopy } {
    const s = this.current;
    return { list: s.listCopy, basket: s.basketCopy, details: s.panel.copy };
  }
  /** The "Where is it used" of the record shown in the panel (null while it loads or failed). */
  get related(): RelatedView | null {
    return this.current.panel.relatedOf(this.item);
  }
  get relatedProblem(): Problem | null {
    return this.current.panel.relatedProblemOf(this.item);
  }
  get relatedLoading(): boolean {
    return this.current.panel.relatedLoadingOf(this.item);
  }

  /** The cells the grid shows: the innermost open story's records, else the section's own: the
   * basket's elements, the search results, the shown collection's or feed's items. */
  get items(): GridItem[] {
    const story = this.stories.at(-1);
    if (story) return story.records;
    if (this.section === "search") return this.search.items;
    if (this.section === "collections") return this.collections.results.items;
    if (this.section === "feeds") return this.feeds.items;
    // Another basket's cells never stand for the one picked (its load failed, or is under way).
    return this.basket && this.basket.header.id === this.basketId ? this.basket.elements : [];
  }

  /** How many cells the shown list has in all: a saved copy's start holds only its first cells. */
  get itemCount(): number {
    const items = this.items;
    return this.basket && items === this.basket.elements ? elementCount(this.basket) : items.length;
  }

  /** The selected cell, if any. */
  get item(): GridItem | null {
    return this.selected === null ? null : (this.items[this.selected] ?? null);
  }

  /** The innermost open story, if any. */
  get story(): StoryView | null {
    return this.stories.at(-1) ?? null;
  }
}
