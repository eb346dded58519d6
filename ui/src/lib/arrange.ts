// How the main view arranges what it shows: the sidebar's and the home view's basket order, the
// grid's justified, virtual rows and the keyboard's moves in them. Pure functions, no state.
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

/** Rows and columns for `count` square cells of `cell` px in a `width` px viewport (the main grid is
 * justified instead, below). */
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

/** Baskets for the home view: unread first, then the newest (unknown dates last), then by name. */
export function homeOrder(all: BasketSummary[]): BasketSummary[] {
  const time = (b: BasketSummary) => parseDate(b.updated_on ?? b.created_on) ?? -Infinity;
  return all
    .slice()
    .sort((a, b) => Number(b.unread) - Number(a.unread) || time(b) - time(a) || a.name.localeCompare(b.name));
}

// --- The justified grid ---
//
// Rows fill the width edge to edge: each row is a run of cells whose widths follow their thumbnails'
// aspect ratios, scaled together to the row's height. The slider sets the height rows aim for; a row
// comes out a little taller or shorter so that it spans the width exactly. The last row keeps the
// aimed height unless it is nearly full. Cells keep their image's shape (no mats), so `object-fit:
// cover` only trims the clamped extremes (panoramas, very tall pages).

/** Aspect ratios (width / height) are clamped to this range: a panorama or a tall page would make a
 * row a sliver or a single cell a column. */
export const MIN_ASPECT = 0.66;
export const MAX_ASPECT = 2.4;
/** The last row is stretched to the full width only when it is at least this full. */
const STRETCH_LAST = 0.75;

export type GridRow = {
  /** Top of the row's images, in px from the top of the scrolled space. */
  top: number;
  /** Height of the row's images (the label sits under them). */
  height: number;
  /** Index of the row's first cell; the row ends where the next one starts. */
  first: number;
  end: number;
};

export type Justified = {
  rows: GridRow[];
  /** Left edge and width of each cell, by index. */
  x: Float64Array;
  w: Float64Array;
  /** Height of the whole scrolled space. */
  height: number;
  gap: number;
  label: number;
};

/** The aspect ratio a cell is laid out with: its thumbnail's, clamped; square without one. */
export function aspectOf(thumb: { w: number; h: number } | null | undefined): number {
  if (!thumb || !(thumb.w > 0) || !(thumb.h > 0)) return 1;
  return Math.min(MAX_ASPECT, Math.max(MIN_ASPECT, thumb.w / thumb.h));
}

/**
 * Lays out cells of the given aspect ratios in rows `width` px wide (a `gap` around and between
 * cells), aiming at images `target` px high with a `label` px caption under each. O(n): 10,000 cells
 * take well under a millisecond, so it runs again on every resize.
 */
export function justify(aspects: ArrayLike<number>, width: number, target: number, gap: number, label: number): Justified {
  const n = aspects.length;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const rows: GridRow[] = [];
  const inner = width - 2 * gap;
  let top = gap;
  /** Cells `[first, end)` as one row: stretched to the full width, or at `height` from the left. */
  const place = (first: number, end: number, height: number, stretch: boolean) => {
    let sum = 0;
    for (let i = first; i < end; i++) sum += aspects[i] ?? 1;
    const free = inner - (end - first - 1) * gap;
    const h = stretch && free > 0 ? free / sum : height;
    let left = gap;
    for (let i = first; i < end; i++) {
      const cellWidth = (aspects[i] ?? 1) * h;
      x[i] = left;
      w[i] = cellWidth;
      left += cellWidth + gap;
    }
    // The last cell ends exactly at the right edge, whatever the floating-point sums did.
    if (stretch && free > 0) w[end - 1] = gap + inner - (x[end - 1] ?? 0);
    rows.push({ top, height: h, first, end });
    top += h + label + gap;
  };

  let first = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const a = aspects[i] ?? 1;
    const count = i - first + 1;
    const free = inner - (count - 1) * gap;
    if (inner <= 0) {
      // No width yet (jsdom, a window being built): one cell per row at the aimed height.
      place(i, i + 1, target, false);
      first = i + 1;
      continue;
    }
    if ((sum + a) * target < free) {
      sum += a;
      continue;
    }
    // Cell i would overflow the row at the aimed height: close the row with it (the row shrinks) or
    // without it (the row grows), whichever lands nearer the aimed height.
    const withIt = free / (sum + a);
    const without = count > 1 ? (free + gap) / sum : Infinity;
    if (count > 1 && Math.abs(Math.log(without / target)) < Math.abs(Math.log(withIt / target))) {
      place(first, i, target, true);
      first = i;
      sum = a;
    } else {
      place(first, i + 1, target, true);
      first = i + 1;
      sum = 0;
    }
  }
  if (first < n) {
    const free = inner - (n - first - 1) * gap;
    const full = inner > 0 && (sum * target) / free >= STRETCH_LAST;
    place(first, n, target, full);
  }
  return { rows, x, w, height: rows.length ? top : 0, gap, label };
}

