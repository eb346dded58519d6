// How the main view arranges what it shows: the sidebar's basket order, the grid's virtual rows.
// Pure functions, no state.
import { parseDate } from "./format";
import type { BasketSummary } from "./bindings/BasketSummary";

export type BasketSort = "newest" | "oldest" | "name";

/** Sorted and filtered basket list for the sidebar. */
export function visibleBaskets(all: BasketSummary[], sort: BasketSort, filter: string): BasketSummary[] {
  const needle = filter.trim().toLocaleLowerCase();
  const kept = needle
    ? all.filter((b) => `${b.name} ${b.description} ${b.owner ?? ""} ${b.pusher ?? ""}`.toLocaleLowerCase().includes(needle))
    : all.slice();
  // Unknown dates sort last.
  const time = (b: BasketSummary) => parseDate(b.updated_on ?? b.created_on) ?? 0;
  if (sort === "name") kept.sort((a, b) => a.name.localeCompare(b.name));
  else kept.sort((a, b) => (sort === "newest" ? time(b) - time(a) : time(a) - time(b)));
  return kept;
}

/** Rows and columns a virtualized grid needs for `count` cells of `cell` px in a `width` px viewport. */
export function gridLayout(count: number, width: number, cell: number, gap: number) {
  const columns = Math.max(1, Math.floor((width + gap) / (cell + gap)));
  const rows = Math.ceil(count / columns);
  return { columns, rows, rowHeight: cell + gap, height: rows * (cell + gap) };
}

/** The first and last row to render for a scroll position, with `overscan` rows either side. */
export function visibleRows(scrollTop: number, viewport: number, rowHeight: number, rows: number, overscan = 2) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rows - 1, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last };
}
