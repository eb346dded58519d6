import { describe, expect, it } from "vitest";
import { moved, sameRecords, SelectionState } from "./selection.svelte";
import { element as cell } from "../test/fixtures";

describe("SelectionState", () => {
  it("a plain click selects one cell, Shift+click the range from it, Ctrl/Cmd+click toggles one", () => {
    const s = new SelectionState();
    s.click(2);
    expect(s.indexes).toEqual([2]);
    expect(s.shown).toBe(false);
    s.click(5, { shift: true });
    expect(s.indexes).toEqual([2, 3, 4, 5]);
    expect(s.shown).toBe(true);
    // The range runs from the anchor either way.
    s.click(0, { shift: true });
    expect(s.indexes).toEqual([0, 1, 2]);
    s.click(7, { toggle: true });
    expect(s.indexes).toEqual([0, 1, 2, 7]);
    s.click(1, { toggle: true });
    expect(s.indexes).toEqual([0, 2, 7]);
    // The toggled cell is the new anchor.
    s.click(3, { shift: true });
    expect(s.indexes).toEqual([1, 2, 3]);
    s.click(4);
    expect(s.indexes).toEqual([4]);
    expect(s.shown).toBe(false);
  });

  it("one cell picked with Ctrl/Cmd shows the bar; Shift without an anchor is a plain click", () => {
    const s = new SelectionState();
    s.click(3, { shift: true });
    expect(s.indexes).toEqual([3]);
    expect(s.shown).toBe(false);
    s.clear();
    s.click(3, { toggle: true });
    expect(s.size).toBe(1);
    expect(s.shown).toBe(true);
  });

  it("all() selects every cell, clear() none", () => {
    const s = new SelectionState();
    s.all(4);
    expect(s.indexes).toEqual([0, 1, 2, 3]);
    expect(s.shown).toBe(true);
    s.clear();
    expect(s.size).toBe(0);
    expect(s.shown).toBe(false);
    expect(s.anchor).toBeNull();
    s.all(0);
    expect(s.size).toBe(0);
  });

  it("refs() gives the selected records in grid order", () => {
    const s = new SelectionState();
    s.click(2, { toggle: true });
    s.click(0, { toggle: true });
    expect(s.refs([cell(10), cell(11), cell(12)])).toEqual([
      { databox_id: 1, record_id: 10 },
      { databox_id: 1, record_id: 12 },
    ]);
  });

  it("remap() follows the records into a fresh copy of the cells and drops the ones gone", () => {
    const s = new SelectionState();
    const before = [cell(1), cell(2), cell(3), cell(4)];
    s.click(1, { toggle: true });
    s.click(3, { toggle: true });
    const after = [cell(4), cell(1), cell(5)];
    s.remap(before, after);
    expect(s.indexes).toEqual([0]);
    expect(s.anchor).toBe(0);
    expect(moved(0, before, after)).toBe(1);
    expect(moved(2, before, after)).toBeNull();
    expect(sameRecords(before, [cell(1), cell(2), cell(3), cell(4)])).toBe(true);
    expect(sameRecords(before, after)).toBe(false);
  });
});
