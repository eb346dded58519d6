// The grid's multi-selection: which cells of the grid shown are selected, by index, and the cell a
// Shift+click ranges from. Whatever the grid shows (a basket, a story, search results, a collection,
// feeds), the browse store clears it when the cells are replaced.
import type { GridItem } from "./bindings/GridItem";
import type { RecordRef } from "./bindings/RecordRef";

/** How a cell was clicked: Shift extends from the anchor, Ctrl/Cmd toggles one cell. */
export type How = { shift?: boolean; toggle?: boolean };

/** A record's key in a grid, as the cells' `data-record` says it. */
export const keyOf = (r: { databox_id: number; record_id: number }) => `${r.databox_id}/${r.record_id}`;

export const refOf = (r: { databox_id: number; record_id: number }): RecordRef => ({
  databox_id: r.databox_id,
  record_id: r.record_id,
});

/** Where each record of `before` is in `after` (the first cell holding it), by record key. */
function positions(after: GridItem[]): Map<string, number> {
  const at = new Map<string, number>();
  after.forEach((item, i) => {
    if (!at.has(keyOf(item))) at.set(keyOf(item), i);
  });
  return at;
}

/** The index in `after` of the record `before[index]` showed, or null when it is gone. */
export function moved(index: number | null, before: GridItem[], after: GridItem[]): number | null {
  const item = index === null ? undefined : before[index];
  return item ? (positions(after).get(keyOf(item)) ?? null) : null;
}

/** The same records, in the same order (element ids aside): nothing changed for the person. */
export function sameRecords(a: GridItem[], b: GridItem[]): boolean {
  return a.length === b.length && a.every((item, i) => b[i] !== undefined && keyOf(item) === keyOf(b[i]));
}

export class SelectionState {
  /** Replaced, never mutated: a new Set is what the grid sees change. */
  #set = $state.raw<ReadonlySet<number>>(new Set());
  /** The cell Shift+click ranges from: the last cell clicked without Shift. */
  anchor = $state<number | null>(null);
  /** Made with Ctrl/Cmd, Shift or Ctrl/Cmd+A: even one cell then shows the selection bar. A plain
   * selection (one click) follows the record panel instead. */
  explicit = $state(false);

  get size(): number {
    return this.#set.size;
  }

  get set(): ReadonlySet<number> {
    return this.#set;
  }

  has(index: number): boolean {
    return this.#set.has(index);
  }

  /** The selected indexes in grid order. */
  get indexes(): number[] {
    return [...this.#set].sort((a, b) => a - b);
  }

  /** The selection bar shows: two cells or more, or one picked on purpose. */
  get shown(): boolean {
    return this.#set.size >= 2 || (this.#set.size === 1 && this.explicit);
  }

  /** A click on a cell (or the keyboard moving to it). */
  click(index: number, how: How = {}) {
    if (how.shift && this.anchor !== null) {
      const [from, to] = this.anchor <= index ? [this.anchor, index] : [index, this.anchor];
      this.#set = new Set(Array.from({ length: to - from + 1 }, (_, i) => from + i));
      this.explicit = true;
    } else if (how.toggle) {
      const next = new Set(this.#set);
      if (!next.delete(index)) next.add(index);
      this.#set = next;
      this.anchor = index;
      this.explicit = true;
    } else this.only(index);
  }

  /** Just this cell, as a plain click (the panel's cell). */
  only(index: number) {
    this.#set = new Set([index]);
    this.anchor = index;
    this.explicit = false;
  }

  /** Ctrl/Cmd+A: every cell of the grid. */
  all(count: number) {
    if (count === 0) return;
    this.#set = new Set(Array.from({ length: count }, (_, i) => i));
    this.explicit = true;
  }

  clear() {
    if (this.#set.size > 0) this.#set = new Set();
    this.anchor = null;
    this.explicit = false;
  }

  /** The grid's cells were replaced by a fresh copy: the records still there stay selected. */
  remap(before: GridItem[], after: GridItem[]) {
    if (this.#set.size === 0) return;
    const at = positions(after);
    const kept = new Set<number>();
    for (const i of this.#set) {
      const item = before[i];
      const to = item ? at.get(keyOf(item)) : undefined;
      if (to !== undefined) kept.add(to);
    }
    this.#set = kept;
    this.anchor = moved(this.anchor, before, after);
    if (kept.size === 0) this.explicit = false;
  }

  /** The selected cells' records, in grid order. */
  refs(items: GridItem[]): RecordRef[] {
    return this.indexes.flatMap((i) => {
      const item = items[i];
      return item ? [refOf(item)] : [];
    });
  }
}
