// Opening baskets for the browse store: the basket list and the open basket, each shown from its saved
// copy at once (what the app received last time) while the server is asked, then replaced in place.
import { ipc } from "./ipc";
import { savedCopy } from "./saved.svelte";
import { elementCount, isStartOf } from "./copy-start";
import { moved, sameRecords } from "./selection.svelte";
import type { BrowseState } from "./browse.svelte";
import type { Showing } from "./showing.svelte";
import type { BasketSummary } from "./bindings/BasketSummary";
import type { CachedStart } from "./bindings/CachedStart";
import type { GridItem } from "./bindings/GridItem";

/** What the loads need of the browse store beyond its public state. */
export type LoadsHost = {
  browse: BrowseState;
  /** The showing of the main view now (a new one after `leave`). */
  showing: () => Showing;
  /** The grid's cells are replaced (when the baskets section shows), or the section's kept grid is
   * forgotten (when another section shows). */
  replaced: () => void;
  /** Runs a task whose problem shows in the view. */
  run: <T>(s: Showing, task: () => Promise<T>) => Promise<T | undefined>;
};

/** How many elements of a saved copy come first: more than a first screen shows with the grid's screen
 * of rows below it, on any display (the whole follows). */
const FIRST_SCREEN = 500;

/** How long the server's answer may wait for a saved copy's first screen. */
const COPY_FIRST_MS = 200;

/** How long a fresh answer waits for the rest of a saved copy whose start shows. */
const WHOLE_WAIT_MS = 2000;

const wait = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Resolves once the page has drawn the next frame. */
const afterPaint = () =>
  new Promise<void>((done) =>
    typeof requestAnimationFrame === "function" ? requestAnimationFrame(() => setTimeout(done, 0)) : setTimeout(done, 0),
  );

/** A basket load's saved copy: whether the answer came, and whether the whole copy is on its way. */
type Copy = { answered: boolean; wholeComing: boolean };

/** A saved copy may still show: the answer has not come, the load is current and still loading. */
const showing = (s: Showing, current: () => boolean, copy: Copy) => !copy.answered && current() && s.loadingBasket;

const names = (l: BasketSummary[] | null) => (l ?? []).map((b) => `${b.id}:${b.name}`).join("\n");

export class BasketLoads {
  readonly #h: LoadsHost;

  constructor(host: LoadsHost) {
    this.#h = host;
  }

