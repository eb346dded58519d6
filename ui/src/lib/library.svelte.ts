// The library beyond baskets: the search section and the feeds section of the main view. The browse
// store owns one of each (browse.search, browse.feeds); Main.svelte renders them.
import { ipc } from "./ipc";
import { attempt, type Problem } from "./errors";
import { parseDate } from "./format";
import type { FacetValueView } from "./bindings/FacetValueView";
import type { FeedEntryView } from "./bindings/FeedEntryView";
import type { FeedPage } from "./bindings/FeedPage";
import type { FeedSummary } from "./bindings/FeedSummary";
import type { GridItem } from "./bindings/GridItem";
import type { SearchPage } from "./bindings/SearchPage";
import type { SearchRequest } from "./bindings/SearchRequest";

export type RecordType = "" | "image" | "video" | "audio" | "document";
export type SearchSort = "relevance" | "created_on" | "updated_on";
export type SearchOrder = "desc" | "asc";
/** An active facet filter: the value picked and the facet it belongs to. */
export type Chip = FacetValueView & { facet: string };

export const SEARCH_PAGE_SIZE = 50;
export const FEED_PAGE_SIZE = 20;

/** What the library stores need from the browse store. */
export type Host = {
  /** The profile the main view shows. */
  profile: () => string;
  /** The grid's cells are replaced: the selection (and open stories) no longer point at them. */
  replaced: () => void;
};

/** The typed query AND every active filter's query fragment. */
export function combineQuery(typed: string, chips: readonly Chip[]): string {
  const q = typed.trim();
  const parts = chips.map((c) => c.query);
  if (parts.length === 0) return q;
  return [...(q ? [`(${q})`] : []), ...parts].join(" AND ");
}

export class SearchState {
  /** The query as typed in `#search-input`. */
  query = $state("");
  recordType = $state<RecordType>("");
  stories = $state(false);
  sort = $state<SearchSort>("relevance");
  ord = $state<SearchOrder>("desc");
  chips = $state<Chip[]>([]);
  /** The last page received (its totals, facets, suggestions and where the next one starts). */
  page = $state<SearchPage | null>(null);
  /** Every result received so far, page after page. */
  items = $state<GridItem[]>([]);
  loading = $state(false);
  problem = $state<Problem | null>(null);
  /** A search ran at least once (before, the section shows a hint rather than "No results"). */
  ran = $state(false);
  /** Bumped by each new search: answers to an older one are dropped. */
  #generation = 0;

  readonly host: Host;

  constructor(host: Host) {
    this.host = host;
  }

  reset() {
    this.#generation++;
    this.query = "";
    this.chips = [];
    this.page = null;
    this.items = [];
    this.loading = false;
    this.problem = null;
    this.ran = false;
  }

  request(offset: number): SearchRequest {
    return {
      query: combineQuery(this.query, this.chips),
      stories: this.stories,
      record_type: this.recordType || null,
      bases: [],
      date_min: null,
      date_max: null,
      date_field: null,
      sort: this.sort,
      ord: this.ord,
      offset,
      per_page: SEARCH_PAGE_SIZE,
    };
  }

  /** Runs the search from its first page (Enter, a filter or an option changed). */
  async run() {
    const generation = ++this.#generation;
    this.ran = true;
    this.loading = true;
    this.items = [];
    // The last page's facets stay while the new one loads (the filter just clicked stays in place).
    this.host.replaced();
    const page = await this.#fetch(0, generation);
    if (generation !== this.#generation) return;
    this.loading = false;
    this.page = page ?? null;
    if (page) this.items = page.items;
  }

  /** One page from `offset`; a failure shows only if no newer search started meanwhile. */
  #fetch(offset: number, generation: number) {
    const request = this.request(offset);
    return attempt(
      () => ipc.search(this.host.profile(), request),
      (p) => {
        if (generation === this.#generation) this.problem = p;
      },
    );
  }

  /** The next page, appended (the grid scrolled near its end). Once at a time, never past the last. */
  async more() {
    const offset = this.page?.next_offset;
    if (this.loading || offset === null || offset === undefined) return;
    const generation = this.#generation;
    this.loading = true;
    const page = await this.#fetch(offset, generation);
    if (generation !== this.#generation) return;
    this.loading = false;
    if (page) {
      this.page = page;
      this.items = [...this.items, ...page.items];
    }
  }

  isActive(value: FacetValueView): boolean {
    return this.chips.some((c) => c.query === value.query);
  }

  /** A facet value's button: adds it as a filter, or removes it when it is one already. */
  toggleFacet(facet: string, value: FacetValueView) {
    this.chips = this.isActive(value)
      ? this.chips.filter((c) => c.query !== value.query)
      : [...this.chips, { ...value, facet }];
    void this.run();
  }

  removeChip(index: number) {
    this.chips = this.chips.filter((_, i) => i !== index);
    void this.run();
  }

  /** A suggestion replaces the typed query. */
  suggest(query: string) {
    this.query = query;
    void this.run();
  }
}

export class FeedsState {
  list = $state<FeedSummary[] | null>(null);
  /** The feed shown; null = every feed ("All feeds"). */
  feedId = $state<number | null>(null);
  page = $state<FeedPage | null>(null);
  loading = $state(false);
  problem = $state<Problem | null>(null);

  readonly host: Host;

  constructor(host: Host) {
    this.host = host;
  }

  reset() {
    this.list = null;
    this.feedId = null;
    this.page = null;
    this.loading = false;
    this.problem = null;
  }

  /** The shown feed's entries, newest first (unknown dates last). */
  get entries(): FeedEntryView[] {
    const time = (e: FeedEntryView) => parseDate(e.created_on ?? e.updated_on) ?? -Infinity;
    return (this.page?.entries ?? []).slice().sort((a, b) => time(b) - time(a));
  }

  /** Every entry's items in display order: the indexes the selection and the viewer use. */
  get items(): GridItem[] {
    return this.entries.flatMap((e) => e.items);
  }

  /** Where each entry's items start in `items`. */
  get starts(): number[] {
    let at = 0;
    return this.entries.map((e) => ((at += e.items.length), at - e.items.length));
  }

  /** The list of feeds, then the one shown (all of them at first). */
  async load() {
    const list = await attempt(() => ipc.feeds(this.host.profile()), (p) => (this.problem = p));
    if (list) this.list = list;
    if (list) await this.pick(this.feedId);
  }

  async pick(id: number | null) {
    this.feedId = id;
    this.page = null;
    this.loading = true;
    this.host.replaced();
    const page = await attempt(
      () => ipc.feed(this.host.profile(), id, 0, FEED_PAGE_SIZE),
      (p) => {
        if (this.feedId === id) this.problem = p;
      },
    );
    if (this.feedId !== id) return;
    this.loading = false;
    if (page) this.page = page;
  }
}
