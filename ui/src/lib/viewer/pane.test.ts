import { describe, expect, it } from "vitest";
import { ZoomPane, ZoomView } from "./pane.svelte";

/** Two panes of different pictures on one view, as the compare draws them. */
function linked() {
  const view = new ZoomView();
  const a = new ZoomPane(view);
  const b = new ZoomPane(view);
  a.stage = { w: 600, h: 800 };
  b.stage = { w: 600, h: 800 };
  a.content = { w: 3000, h: 2000 };
  b.content = { w: 300, h: 200 };
  return { a, b };
}

describe("linked zoom (compare)", () => {
  it("zooming one pane zooms the others by the same amount relative to their fit", () => {
    const { a, b } = linked();
    const fitA = a.scale;
    const fitB = b.scale;
    expect(fitA).toBeCloseTo(0.2);
    expect(fitB).toBeCloseTo(2); // the small one is upscaled to fill its pane
    a.zoomBy(2, { x: 300, y: 400 });
    expect(a.scale / fitA).toBeCloseTo(2);
    expect(b.scale / fitB).toBeCloseTo(2);
    b.fit();
    expect(a.scale).toBeCloseTo(fitA);
    expect(a.fitted && b.fitted).toBe(true);
  });

  it("panning one pans the others to the same part of their picture", () => {
    const { a, b } = linked();
    a.zoomBy(3);
    a.panBy(200, 0);
    const centreA = (300 - a.placement.x) / (3000 * a.scale);
    const centreB = (300 - b.placement.x) / (300 * b.scale);
    expect(centreA).toBeLessThan(0.5);
    expect(centreB).toBeCloseTo(centreA);
  });

  it("1:1 is the pane's own actual size", () => {
    const { a } = linked();
    a.actual();
    expect(a.scale).toBeCloseTo(1);
  });
});
