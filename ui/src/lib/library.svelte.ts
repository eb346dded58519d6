// The library beyond baskets: the search section and the feeds section of the main view. The browse
// store owns one of each (browse.search, browse.feeds); Main.svelte renders them.
import { ipc } from "./ipc";
import { attempt, type Problem } from "./errors";
import { parseDate } from "./format";
import { SavedCopy, savedCopy } from "./saved.svelte";
import type { FacetValueView } from "./bindings/FacetValueView";
import type { FeedEntryView } from "./bindings/FeedEntryView";
import type { FeedPage } from "./bindings/FeedPage";
import type { FeedSummary } from "./bindings/FeedSummary";
import type { SearchFilter } from "./bindings/SearchFilter";
import type { GridItem } from "./bindings/GridItem";
import type { SearchPage } from "./bindings/SearchPage";
import type { SearchRequest } from "./bindings/SearchRequest";

export type RecordType = "" | "image" | "video" | "audio" | "document";
/** `field`: by the caption field named in `sortField` (a field the server can sort on). */
export type SearchSort = "relevance" | "created_on" | "updated_on" | "field";
export type SearchOrder = "desc" | "asc";
/** Which date the date range bounds: "" = the record's creation date (the server's default). */
export type DateField = "" | "updated_on";
/** An active facet filter: the facet's name, the value picked and its query fragment. */
export type Chip = SearchFilter;

export const SEARCH_PAGE_SIZE = 50;
export const FEED_PAGE_SIZE = 20;

const RECORD_TYPES: readonly string[] = ["image", "video", "audio", "document"];
const SORTS: readonly string[] = ["relevance", "created_on", "updated_on"];

/** What the library stores need from the browse store. */
export type Host = {
  /** The profile the main view shows. */
  profile: () => string;
  /** The grid's cells are replaced: the selection (and open stories) no longer point at them. */
  replaced: () => void;
};

/** The person typed or filtered something (the backend then keeps it as a recent search). */
export function isTyped(request: SearchRequest): boolean {
  return request.query.trim() !== "" || request.filters.length > 0;
}

/** A stored bound (`Y-m-d` or `Y/m/d`) as `<input type="date">` takes it, else "". */
function dayOf(bound: string | null): string {
  const day = (bound ?? "").trim().replaceAll("/", "-");
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : "";
}

/** The same records in the same order (a saved copy and the fresh answer). */
function sameRecords(a: GridItem[], b: GridItem[]): boolean {
  return a.length === b.length && a.every((x, i) => x.databox_id === b[i]?.databox_id && x.record_id === b[i]?.record_id);
}

export class SearchState {
  /** The query as typed in `#search-input`. */
  query = $state("");
  recordType = $state<RecordType>("");
  stories = $state(false);
  sort = $state<SearchSort>("relevance");
  /** The field `sort: "field"` sorts on, as its name in the databox structure. */
  sortField = $state("");
  ord = $state<SearchOrder>("desc");
  chips = $state<Chip[]>([]);
  /** Collections searched (`base_id`s); none = every collection the user may search. */
  bases = $state<number[]>([]);
  /** The date range, `YYYY-MM-DD` or "" for open, and the date it bounds. */
  dateMin = $state("");
  dateMax = $state("");
  dateField = $state<DateField>("");
  /** The last page received (its totals, facets, suggestions and where the next one starts). */
  page = $state<SearchPage | null>(null);
  /** Every result received so far, page after page. */
  /** Raw (replaced, never edited): thousands of hits as deep proxies would slow every page. */
  items = $state.raw<GridItem[]>([]);
  loading = $state(false);
  problem = $state<Problem | null>(null);
  /** The state line of a first page shown from its saved copy while the server answers. */
  readonly copy = new SavedCopy();
  /** The first page's request of the search last run (what "Save search" keeps); null before. */
  ranRequest = $state.raw<SearchRequest | null>(null);
  /** Bumped by each new search: answers to an older one are dropped. */
  #generation = 0;

  readonly host: Host;
  /** Hears each first page received (the recent searches then changed). */
  readonly #onFirstPage: (request: SearchRequest) => void;

  constructor(host: Host, onFirstPage: (request: SearchRequest) => void = () => {}) {
    this.host = host;
    this.#onFirstPage = onFirstPage;
  }

  /** A search ran at least once (before, the section shows a hint rather than "No results"). */
  get ran(): boolean {
    return this.ranRequest !== null;
  }

  reset() {
    this.#generation++;
    this.query = "";
    this.chips = [];
    this.bases = [];
    this.dateMin = "";
    this.dateMax = "";
    this.dateField = "";
    this.page = null;
    this.items = [];
    this.loading = false;
    this.problem = null;
    this.ranRequest = null;
    this.copy.clear();
  }

  /** The form as the backend takes it: it combines the typed query with the filters itself. */
  request(offset: number): SearchRequest {
    return {
      query: this.query.trim(),
      filters: this.chips.map(({ facet, value, query }) => ({ facet, value, query })),
      stories: this.stories,
      record_type: this.recordType || null,
      bases: [...this.bases],
      date_min: this.dateMin || null,
      date_max: this.dateMax || null,
      date_field: this.dateField || null,
      sort: this.sort === "field" ? this.sortField.trim() || null : this.sort,
      ord: this.ord,
      offset,
      per_page: SEARCH_PAGE_SIZE,
    };
  }

