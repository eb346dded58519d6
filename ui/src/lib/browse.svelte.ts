// What the main view shows: it outlives the screens (a re-sign-in comes back to the same basket).
// The main view's controller too: Main.svelte renders this state and calls these methods. What it
// reads (the state, the current showing's problem, load, panel and cells) is in browse-view.svelte.ts.
import { ipc } from "./ipc";
import { t } from "./i18n";
import { attempt, isBrowserFailure } from "./errors";
import type { BasketSummary } from "./bindings/BasketSummary";
import type { DownloadEvent } from "./bindings/DownloadEvent";
import type { RecordRef } from "./bindings/RecordRef";
import { FeedsState, isTyped, SearchState, type Host } from "./library.svelte";
import { CollectionsState } from "./collections.svelte";
import { SearchListsState } from "./searches.svelte";
import { fresh, Showing, type Kept, type Return } from "./showing.svelte";
import { keyOf, refOf, SelectionState, type How } from "./selection.svelte";
import { CurationState } from "./curation.svelte";
import { BasketLoads } from "./baskets.svelte";
import { lastView, placeOf, Remembering, restoreView, type LastView } from "./continuity";
import { keeping } from "./keep.svelte";
import { BrowseView, type Section } from "./browse-view.svelte";
import { downloadAllAs } from "./downloads";

export type { Section } from "./browse-view.svelte";

