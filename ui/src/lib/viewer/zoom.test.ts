import { describe, expect, it } from "vitest";
import { actualSize, clampState, FIT, fitScale, MAX_SCALE, panBy, pannable, place, wheelFactor, zoomAt } from "./zoom";

const stage = { w: 1200, h: 800 };
const small = { w: 320, h: 180 };
const big = { w: 4000, h: 2000 };

describe("fit", () => {
  it("upscales a small preview to fill the stage, keeping its aspect ratio", () => {
    // 320×180 in 1200×800: the width binds (3.75×), the height gets 675 of 800 px.
    expect(fitScale(small, stage)).toBeCloseTo(3.75);
    const p = place(FIT, small, stage);
    expect(p.scale).toBeCloseTo(3.75);
    expect(p.x).toBeCloseTo(0);
    expect(p.y).toBeCloseTo((800 - 180 * 3.75) / 2);
  });

  it("shrinks a large picture to fit, centred", () => {
    const p = place(FIT, big, stage);
    expect(p.scale).toBeCloseTo(0.3);
    expect(p.x).toBeCloseTo(0);
    expect(p.y).toBeCloseTo((800 - 600) / 2);
  });

  it("scales 1 while a size is unknown (nothing measured yet)", () => {
    expect(fitScale(null, stage)).toBe(1);
    expect(fitScale(small, { w: 0, h: 0 })).toBe(1);
    expect(place(FIT, null, stage)).toEqual({ scale: 1, x: 0, y: 0 });
  });
});

describe("actual size", () => {
  it("is one picture pixel per screen pixel, even below fit for a small preview", () => {
    expect(place(actualSize(small, stage), small, stage).scale).toBeCloseTo(1);
    const p = place(actualSize(big, stage), big, stage);
    expect(p.scale).toBeCloseTo(1);
    // Centred on the picture's centre.
    expect(p.x).toBeCloseTo(600 - 2000);
    expect(p.y).toBeCloseTo(400 - 1000);
  });
});

describe("wheel zoom around a point", () => {
  it("keeps the picture pixel under the cursor where it was", () => {
    const before = place(FIT, big, stage);
    const cursor = { x: 900, y: 300 };
    const u = (cursor.x - before.x) / before.scale;
    const v = (cursor.y - before.y) / before.scale;
    const after = place(zoomAt(FIT, 2, cursor, big, stage), big, stage);
    expect(after.scale).toBeCloseTo(0.6);
    expect(after.x + u * after.scale).toBeCloseTo(cursor.x);
    expect(after.y + v * after.scale).toBeCloseTo(cursor.y);
  });

  it("zooms around the stage's centre without a point (keys, buttons)", () => {
    const after = place(zoomAt(FIT, 2, null, big, stage), big, stage);
    // The picture's centre stays at the stage's centre.
    expect(after.x + 2000 * after.scale).toBeCloseTo(600);
    expect(after.y + 1000 * after.scale).toBeCloseTo(400);
  });

  it("turns a wheel notch into about one step, in and out", () => {
    expect(wheelFactor(-100)).toBeGreaterThan(1.2);
    expect(wheelFactor(100)).toBeLessThan(1 / 1.2);
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-48));
    expect(wheelFactor(0)).toBe(1);
  });
});

describe("clamping", () => {
  it("never zooms closer than MAX_SCALE nor further than 1:1 or fit", () => {
    let s = FIT;
    for (let i = 0; i < 40; i++) s = zoomAt(s, 2, { x: 10, y: 10 }, big, stage);
    expect(place(s, big, stage).scale).toBeCloseTo(MAX_SCALE);
    for (let i = 0; i < 40; i++) s = zoomAt(s, 0.5, null, big, stage);
    expect(place(s, big, stage).scale).toBeCloseTo(0.3); // fit: the smaller of fit and 1:1
    let t = FIT;
    for (let i = 0; i < 40; i++) t = zoomAt(t, 0.5, null, small, stage);
    expect(place(t, small, stage).scale).toBeCloseTo(1); // 1:1 is below this preview's fit
  });

  it("pans only as far as the edges: no empty band opens", () => {
    const zoomed = zoomAt(FIT, 4, null, big, stage); // 1.2×: 4800×2400 in 1200×800
    expect(pannable(zoomed, big, stage)).toBe(true);
    const far = place(panBy(zoomed, 100_000, 100_000, big, stage), big, stage);
    expect(far.x).toBeCloseTo(0);
    expect(far.y).toBeCloseTo(0);
    const other = place(panBy(zoomed, -100_000, -100_000, big, stage), big, stage);
    expect(other.x + 4000 * other.scale).toBeCloseTo(1200);
    expect(other.y + 2000 * other.scale).toBeCloseTo(800);
  });

  it("keeps a picture smaller than the stage centred: nothing to pan", () => {
    expect(pannable(FIT, big, stage)).toBe(false);
    const moved = place(panBy(FIT, 300, 300, big, stage), big, stage);
    expect(moved).toEqual(place(FIT, big, stage));
    expect(clampState({ zoom: 1, cx: 0.9, cy: 0.1 }, big, stage)).toEqual(FIT);
  });
});
