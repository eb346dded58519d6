import { describe, expect, it } from "vitest";
import { gridLayout, visibleBaskets, visibleRows } from "./arrange";
import type { BasketSummary } from "./bindings/BasketSummary";
import { summary } from "../test/fixtures";

const basket = (id: number, name: string, updated: string | null, extra: Partial<BasketSummary> = {}) =>
  summary(id, { name, updated_on: updated, ...extra });

describe("visibleBaskets", () => {
  const all = [
    basket(1, "Press kit", "2025-02-01T12:00:00+01:00"),
    basket(2, "Cover review", "2025-02-05T14:00:00+01:00", { pusher: "Jon Lind" }),
    basket(3, "Archive", null),
    basket(4, "Late night", "2025-02-05T14:30:00+02:00"), // 12:30 UTC: older than basket 2 (13:00 UTC)
  ];

  it("puts the newest first by instant, unknown dates last", () => {
    expect(visibleBaskets(all, "newest", "").map((b) => b.id)).toEqual([2, 4, 1, 3]);
    expect(visibleBaskets(all, "oldest", "").map((b) => b.id)).toEqual([3, 1, 4, 2]);
  });

  it("sorts by name and filters on name, description and people", () => {
    expect(visibleBaskets(all, "name", "").map((b) => b.name)).toEqual(["Archive", "Cover review", "Late night", "Press kit"]);
    expect(visibleBaskets(all, "newest", "jon").map((b) => b.id)).toEqual([2]);
    expect(visibleBaskets(all, "newest", "  PRESS ").map((b) => b.id)).toEqual([1]);
  });
});

describe("grid arithmetic", () => {
  it("fits columns to the width and counts rows", () => {
    expect(gridLayout(10_000, 1000, 180, 12)).toEqual({ columns: 5, rows: 2000, rowHeight: 192, height: 384_000 });
    expect(gridLayout(3, 50, 180, 12).columns).toBe(1);
  });

  it("renders only the rows in view plus overscan", () => {
    expect(visibleRows(0, 600, 192, 2000)).toEqual({ first: 0, last: 6 });
    expect(visibleRows(192 * 1000, 600, 192, 2000)).toEqual({ first: 998, last: 1006 });
    expect(visibleRows(192 * 1999, 600, 192, 2000).last).toBe(1999);
  });
});

import { playerUrl } from "./media";

describe("playerUrl", () => {
  it("streams players from the loopback endpoint, profile name encoded", () => {
    expect(playerUrl("http://127.0.0.1:4000/s3cr3t/", "My DAM", "sub/1/9/preview")).toBe(
      "http://127.0.0.1:4000/s3cr3t/My%20DAM/sub/1/9/preview",
    );
  });
});
