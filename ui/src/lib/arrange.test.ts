import { describe, expect, it } from "vitest";
import {
  aspectOf,
  cellBox,
  homeOrder,
  inView,
  justify,
  MAX_ASPECT,
  MIN_ASPECT,
  pageMove,
  revealScroll,
  rowOf,
  rowsInView,
  verticalMove,
  type Justified,
} from "./arrange";
import { summary } from "../test/fixtures";

const GAP = 12;
const LABEL = 34;

/** A deterministic mix of landscape, portrait, square and missing thumbnails. */
function mixed(n: number): number[] {
  const shapes = [{ w: 240, h: 160 }, { w: 160, h: 240 }, { w: 240, h: 240 }, null, { w: 240, h: 135 }, { w: 240, h: 60 }];
  return Array.from({ length: n }, (_, i) => aspectOf(shapes[(i * 7 + (i >> 2)) % shapes.length]));
}

/** Every row but the last spans [gap, width - gap] exactly, with `gap` px between its cells. */
function expectFullRows(layout: Justified, width: number) {
  const rows = layout.rows.slice(0, -1);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    const first = row.first;
    const last = row.end - 1;
    expect(layout.x[first]).toBeCloseTo(GAP, 6);
    expect((layout.x[last] ?? 0) + (layout.w[last] ?? 0)).toBeCloseTo(width - GAP, 6);
    for (let i = first + 1; i <= last; i++) {
      expect((layout.x[i] ?? 0) - ((layout.x[i - 1] ?? 0) + (layout.w[i - 1] ?? 0))).toBeCloseTo(GAP, 6);
    }
  }
}

describe("the justified grid", () => {
  it.each([
    [1200, 180],
    [1000, 96],
    [733, 320],
    [480, 180],
    [1600, 240],
    [2560, 128],
  ])("fills every row edge to edge at %i px wide, rows aiming at %i px", (width, size) => {
    const aspects = mixed(500);
    const layout = justify(aspects, width, size, GAP, LABEL);
    expectFullRows(layout, width);
    // Every cell is laid out once, rows in order, and the space is as tall as its rows.
    expect(layout.rows[0]?.first).toBe(0);
    expect(layout.rows.at(-1)?.end).toBe(500);
    layout.rows.slice(1).forEach((row, i) => expect(row.first).toBe(layout.rows[i]?.end));
    const last = layout.rows.at(-1)!;
    expect(layout.height).toBeCloseTo(last.top + last.height + LABEL + GAP, 6);
    // Rows stay near the aimed height: the slider sizes the pictures.
    for (const row of layout.rows) {
      expect(row.height).toBeGreaterThan(size * 0.55);
      expect(row.height).toBeLessThan(size * 1.8);
    }
  });

  it("keeps each cell's picture shape: width / height is the clamped aspect ratio", () => {
    const aspects = mixed(60);
    const layout = justify(aspects, 1100, 180, GAP, LABEL);
    for (const row of layout.rows.slice(0, -1)) {
      for (let i = row.first; i < row.end - 1; i++) {
        expect((layout.w[i] ?? 0) / row.height).toBeCloseTo(aspects[i] ?? 1, 6);
      }
    }
    expect(aspectOf({ w: 2400, h: 100 })).toBe(MAX_ASPECT);
    expect(aspectOf({ w: 100, h: 2400 })).toBe(MIN_ASPECT);
    expect(aspectOf(null)).toBe(1);
    expect(aspectOf({ w: 0, h: 0 })).toBe(1);
  });

  it("leaves a short last row at the aimed height, from the left; stretches a nearly full one", () => {
    const short = justify([1.5, 1.5], 1200, 180, GAP, LABEL);
    expect(short.rows).toHaveLength(1);
    expect(short.rows[0]?.height).toBe(180);
    expect(short.x[0]).toBe(GAP);
    expect(short.w[1]).toBe(270);
    // Four 3:2 cells at 180 px need 1116 px of 1176: stretched to the edge.
    const nearly = justify([1.5, 1.5, 1.5, 1.5], 1200, 180, GAP, LABEL);
    expect((nearly.x[3] ?? 0) + (nearly.w[3] ?? 0)).toBeCloseTo(1200 - GAP, 6);
  });

  it("lays out one cell per row when there is no width yet", () => {
    const layout = justify([1, 1.5, 0.8], 0, 180, GAP, LABEL);
    expect(layout.rows.map((r) => r.end - r.first)).toEqual([1, 1, 1]);
  });

  it("lays out 10,000 cells fast and renders only the rows in view", () => {
    const aspects = mixed(10_000);
    const started = performance.now();
    const layout = justify(aspects, 1200, 180, GAP, LABEL);
    expect(performance.now() - started).toBeLessThan(50);
    const range = rowsInView(layout, layout.height / 2, 700, 700);
    const cells = layout.rows.slice(range.first, range.last + 1).reduce((n, r) => n + r.end - r.first, 0);
    expect(cells).toBeGreaterThan(10);
    expect(cells).toBeLessThan(200);
    // The rows found are the ones that meet the band, and only those.
    const band = [layout.height / 2 - 700, layout.height / 2 + 1400];
    layout.rows.forEach((row, i) => {
      const meets = row.top + row.height + LABEL >= band[0]! && row.top <= band[1]!;
      expect(i >= range.first && i <= range.last).toBe(meets);
    });
    expect(rowsInView(justify([], 1200, 180, GAP, LABEL), 0, 600, 600)).toEqual({ first: 0, last: -1 });
  });
});

