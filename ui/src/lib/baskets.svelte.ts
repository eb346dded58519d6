// Opening baskets for the browse store: the basket list and the open basket, each shown from its saved
// copy at once (what the app received last time) while the server is asked, then replaced in place.
import { ipc } from "./ipc";
import { savedCopy } from "./saved.svelte";
import { moved, sameRecords } from "./selection.svelte";
import type { BrowseState } from "./browse.svelte";
import type { Showing } from "./showing.svelte";
import type { BasketSummary } from "./bindings/BasketSummary";
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
    const answer = this.#h.run(s, () =>
      ipc.basket(s.profile, id, (bytes) => {
        if (current()) s.loadBytes = bytes;
      }),
    );
    const copied = keep
      ? null
      : savedCopy(() => ipc.cachedBasket(s.profile, id)).then((copy) => {
          // User timing marks, for make bench's timeline of a first screen (tests/bench/pages.rs).
          performance.mark(copy ? "basket: saved copy" : "basket: no saved copy");
          if (!copy || !current() || !s.loadingBasket) return;
          b.basket = copy.value;
          s.keep = true;
          s.basketCopy.shown(copy.saved_at);
        });
    const view = await answer;
    performance.mark("basket: answer");
    // Offline, the failure may come first: the copy still shows (while this load is still loading).
    if (!view) await copied;
    stop();
    if (s.problem?.code === "cancelled") s.problem = null;
    if (!current()) return;
    s.loadingBasket = false;
    // The load failed: a copy on screen stays there (the problem and its retry show with it).
    if (!view) return s.basketCopy.failed();
    const shown = s.keep && b.basket?.header.id === id ? b.basket.elements : null;
    b.basket = view;
    s.keep = false;
    if (shown) this.#follow(shown, view.elements);
    s.basketCopy.fresh(shown !== null && !sameRecords(shown, view.elements));
    // The list learns the element count once a basket was opened.
    b.baskets = (b.baskets ?? []).map((x) =>
      x.id === id ? { ...x, element_count: view.elements.length, unread: false } : x,
    );
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
