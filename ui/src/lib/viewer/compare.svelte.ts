// Which records are compared side by side (the selection bar's Compare, or C in the viewer). Kept as
// records, not grid indexes: a basket reloading under the compare does not change what it shows.
import type { GridItem } from "../bindings/GridItem";

export const MAX_COMPARED = 4;

/** The selection bar's Compare: two to four records. */
export const comparable = (count: number) => count >= 2 && count <= MAX_COMPARED;

export class CompareState {
  items = $state.raw<GridItem[]>([]);

  get open(): boolean {
    return this.items.length >= 2;
  }

  /** Compares the first four of `items` (stories have no picture to compare: left out). */
  show(items: GridItem[]) {
    const shown = items.filter((i) => i.kind !== "story").slice(0, MAX_COMPARED);
    if (shown.length >= 2) this.items = shown;
  }

  /** The grid's selected cells (`indexes` of `items`). */
  pick(indexes: number[], items: GridItem[]) {
    this.show(indexes.flatMap((i) => items[i] ?? []));
  }

  close() {
    this.items = [];
  }
}

export const compare = new CompareState();
