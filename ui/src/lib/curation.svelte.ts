// Curating baskets: creating, renaming, describing and deleting them; adding the grid's selection to a
// basket (the add menu, or a drop on the sidebar) and removing it from the open one. Only the user's own
// baskets change (the app's rule, `own`), and records only on servers with API v2. Changes show at
// once; when the server refuses, they roll back and a message names what failed.
import { ipc } from "./ipc";
import { t } from "./i18n";
import { attempt, type Problem } from "./errors";
import { keyOf, refOf } from "./selection.svelte";
import { elementCount } from "./copy-start";
import type { BrowseState } from "./browse.svelte";
import type { BasketHeader } from "./bindings/BasketHeader";
import type { BasketSummary } from "./bindings/BasketSummary";
import type { BasketView } from "./bindings/BasketView";
import type { GridItem } from "./bindings/GridItem";
import type { RecordRef } from "./bindings/RecordRef";

/** The drag data type of grid cells: their record refs, as JSON. */
export const DRAG_TYPE = "application/x-phraseanet-records";

/** The basket form: a new basket (and the records to add to it once created), or the open basket's
 * name or description. */
export type BasketForm = { mode: "new"; records: RecordRef[] } | { mode: "rename" | "describe"; basketId: number };

/** How long "3 added to “X”" stays. */
const NOTE_MS = 5000;

/** The records a drag carried, or [] when the data is not a list of record refs. */
export function parseRefs(data: string): RecordRef[] {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const id = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  const refs = value.filter(
    (r): r is RecordRef => typeof r === "object" && r !== null && id(r.databox_id) && id(r.record_id),
  );
  return refs.length === value.length ? refs.map(refOf) : [];
}

/** Why a basket cannot be changed, or null when it is the user's own. */
export function readonlyReason(b: Pick<BasketHeader, "own" | "shared_by" | "pusher" | "owner">): string | null {
  if (b.own) return null;
  if (b.shared_by) return t.readonlyShared(b.shared_by);
  if (b.pusher) return t.readonlyPushed(b.pusher);
  if (b.owner) return t.readonlyOwned(b.owner);
  return t.readonlyOther;
}

export class CurationState {
  /** Per profile: whether its server can add and remove basket records (asked once). */
  #support = $state<Record<string, boolean>>({});
  #asking = new Set<string>();
  form = $state.raw<BasketForm | null>(null);
  /** The delete confirmation of the open basket shows. */
  confirming = $state(false);
  /** Why the form's or the confirmation's last try failed (shown in it). */
  dialogProblem = $state<Problem | null>(null);
  busy = $state(false);
  /** What the last change did (`#curation-note`), and what failed, named (`#curation-error`). */
  note = $state("");
  problem = $state<Problem | null>(null);
  #noteTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #b: BrowseState;

  constructor(browse: BrowseState) {
    this.#b = browse;
  }

  /** The shown profile's server can add and remove records; null until it said. */
  get supported(): boolean | null {
    return this.#support[this.#b.profile] ?? null;
  }

