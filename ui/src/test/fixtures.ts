// What the backend answers, built from the generated types (../lib/bindings): a field the backend
// adds is added here, once. Each builder takes the fields a test cares about as `extra`.
import type { ComponentProps } from "svelte";
import type VirtualGrid from "../components/VirtualGrid.svelte";
import type { Account } from "../lib/bindings/Account";
import type { BasketChange } from "../lib/bindings/BasketChange";
import type { BasketHeader } from "../lib/bindings/BasketHeader";
import type { BasketSummary } from "../lib/bindings/BasketSummary";
import type { BasketView } from "../lib/bindings/BasketView";
import type { Cached } from "../lib/bindings/Cached";
import type { CachedStart } from "../lib/bindings/CachedStart";
import type { DownloadItem } from "../lib/bindings/DownloadItem";
import type { FeedEntryView } from "../lib/bindings/FeedEntryView";
import type { FeedPage } from "../lib/bindings/FeedPage";
import type { FeedSummary } from "../lib/bindings/FeedSummary";
import type { GridItem } from "../lib/bindings/GridItem";
import type { ProfileSummary } from "../lib/bindings/ProfileSummary";
import type { RecordDetails } from "../lib/bindings/RecordDetails";
import type { RelatedView } from "../lib/bindings/RelatedView";
import type { SavedSearch } from "../lib/bindings/SavedSearch";
import type { SearchLists } from "../lib/bindings/SearchLists";
import type { SearchPage } from "../lib/bindings/SearchPage";
import type { SearchRequest } from "../lib/bindings/SearchRequest";
import type { StoryView } from "../lib/bindings/StoryView";

/** Server text that would run if it ever became markup. */
export const hostile = `<img src=x onerror="window.__pwned=1">`;

/** Set by `hostile` if it ever ran. */
export const pwned = () => (window as unknown as { __pwned?: number }).__pwned;

// --- Profiles ---

/** A saved profile, not signed in. */
export const profile = (extra: Partial<ProfileSummary> = {}): ProfileSummary => ({
  name: "Work", server: "https://dam.example.org/", client_id: "c", auth: "oauth-oob", user_name: null, signed_in: false,
  token_expires_at: null, ...extra,
});

/** `user_name` signed in with `profile(extra)`. */
export const account = (extra: Partial<ProfileSummary> = {}, user_name = "Mara"): Account => ({
  profile: profile({ user_name, signed_in: true, ...extra }), user_name, server: "dam.example.org", offline: null,
});

// --- Grid cells ---

/** A record in a grid outside baskets (search, story, feed, collection): no basket element. */
export const cell = (record: number, extra: Partial<GridItem> = {}): GridItem => ({
  element_id: null, databox_id: 1, record_id: record, title: `Record ${record}`, kind: "image", thumb: null,
  duration: null, pages: null, extension: null, ...extra,
});

/** A basket element: record `record` as element `100 + record`. */
export const element = (record: number, extra: Partial<GridItem> = {}): GridItem =>
  cell(record, { element_id: 100 + record, ...extra });

/** The props VirtualGrid needs, for profile "Work". */
export const gridProps = (
  items: GridItem[], extra: Partial<ComponentProps<typeof VirtualGrid>> = {},
): ComponentProps<typeof VirtualGrid> => ({
  items, profile: "Work", size: 180, selected: null, onselect: () => {}, onopen: () => {}, ...extra,
});

// --- Baskets ---

/** A line of the basket list: an own basket of Mara Ek's. */
export const summary = (id: number, extra: Partial<BasketSummary> = {}): BasketSummary => ({
  id, name: `Basket ${id}`, description: "", owner: "Mara Ek", pusher: null, shared_by: null, own: true, created_on: null,
  updated_on: null, unread: false, element_count: null, vote: null, ...extra,
});

