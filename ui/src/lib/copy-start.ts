// A saved basket's start (its first cells, shown while the rest of the copy comes from the disk) stands
// for the whole basket: what counts its elements counts all of them.
import type { BasketView } from "./bindings/BasketView";

/** The starts shown, and how many elements each one's basket holds (gone with the object). */
const totals = new WeakMap<BasketView, number>();

/** `view` is the start of a basket of `total` elements. */
export function isStartOf(view: BasketView, total: number): void {
  totals.set(view, total);
}

/** How many elements a basket shown holds: all of them, also while only its saved start shows. */
export const elementCount = (view: BasketView): number => totals.get(view) ?? view.elements.length;