  /** Asks the profile's server once whether it can add and remove records (again after a failure). */
  async ensure(profile: string) {
    if (!profile || profile in this.#support || this.#asking.has(profile)) return;
    this.#asking.add(profile);
    try {
      const answer = await ipc.curationSupport(profile);
      this.#support = { ...this.#support, [profile]: answer.records };
    } catch {
      // Unknown: adding stays hidden, and the next showing asks again.
    } finally {
      this.#asking.delete(profile);
    }
  }

  /** The open basket, when the grid shows its own elements (not a story opened in it). */
  get gridBasket(): BasketView | null {
    const b = this.#b;
    return b.section === "baskets" && b.stories.length === 0 && b.showsBasket ? b.basket : null;
  }

  /** The baskets the add menu offers: the user's own, but the one whose elements the grid shows. */
  get targets(): BasketSummary[] {
    const shown = this.gridBasket?.header.id;
    return (this.#b.baskets ?? []).filter((x) => x.own && x.id !== shown);
  }

  /** The grid's selection can leave the basket it shows. */
  get canRemove(): boolean {
    return this.supported === true && this.gridBasket?.header.own === true;
  }

  /** A basket takes records (a drop, the add menu): the user's own, on a server that can add them. */
  accepts(basketId: number): boolean {
    return this.supported === true && (this.#b.baskets ?? []).some((x) => x.id === basketId && x.own);
  }

  #say(text: string) {
    clearTimeout(this.#noteTimer);
    this.note = text;
    this.#noteTimer = setTimeout(() => (this.note = ""), NOTE_MS);
  }

  /** Reports a failure with what it was about: `lead` first, then the server's words. */
  #report(lead: string) {
    return (p: Problem | null) => {
      this.problem = p && { ...p, message: `${lead} ${p.message}` };
    };
  }

  /** Sets a basket's count in the sidebar. */
  #count(basketId: number, count: number | null) {
    const b = this.#b;
    b.baskets = (b.baskets ?? []).map((x) => (x.id === basketId ? { ...x, element_count: count } : x));
  }

  // The basket form (`#basket-form`) and the delete confirmation (`#confirm-delete`).

  /** A new basket; `records` are added to it once it exists ("New basket…" of the add menu). */
  openNew(records: RecordRef[] = []) {
    this.dialogProblem = null;
    this.confirming = false;
    this.form = { mode: "new", records };
  }

  /** The open basket's name or description, when it is the user's own. */
  openEdit(mode: "rename" | "describe") {
    const view = this.#b.basket;
    if (!view || !view.header.own) return;
    this.dialogProblem = null;
    this.confirming = false;
    this.form = { mode, basketId: view.header.id };
  }

  askDelete() {
    if (!this.#b.basket?.header.own) return;
    this.dialogProblem = null;
    this.form = null;
    this.confirming = true;
  }

  closeDialog() {
    this.form = null;
    this.confirming = false;
    this.dialogProblem = null;
  }

  /** Signed out, or another account: nothing of this one's dialogs and notes stays. */
  reset() {
    this.closeDialog();
    clearTimeout(this.#noteTimer);
    this.note = "";
    this.problem = null;
  }

  /** Runs a dialog's task once at a time; its failure shows in the dialog. */
  async #dialog<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    try {
      return await attempt(task, (p) => (this.dialogProblem = p));
    } finally {
      this.busy = false;
    }
  }

  /** The form's Save: creates the basket, or renames or describes the open one. */
  async save(name: string, description: string): Promise<boolean> {
    const form = this.form;
    const b = this.#b;
    const profile = b.profile;
    if (!form) return false;
    if (form.mode === "new") {
      const created = await this.#dialog(() => ipc.createBasket(profile, name.trim(), description.trim()));
      if (!created || b.profile !== profile) return false;
      b.baskets = [created, ...(b.baskets ?? []).filter((x) => x.id !== created.id)];
      this.form = null;
      this.#say(t.basketCreated(created.name));
      // From the add menu the grid stays (the records go there); from the sidebar the new basket opens.
      if (form.records.length > 0) await this.add(created.id, form.records);
      else void b.openBasket(created.id);
      return true;
    }
    const id = form.basketId;
    const changed = await this.#dialog(() =>
      form.mode === "rename" ? ipc.renameBasket(profile, id, name.trim()) : ipc.describeBasket(profile, id, description),
    );
    if (!changed || b.profile !== profile) return false;
    this.#apply(changed);
    this.form = null;
    return true;
  }