/** The rows `[first, last]` that meet the band `[top - overscan, top + viewport + overscan]`. */
export function rowsInView(layout: Justified, scrollTop: number, viewport: number, overscan: number) {
  const { rows } = layout;
  if (rows.length === 0) return { first: 0, last: -1 };
  const from = scrollTop - overscan;
  const to = scrollTop + viewport + overscan;
  // The first row whose bottom is below `from`, by bisection: rows are sorted by top.
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid] as GridRow;
    if (r.top + r.height + layout.label < from) lo = mid + 1;
    else hi = mid;
  }
  let last = lo;
  while (last + 1 < rows.length && (rows[last + 1] as GridRow).top <= to) last++;
  return { first: lo, last };
}

/** The row cell `index` is in (bisection). */
export function rowOf(layout: Justified, index: number): number {
  const { rows } = layout;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((rows[mid] as GridRow).first <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The cell of row `row` whose middle is nearest to `centre` (px from the left). */
function nearestIn(layout: Justified, row: number, centre: number): number {
  const r = layout.rows[row] as GridRow;
  let best = r.first;
  let distance = Infinity;
  for (let i = r.first; i < r.end; i++) {
    const d = Math.abs((layout.x[i] ?? 0) + (layout.w[i] ?? 0) / 2 - centre);
    if (d < distance) {
      distance = d;
      best = i;
    }
  }
  return best;
}

/** Where ↑/↓ go from cell `index`: the nearest cell, by its middle, `delta` rows away (clamped to the
 * first and last row; from the first row ↑ goes to the first cell, from the last ↓ to the last). */
export function verticalMove(layout: Justified, index: number, delta: number): number {
  const rows = layout.rows.length;
  if (rows === 0) return index;
  const row = rowOf(layout, index);
  const target = row + delta;
  if (target < 0) return 0;
  if (target >= rows) return (layout.rows[rows - 1] as GridRow).end - 1;
  return nearestIn(layout, target, (layout.x[index] ?? 0) + (layout.w[index] ?? 0) / 2);
}

/** Where PageUp (`direction` -1) and PageDown (+1) go: the cell about one screen (`viewport` px) away,
 * in the same column as near as the rows allow; the first or last cell once there is no screen left. */
export function pageMove(layout: Justified, index: number, viewport: number, direction: -1 | 1): number {
  const rows = layout.rows;
  if (rows.length === 0) return index;
  const row = rowOf(layout, index);
  const from = rows[row] as GridRow;
  const y = from.top + direction * Math.max(viewport - from.height - layout.label, from.height);
  let target = row;
  if (direction > 0) while (target + 1 < rows.length && (rows[target + 1] as GridRow).top <= y) target++;
  else while (target > 0 && (rows[target] as GridRow).top > y) target--;
  if (target === row) return direction > 0 ? (rows[rows.length - 1] as GridRow).end - 1 : 0;
  return nearestIn(layout, target, (layout.x[index] ?? 0) + (layout.w[index] ?? 0) / 2);
}

/** The box of cell `index`, its label included. */
export function cellBox(layout: Justified, index: number) {
  const r = layout.rows[rowOf(layout, index)] as GridRow;
  return { x: layout.x[index] ?? 0, y: r.top, w: layout.w[index] ?? 0, h: r.height + layout.label };
}

/** The scroll position that shows the band `[top, bottom]` with `margin` px around it, moving as
 * little as possible (unchanged when it is in view already). */
export function revealScroll(top: number, bottom: number, scrollTop: number, viewport: number, margin: number): number {
  if (top - margin < scrollTop) return Math.max(0, top - margin);
  if (bottom + margin > scrollTop + viewport) return Math.max(0, Math.min(top - margin, bottom + margin - viewport));
  return scrollTop;
}

/** Whether the band `[top, bottom]` shows, even in part, in the viewport. */
export function inView(top: number, bottom: number, scrollTop: number, viewport: number): boolean {
  return bottom > scrollTop && top < scrollTop + viewport;
}
