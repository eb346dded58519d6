import { describe, expect, it } from "vitest";
import { ownsKey, viewerAction } from "./keys";
import { stripWindow } from "./filmstrip";

const key = (k: string, extra: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...extra });

describe("viewer keys", () => {
  it("maps the documented keys, whatever the case", () => {
    expect(viewerAction(key("Escape"))).toBe("close");
    expect(viewerAction(key("ArrowRight"))).toBe("next");
    expect(viewerAction(key("ArrowLeft"))).toBe("previous");
    expect(viewerAction(key(" "))).toBe("space");
    expect(viewerAction(key("+"))).toBe("zoom-in");
    expect(viewerAction(key("="))).toBe("zoom-in");
    expect(viewerAction(key("-"))).toBe("zoom-out");
    expect(viewerAction(key("0"))).toBe("fit");
    expect(viewerAction(key("1"))).toBe("actual");
    expect(viewerAction(key("I"))).toBe("info");
    expect(viewerAction(key("i"))).toBe("info");
    expect(viewerAction(key("p"))).toBe("panel");
    expect(viewerAction(key("F"))).toBe("fullscreen");
    expect(viewerAction(key("c"))).toBe("compare");
    expect(viewerAction(key(","))).toBe("frame-back");
    expect(viewerAction(key("."))).toBe("frame-forward");
    expect(viewerAction(key("x"))).toBeNull();
  });

  it("leaves Ctrl, Cmd and Alt combinations to the app (Ctrl+F searches)", () => {
    expect(viewerAction(key("f", { ctrlKey: true }))).toBeNull();
    expect(viewerAction(key("+", { metaKey: true }))).toBeNull();
    expect(viewerAction(key("ArrowRight", { altKey: true }))).toBeNull();
  });

  it("lets a focused button or field keep its own Space and Enter", () => {
    const button = document.createElement("button");
    const div = document.createElement("div");
    expect(ownsKey(button, " ")).toBe(true);
    expect(ownsKey(button, "ArrowRight")).toBe(false);
    expect(ownsKey(div, " ")).toBe(false);
  });
});

describe("the filmstrip's window", () => {
  it("draws a fixed number of neighbours, shifted at the ends", () => {
    expect(stripWindow(5000, 10_000, 12)).toEqual({ first: 4988, last: 5012 });
    expect(stripWindow(0, 10_000, 12)).toEqual({ first: 0, last: 24 });
    expect(stripWindow(9999, 10_000, 12)).toEqual({ first: 9975, last: 9999 });
    expect(stripWindow(3, 8, 12)).toEqual({ first: 0, last: 7 });
    expect(stripWindow(0, 0)).toEqual({ first: 0, last: -1 });
  });
});