export class BrowseState extends BrowseView {
  /** Each section left keeps its open stories, selection and scroll for when it comes back. */
  #saved: Partial<Record<Section, Kept>> = {};
  /** One return point per open story, innermost last. */
  #trail: Return[] = [];
  /** The grid's scroll position as it last reported it; a grid that appears starts there. Not state:
   * the grid reads it when it appears, and scrolling must not re-render anything. */
  #gridScroll = 0;
  get gridScroll(): number {
    return this.#gridScroll;
  }
  set gridScroll(top: number) {
    this.#gridScroll = top;
    this.#remember.soon();
  }
  /** Where the view is, written for the next sign-in or launch (see continuity.ts). */
  #remember = new Remembering(() => ({ profile: this.profile, view: placeOf(this, this.#trail[0]) }));
  /** The profile whose last view was restored (once per profile, until `reset`). */
  #restoredFor = "";
  #host: Host = {
    profile: () => this.current.profile,
    replaced: () => {
      this.stories = [];
      this.#trail = [];
      this.gridScroll = 0;
      this.selected = null;
      this.viewer = false;
      this.current.panel.clear();
      this.selection.clear();
      // A search, a feed or a collection picked: a new place.
      this.#remember.now();
    },
  };
  #loads = new BasketLoads({
    browse: this,
    showing: () => this.current,
    replaced: () => {
      if (this.section === "baskets") this.#host.replaced();
      else this.#saved.baskets = fresh();
    },
    run: (s, task) => this.#run(s, task),
  });
  /** Which cells are selected (the panel shows one of them). */
  selection = new SelectionState();
  /** Creating, renaming, deleting baskets; adding and removing records. */
  curation = new CurationState(this);
  searches = new SearchListsState(this.#host);
  // Each first page of a typed or filtered search adds a recent search on the backend's side.
  search = new SearchState(this.#host, (request) => {
    if (isTyped(request)) void this.searches.refresh();
  });
  collections = new CollectionsState(this.#host);
  feeds = new FeedsState(this.#host);

  /** The open basket's line of the list, while its content is not on screen (loading, or failed):
   * its header shows from it, never another basket's grid. */
  get pendingBasket(): BasketSummary | null {
    if (this.basketId === null || this.showsBasket) return null;
    return this.baskets?.find((b) => b.id === this.basketId) ?? null;
  }
  /** The open basket's grid is on screen: loaded, or a copy of it while it loads. */
  get showsBasket(): boolean {
    return this.#loads.shows;
  }


  reset() {
    this.baskets = null;
    this.basketId = null;
    this.basket = null;
    this.stories = [];
    this.#trail = [];
    this.gridScroll = 0;
    this.selected = null;
    this.selection.clear();
    this.viewer = false;
    this.section = "baskets";
    this.#saved = {};
    this.search.reset();
    this.searches.reset();
    this.collections.reset();
    this.feeds.reset();
    this.curation.reset();
    this.#remember.reset();
    this.#restoredFor = "";
  }

  /** The sidebar's tab strip: the basket (or search, collection, feed) shown stays as it was left. */
  setSection(section: Section) {
    if (section === this.section) return;
    this.#saved[this.section] = {
      stories: this.stories,
      trail: this.#trail,
      selected: this.selected,
      scroll: this.gridScroll,
    };
    const back = this.#saved[section] ?? fresh();
    this.section = section;
    this.viewer = false;
    this.stories = back.stories;
    this.#trail = back.trail;
    this.gridScroll = back.scroll;
    this.selected = null;
    this.selection.clear();
    this.current.panel.clear();
    if (back.selected !== null) void this.select(back.selected);
    this.#sectionShown();
    this.#remember.now();
  }

  /** What a section needs once it shows (each loads once per profile). */
  #sectionShown() {
    if (this.section === "search") {
      this.searches.ensure();
      void this.collections.ensure();
    }
    if (this.section === "collections") void this.collections.ensure();
    if (this.section === "feeds" && this.feeds.list === null) void this.feeds.load();
  }

  /** The main view shows `profile` (first, or another account now): it (re)loads what it shows. */
  show(profile: string) {
    this.current.profile = profile;
    // After sign-in or a launch, the last view reopens (asked at once, opened once the list is in).
    const remembered = this.#restoredFor !== profile && this.#showsNothing() ? lastView(profile) : null;
    this.#restoredFor = profile;
    void this.loadBaskets().then(() => (remembered ? this.#restore(profile, remembered) : undefined));
    void this.curation.ensure(profile);
    this.#sectionShown();
    ipc
      .downloads()
      .then((d) => {
        this.downloads = d;
      })
      .catch(() => {});
    if (!this.playerBase) ipc.mediaBase().then((b) => (this.playerBase = b)).catch(() => {});
  }

  /** Nothing was opened yet: a first showing after sign-in or a launch (a re-sign-in keeps its view). */
  #showsNothing(): boolean {
    return this.section === "baskets" && this.basketId === null && this.stories.length === 0;
  }

  /** Reopens where the profile left off, unless the person went somewhere meanwhile. */
  async #restore(profile: string, remembered: Promise<LastView | null>) {
    const view = await remembered;
    if (!view || this.profile !== profile || !this.#showsNothing()) return;
    this.#remember.paused = true;
    try {
      await restoreView(this, view);
    } finally {
      this.#remember.paused = false;
    }
  }

  /** The main view went away: the next one starts afresh. */
  leave() {
    this.current = new Showing();
  }

  /** Runs a task of showing `s`; its problem shows in the view (`#browse-error`), and Retry (when the
   * problem says it can work) does `again`, else reloads the list and the open basket in place. */
  #run<T>(s: Showing, task: () => Promise<T>, again?: () => unknown): Promise<T | undefined> {
    return attempt(task, (p) => {
      s.problem = p;
      s.again = p ? (again ?? null) : null;
      if (!p) s.browserLink = null;
    });
  }

  /** Retry of the view's problem (`#browse-error-retry`). */
  retry() {
    const again = this.current.again ?? (() => this.loadBaskets());
    void again();
  }

  /** The ✕ of the view's problem. */
  dismissProblem() {
    this.current.problem = null;
    this.current.browserLink = null;
  }

  /** Retry of a failed search page: the first page again, or the next one. */
  retrySearch() {
    void (this.search.page ? this.search.more() : this.search.run());
  }

  /** Retry of the record panel (`#record-error-retry`). */
  retryRecord() {
    if (this.selected !== null) void this.select(this.selected);
  }

  /** The basket list (its saved copy first), then the open basket again, in place; and which of them
   * are kept offline (a local list, answered offline too). */
  loadBaskets() {
    void keeping.load(this.profile);
    return this.#loads.list();
  }

  /** Opens a basket, its saved copy at once; `inPlace` reloads the open one where it is. */
  pickBasket(id: number, inPlace = false) {
    // Another basket's content must not stay under this one (its header shows from the list, then its
    // saved copy or its content; or its problem with Retry).
    if (this.basket && this.basket.header.id !== id) this.basket = null;
    const opening = this.#loads.open(id, inPlace);
    this.#remember.now();
    return opening;
  }

  /** The open basket is gone (deleted): the view shows no basket. */
  closeBasket() {
    this.#loads.close();
    this.#remember.now();
  }

  /** Stops the basket that is loading (`#cancel-basket`); the view goes back to "pick a basket". */
  cancelBasket() {
    this.#loads.cancel();
  }

  /** A click on a cell (`how`: Shift, Ctrl/Cmd): the selection changes, the panel shows the cell. */
  pick(index: number, how: How = {}) {
    this.selection.click(index, how);
    if (this.selection.has(index)) void this.select(index);
  }

  /** The panel closes (✕, or Esc with `all`): a plain selection goes with it, a multi-selection stays. */
  unselect(all = false) {
    this.selected = null;
    if (all || !this.selection.explicit) this.selection.clear();
    this.#remember.soon();
  }

  /** Shows a cell's record in the panel: its saved copy at once, if any, then the server's answer. */
  async select(index: number) {
    const s = this.current;
    this.selected = index;
    this.#remember.soon();
    if (!this.selection.explicit) this.selection.only(index);
    const target = this.items[index];
    if (!target) return;
    s.panel.clear();
    if (!this.viewer) void this.loadRelated();
    const basketId = this.basketId;
    const element =
      target.element_id !== null && basketId !== null && this.stories.length === 0 && this.section === "baskets"
        ? { basket_id: basketId, element_id: target.element_id }
        : null;
    // Another tile was selected meanwhile: its details are not the panel's. (By record: a fresh copy
    // of the basket may replace the cells while the panel loads.)
    const mine = () => {
      const shown = this.items[this.selected ?? -1];
      return shown !== undefined && keyOf(shown) === keyOf(target);
    };
    await s.panel.load(s.profile, refOf(target), element, mine);
  }

  /** Loads "Where is it used" for the record in the panel, unless it is loaded or loading already
   * (not while the viewer steps through records: closing it loads the one it shows). */
  async loadRelated() {
    const item = this.item;
    if (item) await this.current.panel.loadRelated(this.current.profile, refOf(item));
  }

  /** A basket of "Where is it used": the baskets section, that basket open. */
  openBasket(id: number) {
    this.setSection("baskets");
    return this.pickBasket(id);
  }

  /** Opens a cell: a story opens in the grid, a record in the viewer. */
  async open(index: number) {
    const s = this.current;
    const target = this.items[index];
    if (!target) return;
    // A story whose type was edited on the server looks like a record in the grid; its details say.
    if (target.kind !== "story" && this.selected !== index) await this.select(index);
    if (target.kind === "story" || (this.selected === index && s.panel.details?.kind === "story")) {
      await this.openStory({ databox_id: target.databox_id, record_id: target.record_id });
      return;
    }
    if (this.selected !== index) await this.select(index);
    this.viewer = true;
  }

  /** Opens a story over the grid (a story cell, or a story of "Where is it used"); the grid's scroll
   * and selection are kept for `#story-back`. */
  async openStory(ref: RecordRef) {
    const s = this.current;
    const section = this.section;
    const view = await this.#run(s, () => ipc.story(s.profile, ref), () => this.openStory(ref));
    if (!view || this.section !== section) return;
    this.#trail = [...this.#trail, { scroll: this.gridScroll, selected: this.selected }];
    this.gridScroll = 0;
    this.stories = [...this.stories, view];
    this.selected = null;
    this.selection.clear();
    this.viewer = false;
    s.panel.clear();
  }

  /** Back from the innermost story (`#story-back`): the grid as it was when the story opened. */
  closeStory() {
    const back = this.#trail.at(-1) ?? { scroll: 0, selected: null };
    this.#trail = this.#trail.slice(0, -1);
    this.stories = this.stories.slice(0, -1);
    this.gridScroll = back.scroll;
    this.selected = null;
    this.selection.clear();
    this.current.panel.clear();
    if (back.selected !== null) void this.select(back.selected);
  }

  /** The viewer closes: the panel shows its record, with "Where is it used". */
  closeViewer() {
    this.viewer = false;
    void this.loadRelated();
  }

  /** The viewer's previous / next record. */
  move(delta: number) {
    const next = (this.selected ?? 0) + delta;
    if (next >= 0 && next < this.items.length) void this.select(next);
  }

  /** The picked cells' originals (`#selection-download`), like a basket's. */
  async downloadSelection() {
    const s = this.current;
    const records = this.selection.refs(this.items);
    if (records.length === 0) return;
    this.downloadsOpen = true;
    await this.#run(s, () => ipc.downloadRecords(s.profile, records, this.#track));
  }

  /** The profile's downloads left unfinished by the last run, started again (once per run). */
  resumeDownloads() {
    const s = this.current;
    if (!s.profile) return;
    void this.#run(s, () => ipc.resumeDownloads(s.profile, this.#track));
  }

  #track = (e: DownloadEvent) => {
    const rest = this.downloads.filter((d) => d.id !== e.item.id);
    this.downloads = [...rest, e.item].sort((a, b) => a.id - b.id);
  };

  /** Downloads the selected record (`subdef` null: the original). */
  async download(subdef: string | null) {
    const s = this.current;
    const item = this.item;
    if (!item) return;
    this.downloadsOpen = true;
    await this.#run(s, () =>
      ipc.downloadRecord(s.profile, { databox_id: item.databox_id, record_id: item.record_id }, subdef, this.#track),
    );
  }

  async downloadBasket() {
    const s = this.current;
    const basketId = this.basketId;
    if (basketId === null) return;
    this.downloadsOpen = true;
    const zip = downloadAllAs() === "zip";
    await this.#run(s, () => ipc.downloadBasket(s.profile, basketId, zip, this.#track));
  }

  async openLightbox() {
    const s = this.current;
    const basketId = this.basketId as number;
    const link = this.basket?.header.id === basketId ? (this.basket.header.vote?.lightbox_url ?? null) : null;
    await this.#run(s, () => ipc.openLightbox(s.profile, basketId), () => this.openLightbox());
    // No browser opened: say so in words, and offer the address to copy (`#copy-browser-link`).
    if (isBrowserFailure(s.problem) && s.problem) {
      s.problem = { ...s.problem, message: t.lightboxFailed, detail: s.problem.detail ?? s.problem.message, hint: null };
      s.browserLink = link;
    }
  }

  /** Copies `text` to the clipboard, with a short note that it did. */
  async copy(text: string) {
    const s = this.current;
    if ((await this.#run(s, async () => (await ipc.copyText(text), true))) === undefined) return;
    s.note = t.copied;
    setTimeout(() => (s.note = ""), 2000);
  }
}

export const browse = new BrowseState();