describe("moving in the justified grid", () => {
  // Rows of 4, 3 and 2 cells of different widths.
  const layout = justify([1.5, 1.5, 1, 1.5, 2.4, 1.5, 1.5, 1.5, 1.5, 1.5, 1], 900, 150, GAP, LABEL);

  it("finds each cell's row", () => {
    for (const [r, row] of layout.rows.entries()) {
      for (let i = row.first; i < row.end; i++) expect(rowOf(layout, i)).toBe(r);
    }
  });

  it("↑/↓ go to the cell whose middle is nearest, clamped at the ends", () => {
    const second = layout.rows[1]!;
    for (let i = layout.rows[0]!.first; i < layout.rows[0]!.end; i++) {
      const down = verticalMove(layout, i, 1);
      expect(rowOf(layout, down)).toBe(1);
      const middle = (layout.x[i] ?? 0) + (layout.w[i] ?? 0) / 2;
      const distance = (j: number) => Math.abs((layout.x[j] ?? 0) + (layout.w[j] ?? 0) / 2 - middle);
      for (let j = second.first; j < second.end; j++) expect(distance(down)).toBeLessThanOrEqual(distance(j));
    }
    expect(verticalMove(layout, 2, -1)).toBe(0);
    const last = layout.rows.length - 1;
    expect(verticalMove(layout, layout.rows[last]!.first, 1)).toBe(10);
  });

  it("PageUp/PageDown go about a screen away, then to the first or last cell", () => {
    const tall = justify(mixed(400), 1000, 150, GAP, LABEL);
    const from = tall.rows[10]!.first;
    const down = pageMove(tall, from, 600, 1);
    const moved = cellBox(tall, down).y - cellBox(tall, from).y;
    expect(moved).toBeGreaterThan(300);
    expect(moved).toBeLessThanOrEqual(600);
    expect(pageMove(tall, down, 600, -1)).toBeLessThan(down);
    expect(pageMove(tall, 2, 600, -1)).toBe(0);
    expect(pageMove(tall, tall.rows.at(-1)!.first, 600, 1)).toBe(399);
  });

  it("reveals a cell by scrolling as little as possible", () => {
    expect(revealScroll(100, 300, 0, 600, 12)).toBe(0);
    expect(revealScroll(900, 1100, 0, 600, 12)).toBe(512);
    expect(revealScroll(50, 250, 400, 600, 12)).toBe(38);
    expect(revealScroll(0, 200, 400, 600, 12)).toBe(0);
    // Taller than the viewport: its top shows.
    expect(revealScroll(1000, 2000, 0, 600, 12)).toBe(988);
    expect(inView(100, 300, 250, 600)).toBe(true);
    expect(inView(100, 300, 300, 600)).toBe(false);
  });
});

describe("homeOrder", () => {
  it("puts unread baskets first, then the newest, unknown dates last", () => {
    const baskets = [
      summary(1, { updated_on: "2025-03-01T10:00:00Z" }),
      summary(2, { updated_on: "2025-01-01T10:00:00Z", unread: true }),
      summary(3, { updated_on: null, created_on: null }),
      summary(4, { updated_on: null, created_on: "2025-04-01T10:00:00Z" }),
      summary(5, { updated_on: "2025-02-01T10:00:00Z", unread: true }),
    ];
    expect(homeOrder(baskets).map((b) => b.id)).toEqual([5, 2, 4, 1, 3]);
    // The list it was given is left as it was.
    expect(baskets.map((b) => b.id)).toEqual([1, 2, 3, 4, 5]);
  });
});