  /** Runs the search from its first page (Enter, a filter or an option changed). Seen before, its
   * saved first page shows at once while the server answers, and stays (said so) if it cannot. */
  async run() {
    const generation = ++this.#generation;
    const request = this.request(0);
    this.ranRequest = request;
    this.loading = true;
    this.items = [];
    this.copy.clear();
    // The last page's facets stay while the new one loads (the filter just clicked stays in place).
    this.host.replaced();
    const current = () => generation === this.#generation && this.loading && this.items.length === 0;
    void savedCopy(() => ipc.cachedSearch(this.host.profile(), request)).then((saved) => {
      if (!saved || !current()) return;
      this.page = saved.value;
      this.items = saved.value.items;
      this.copy.shown(saved.saved_at);
    });
    const page = await this.#fetch(request, generation);
    if (generation !== this.#generation) return;
    this.loading = false;
    if (page) {
      const changed = this.copy.showing && !sameRecords(this.items, page.items);
      this.page = page;
      this.items = page.items;
      this.copy.fresh(changed);
      this.#onFirstPage(request);
    } else if (this.copy.showing) {
      this.copy.failed();
    } else {
      this.page = null;
    }
  }

  /** An option of the form changed: the results follow, once there are results to follow. */
  changed() {
    if (this.ran) void this.run();
  }

  /** One page; a failure shows only if no newer search started meanwhile. */
  #fetch(request: SearchRequest, generation: number) {
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
    const page = await this.#fetch(this.request(offset), generation);
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
      : [...this.chips, { facet, value: value.value, query: value.query }];
    void this.run();
  }

  removeChip(index: number) {
    this.chips = this.chips.filter((_, i) => i !== index);
    void this.run();
  }

  /** A collection's checkbox in `#search-bases`. */
  toggleBase(baseId: number) {
    this.bases = this.bases.includes(baseId) ? this.bases.filter((b) => b !== baseId) : [...this.bases, baseId];
    this.changed();
  }

  /** A collection or date chip's ×. */
  removeBase(baseId: number) {
    this.bases = this.bases.filter((b) => b !== baseId);
    this.changed();
  }

  clearDate(bound: "min" | "max") {
    if (bound === "min") this.dateMin = "";
    else this.dateMax = "";
    this.changed();
  }

  /** A suggestion replaces the typed query. */
  suggest(query: string) {
    this.query = query;
    void this.run();
  }

  /** A saved or recent search: the whole form as it was, then its results. */
  restore(request: SearchRequest) {
    this.query = request.query;
    this.chips = request.filters.map(({ facet, value, query }) => ({ facet, value, query }));
    const type = request.record_type ?? "";
    this.recordType = (RECORD_TYPES.includes(type) ? type : "") as RecordType;
    this.stories = request.stories;
    const sort = request.sort ?? "";
    this.sort = (SORTS.includes(sort) ? sort : sort.trim() ? "field" : "relevance") as SearchSort;
    this.sortField = SORTS.includes(sort) ? "" : sort.trim();
    this.ord = request.ord === "asc" ? "asc" : "desc";
    this.bases = [...request.bases];
    this.dateMin = dayOf(request.date_min);
    this.dateMax = dayOf(request.date_max);
    this.dateField = request.date_field === "updated_on" ? "updated_on" : "";
    return this.run();
  }
}

export class FeedsState {
  list = $state<FeedSummary[] | null>(null);
  /** The feed shown; null = every feed ("All feeds"). */
  feedId = $state<number | null>(null);
  /** The last page received (the total, where the next, older, page starts). */
  page = $state<FeedPage | null>(null);
  /** Every entry received so far, newest first, page after page (each entry once). */
  entries = $state<FeedEntryView[]>([]);
  loading = $state(false);
  problem = $state<Problem | null>(null);
  /** Bumped by each feed picked: pages of the one shown before are dropped. */
  #generation = 0;

  readonly host: Host;

  constructor(host: Host) {
    this.host = host;
  }

  reset() {
    this.#generation++;
    this.list = null;
    this.feedId = null;
    this.page = null;
    this.entries = [];
    this.loading = false;
    this.problem = null;
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
    const generation = ++this.#generation;
    this.feedId = id;
    this.page = null;
    this.entries = [];
    this.loading = true;
    this.host.replaced();
    const page = await this.#fetch(0, generation);
    if (generation !== this.#generation) return;
    this.loading = false;
    if (page) this.#take(page);
  }

  /** The next, older, entries (the view reached its end, or `#feed-more`). Once at a time. */
  async more() {
    const offset = this.page?.next_offset;
    if (this.loading || offset === null || offset === undefined) return;
    const generation = this.#generation;
    this.loading = true;
    const page = await this.#fetch(offset, generation);
    if (generation !== this.#generation) return;
    this.loading = false;
    if (page) this.#take(page);
  }

  #fetch(offset: number, generation: number) {
    return attempt(
      () => ipc.feed(this.host.profile(), this.feedId, offset, FEED_PAGE_SIZE),
      (p) => {
        if (generation === this.#generation) this.problem = p;
      },
    );
  }

  /** Appends a page: entries already shown stay where they are (the selection's indexes hold), an
   * entry published meanwhile shifts the server's offsets, so one can come twice: it shows once. */
  #take(page: FeedPage) {
    const time = (e: FeedEntryView) => parseDate(e.created_on ?? e.updated_on) ?? -Infinity;
    const seen = new Set(this.entries.map((e) => e.id));
    const fresh = page.entries.filter((e) => !seen.has(e.id) && (seen.add(e.id), true));
    this.page = page;
    this.entries = [...this.entries, ...fresh.sort((a, b) => time(b) - time(a))];
  }
}