  /** A basket's new name or description, in the list and in the open basket's header. */
  #apply(summary: BasketSummary) {
    const b = this.#b;
    b.baskets = (b.baskets ?? []).map((x) =>
      x.id === summary.id ? { ...summary, element_count: summary.element_count ?? x.element_count } : x,
    );
    const open = b.basket;
    if (open?.header.id === summary.id) {
      const { name, description, updated_on } = summary;
      b.basket = { ...open, header: { ...open.header, name, description, updated_on } };
    }
  }

  /** What the confirmation counts: the open basket's elements, else the list's count. */
  get deleteCount(): number | null {
    const b = this.#b;
    const view = b.basket;
    if (!view) return null;
    if (b.showsBasket) return elementCount(view);
    return b.baskets?.find((x) => x.id === view.header.id)?.element_count ?? null;
  }

  /** `#confirm-delete-yes`: the basket leaves the server, the list, and the view. */
  async confirmDelete(): Promise<boolean> {
    const b = this.#b;
    const header = b.basket?.header;
    const profile = b.profile;
    if (!header || !header.own) return false;
    const { id, name } = header;
    const done = await this.#dialog(async () => (await ipc.deleteBasket(profile, id), true));
    if (!done || b.profile !== profile) return false;
    b.baskets = (b.baskets ?? []).filter((x) => x.id !== id);
    if (b.basketId === id) b.closeBasket();
    this.confirming = false;
    this.#say(t.basketDeleted(name));
    return true;
  }

  // Records: the add menu, a drop on the sidebar, the selection bar's Remove.

  /** Adds records to an own basket; its count in the sidebar follows, and it reloads when it is open. */
  async add(basketId: number, records: RecordRef[]): Promise<boolean> {
    const b = this.#b;
    const profile = b.profile;
    const target = b.baskets?.find((x) => x.id === basketId);
    if (!target || !this.accepts(basketId) || records.length === 0) return false;
    const change = await attempt(
      () => ipc.addToBasket(profile, basketId, records),
      this.#report(t.addFailed(records.length, target.name)),
    );
    if (!change || b.profile !== profile) return false;
    const before = b.baskets?.find((x) => x.id === basketId)?.element_count ?? null;
    this.#count(basketId, change.element_count ?? (before === null ? null : before + change.changed));
    this.#say(t.added(change.changed, target.name, change.unchanged));
    // The open basket shows its new elements (its count then comes from them).
    const open = b.basketId === basketId && b.basket?.header.id === basketId;
    if (open && change.changed > 0) void b.pickBasket(basketId, true);
    return true;
  }

  /** The add menu: the grid's selection goes into `basketId`. */
  addSelection(basketId: number) {
    const b = this.#b;
    return this.add(basketId, b.selection.refs(b.items));
  }

  /** The records a drag of cell `index` carries: the selection when the cell is in it, else the cell. */
  dragged(index: number): RecordRef[] {
    const b = this.#b;
    if (b.selection.has(index)) return b.selection.refs(b.items);
    const item = b.items[index];
    return item ? [refOf(item)] : [];
  }

  /** Dragged cells dropped on a basket of the sidebar (`data`: the drag's JSON of record refs). */
  drop(basketId: number, data: string): Promise<boolean> {
    const records = parseRefs(data);
    if (records.length === 0 || !this.accepts(basketId)) return Promise.resolve(false);
    return this.add(basketId, records);
  }

  /** `#selection-remove`: the selected elements leave the open basket at once, and come back where
   * they were if the server refuses. */
  async removeSelection(): Promise<boolean> {
    const b = this.#b;
    const view = this.gridBasket;
    const profile = b.profile;
    if (!view || !this.canRemove) return false;
    const { id, name } = view.header;
    const picked = new Set(b.selection.indexes);
    const gone: { index: number; item: GridItem }[] = [];
    view.elements.forEach((item, index) => {
      if (picked.has(index)) gone.push({ index, item });
    });
    if (gone.length === 0) return false;
    const countBefore = b.baskets?.find((x) => x.id === id)?.element_count ?? view.elements.length;
    const left = view.elements.filter((_, i) => !picked.has(i));
    b.basket = { ...view, elements: left };
    b.unselect(true);
    this.#count(id, left.length);
    const change = await attempt(
      () => ipc.removeFromBasket(profile, id, gone.map((g) => refOf(g.item))),
      this.#report(t.removeFailed(gone.length, name)),
    );
    if (b.profile !== profile) return false;
    const open = b.basket?.header.id === id ? b.basket : null;
    if (!change) {
      // Back where they were (unless a reload of the basket brought them back already).
      if (!open) {
        this.#count(id, countBefore);
        return false;
      }
      const there = new Set(open.elements.map(keyOf));
      const back = [...open.elements];
      for (const g of gone) if (!there.has(keyOf(g.item))) back.splice(Math.min(g.index, back.length), 0, g.item);
      b.basket = { ...open, elements: back };
      this.#count(id, back.length);
      return false;
    }
    this.#count(id, open ? open.elements.length : change.element_count);
    this.#say(t.removed(change.changed, name));
    return true;
  }
}
