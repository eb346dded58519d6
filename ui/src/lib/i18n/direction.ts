// Which way the line runs. Stylesheets follow the page's `dir` by themselves (logical properties); code
// that moves along a line (arrow keys, a dragged edge, a picture's position) asks here, so that in
// Arabic "forward" is leftwards: ArrowLeft goes to the next record, as the reading eye does.

/** Whether `el` is laid out right to left: its nearest `dir` (the page's, set by locale.ts, by default). */
export function isRightToLeftAt(el: Element | null = typeof document === "undefined" ? null : document.documentElement): boolean {
  return el?.closest("[dir]")?.getAttribute("dir")?.toLowerCase() === "rtl";
}

const MIRRORED: Record<string, string> = { ArrowLeft: "ArrowRight", ArrowRight: "ArrowLeft" };

/** The key as a left-to-right layout would have it: right to left, ArrowLeft and ArrowRight swap (so
 *  one table of "ArrowRight is forward" serves both directions); every other key is itself. */
export function lineKey(key: string, rightToLeft: boolean): string {
  return rightToLeft ? (MIRRORED[key] ?? key) : key;
}

/** The arrow keys' glyphs that go back and forward along the line (what a tooltip names). */
export function lineArrows(rightToLeft: boolean): { back: "←" | "→"; forward: "←" | "→" } {
  return rightToLeft ? { back: "→", forward: "←" } : { back: "←", forward: "→" };
}