/** An opened basket, its header like `summary(id)`. */
export const basketView = (id: number, elements: GridItem[], header: Partial<BasketHeader> = {}): BasketView => ({
  header: {
    vote: null, id, name: `Basket ${id}`, description: "", owner: "Mara Ek", pusher: null, shared_by: null, own: true,
    created_on: null, updated_on: null, unread: false, ...header,
  },
  elements,
});

export const basketChange = (
  basket_id: number, changed: number, unchanged: number, element_count: number | null,
): BasketChange => ({ basket_id, changed, unchanged, element_count });

/** A saved copy of `value`. */
export const cached = <T>(value: T, saved_at = 1_700_000_000): Cached<T> => ({ saved_at, value });
/** A saved basket's start that is the whole copy (`ipc.cachedBasketStart` of a small basket). */
export const whole = (copy: Cached<BasketView> | null): CachedStart | null =>
  copy && { ...copy, element_count: copy.value.elements.length };

// --- Records and stories ---

export const details = (record: number, extra: Partial<RecordDetails> = {}): RecordDetails => ({
  record: { databox_id: 1, record_id: record }, title: `Record ${record}`, original_name: null, mime: "image/jpeg",
  kind: "image", phrasea_type: "image", created_on: null, updated_on: null, base_id: 1, collection_id: 1, sha256: null,
  caption: [], technical: [], status: [], subdefs: [], votes: [], ...extra,
});

/** "Where is it used": nowhere unless `extra` says. */
export const related = (record: number, extra: Partial<RelatedView> = {}): RelatedView => ({
  record: { databox_id: 1, record_id: record }, baskets: [], stories: [], ...extra,
});

export const storyView = (record: number, records: GridItem[], extra: Partial<StoryView> = {}): StoryView => ({
  story: { databox_id: 1, record_id: record }, title: `Story ${record}`, thumb: null, records, ...extra,
});

export const download = (id: number, state: DownloadItem["state"] = "queued", extra: Partial<DownloadItem> = {}): DownloadItem => ({
  id, kind: "file", profile: "Work", record: { databox_id: 1, record_id: 1 }, subdef: "document", file_name: `file-${id}.jpg`,
  folder: "/tmp", path: null, received: 0, total: null, state, error: null, note: null, bytes_per_sec: null, seconds_left: null, job: null,
  ...extra,
});

// --- Search ---

/** The search form's request with every option at its default. */
export const request = (extra: Partial<SearchRequest> = {}): SearchRequest => ({
  query: "", filters: [], stories: false, record_type: null, bases: [], date_min: null, date_max: null,
  date_field: null, sort: "relevance", ord: "desc", offset: 0, per_page: 0, ...extra,
});

/** The only page of `items`: no facets, no suggestions. */
export const searchPage = (items: GridItem[], extra: Partial<SearchPage> = {}): SearchPage => ({
  query: "", offset: 0, per_page: 50, total: items.length, next_offset: null, beyond_window: false, query_time_ms: 7,
  items, suggestions: [], facets: [], ...extra,
});

export const savedSearch = (id: number, name: string, r: SearchRequest, at = 0): SavedSearch => ({ id, name, request: r, at });

export const searchLists = (saved: SavedSearch[] = [], recent: SavedSearch[] = []): SearchLists => ({ saved, recent });

// --- Feeds ---

export const feedSummary = (id: number, extra: Partial<FeedSummary> = {}): FeedSummary => ({
  id, title: "News", subtitle: null, total_entries: 0, public: true, updated_on: null, ...extra,
});

/** An entry of the feed "News" by Mara Ek. */
export const feedEntry = (id: number, items: GridItem[], extra: Partial<FeedEntryView> = {}): FeedEntryView => ({
  id, title: `Entry ${id}`, subtitle: null, author: "Mara Ek", created_on: null, updated_on: null, feed_title: "News",
  items, ...extra,
});

/** The only page of every feed's `entries`. */
export const feedPage = (entries: FeedEntryView[], extra: Partial<FeedPage> = {}): FeedPage => ({
  feed: null, offset: 0, per_page: 20, total: entries.length, next_offset: null, entries, ...extra,
});