  /** The basket list (its saved copy first, when none shows yet), then the open basket again, in place. */
  async list() {
    const b = this.#h.browse;
    const s = this.#h.showing();
    let answered = false;
    const copied =
      b.baskets === null
        ? savedCopy(() => ipc.cachedBaskets(s.profile)).then((copy) => {
            if (!copy || answered || this.#h.showing() !== s || b.baskets !== null) return;
            b.baskets = copy.value;
            s.listCopy.shown(copy.saved_at);
          })
        : null;
    const list = await this.#h.run(s, () => ipc.baskets(s.profile));
    answered = list !== undefined;
    // Offline, the failure may come first: the copy still shows, said to be one.
    if (!list) await copied;
    if (list) {
      s.listCopy.fresh(names(b.baskets) !== names(list));
      b.baskets = list;
    } else s.listCopy.failed();
    if (b.basketId !== null) await this.open(b.basketId, true);
  }

  /** Opens a basket: its saved copy shows at once while the server is asked. `inPlace` reloads the
   * open basket where it is (its grid, scroll and selection stay until the answer replaces them). */
  async open(id: number, inPlace = false) {
    const b = this.#h.browse;
    const s = this.#h.showing();
    const load = ++s.basketLoad;
    const keep = inPlace && b.basketId === id && b.basket?.header.id === id;
    b.basketId = id;
    // Reloaded in place, the grid stays as it is (stories opened over it too).
    if (!keep) this.#h.replaced();
    s.keep = keep;
    // A copy on screen reloaded in place (Retry, records added) is still only a copy until the answer.
    const copyAt = keep && s.basketCopy.showing ? s.basketCopy.savedAt : null;
    s.basketCopy.clear();
    if (copyAt !== null) s.basketCopy.shown(copyAt);
    const stop = s.startLoad();
    // Another basket picked, a newer load, a cancel or the view gone: this load's answers are stale.
    const current = () => this.#h.showing() === s && s.basketLoad === load && b.basketId === id;
    const copy = { answered: false, wholeComing: false };
    // A saved copy's first screen is drawn before the server is asked (unless the disk is slow): here,
    // the answer's decoding (megabytes for a big basket) would hold that frame back; a real server takes
    // seconds anyway.
    const started = keep ? null : this.#start(s, id, current, copy);
    const copied = started?.then((shown) => shown && this.#whole(s, id, current, copy, shown));
    const ready = started ? Promise.race([started, wait(COPY_FIRST_MS)]) : Promise.resolve();
    const answer = ready.then(() =>
      current()
        ? this.#h.run(s, () =>
            ipc.basket(s.profile, id, (bytes) => {
              if (current()) s.loadBytes = bytes;
            }),
          )
        : undefined,
    );
    const view = await answer;
    performance.mark("basket: answer");
    // Offline, the failure may come first: the copy still shows (while this load is still loading).
    // A copy whose start shows is compared with the answer whole (the rest is on its way from the disk,
    // waited for a moment at most).
    if (!view) await copied;
    else if (copy.wholeComing) await Promise.race([copied, wait(WHOLE_WAIT_MS)]);
    copy.answered = true;
    stop();
    if (s.problem?.code === "cancelled") s.problem = null;
    if (!current()) return;
    s.loadingBasket = false;
    // The load failed: a copy on screen stays there (the problem and its retry show with it).
    if (!view) return s.basketCopy.failed();
    const shown = s.keep && b.basket?.header.id === id ? b.basket.elements : null;
    // A start alone (its whole never came) says nothing of the rest: "updated", not "changed".
    const onlyStart = b.basket !== null && elementCount(b.basket) !== b.basket.elements.length;
    b.basket = view;
    s.keep = false;
    if (shown) this.#follow(shown, view.elements);
    s.basketCopy.fresh(shown !== null && !onlyStart && !sameRecords(shown, view.elements));
    // The list learns the element count once a basket was opened.
    b.baskets = (b.baskets ?? []).map((x) =>
      x.id === id ? { ...x, element_count: view.elements.length, unread: false } : x,
    );
  }

  /** The start of a basket's saved copy (its first screen, a few kilobytes whatever its size), shown
   * until the answer; resolves once it is drawn, with what shows (null: no copy shows). */
  async #start(s: Showing, id: number, current: () => boolean, copy: Copy): Promise<CachedStart | null> {
    const b = this.#h.browse;
    const start = await savedCopy(() => ipc.cachedBasketStart(s.profile, id, FIRST_SCREEN));
    // User timing marks, for make bench's timeline of a first screen (tests/bench/pages.rs).
    performance.mark(start ? "basket: saved copy" : "basket: no saved copy");
    if (!start || !showing(s, current, copy)) return null;
    isStartOf(start.value, start.element_count);
    b.basket = start.value;
    s.keep = true;
    s.basketCopy.shown(start.saved_at);
    copy.wholeComing = start.value.elements.length < start.element_count;
    await afterPaint();
    return start;
  }

  /** The whole saved copy in place of its start, once that is drawn (a 10,000-element copy is 1.7 MB,
   * whose passage and parse would have held the first screen back). */
  async #whole(s: Showing, id: number, current: () => boolean, copy: Copy, start: CachedStart) {
    if (!copy.wholeComing) return;
    const b = this.#h.browse;
    const whole = await savedCopy(() => ipc.cachedBasket(s.profile, id));
    performance.mark("basket: whole copy");
    copy.wholeComing = false;
    // Unless the answer came, or the person changed the start meanwhile (its cells are the whole's first).
    if (whole && showing(s, current, copy) && b.basket === start.value) b.basket = whole.value;
  }

  /** A fresh copy of the basket replaced its cells: the scroll stays (the grid is the same), the
   * selection and the panel follow their records, when these are still there. */
  #follow(before: GridItem[], after: GridItem[]) {
    const b = this.#h.browse;
    if (b.stories.length > 0) return;
    b.selection.remap(before, after);
    const at = moved(b.selected, before, after);
    if (at === null && b.selected !== null) this.#h.showing().panel.clear();
    b.selected = at;
  }

  /** The open basket is gone (deleted): the view shows no basket. */
  close() {
    const b = this.#h.browse;
    const s = this.#h.showing();
    s.basketLoad++;
    s.loadingBasket = false;
    s.basketCopy.clear();
    b.basketId = null;
    b.basket = null;
    this.#h.replaced();
  }

  /** Stops the basket that is loading; the view goes back to "pick a basket". */
  cancel() {
    const s = this.#h.showing();
    this.#h.browse.basketId = null;
    s.loadingBasket = false;
    ipc.cancelBasket(s.profile).catch(() => {});
  }

  /** The open basket's grid is on screen: loaded, or a copy of it while it loads. */
  get shows(): boolean {
    const b = this.#h.browse;
    const s = this.#h.showing();
    return b.basket !== null && b.basket.header.id === b.basketId && (!s.loadingBasket || s.keep);
  }
}
