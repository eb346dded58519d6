// Zoom and pan of one picture in a stage, as pure arithmetic (no DOM): the components measure, this decides.
//
// The view is kept independent of sizes: `zoom` is relative to "fit" (1 = the whole picture fills the
// stage, upscaled when smaller), and (cx, cy) is the picture's point, in fractions of its size, at the
// stage's centre. So a window resize keeps "fit" fitting, and panes of different pictures can share one
// view (linked compare).

export type Size = { w: number; h: number };
export type Point = { x: number; y: number };
export type ZoomState = { zoom: number; cx: number; cy: number };
/** Where the picture is drawn: its scale, and its top-left corner in stage pixels. */
export type Placement = { scale: number; x: number; y: number };

export const FIT: Readonly<ZoomState> = { zoom: 1, cx: 0.5, cy: 0.5 };
/** The closest look: 8 screen pixels per picture pixel (or the fit, if that is closer still). */
export const MAX_SCALE = 8;
/** One step of the zoom keys and buttons. */
export const STEP = 1.25;

const usable = (s: Size | null): s is Size => s !== null && s.w > 0 && s.h > 0;
const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

/** The scale at which the whole picture fills the stage, upscaling a small one; 1 while a size is unknown. */
export function fitScale(content: Size | null, stage: Size | null): number {
  if (!usable(content) || !usable(stage)) return 1;
  return Math.min(stage.w / content.w, stage.h / content.h);
}

/** Scales allowed: down to 1:1 when fit upscales (key 1 on a small preview), up to MAX_SCALE. */
export function scaleLimits(content: Size | null, stage: Size | null): { min: number; max: number } {
  const fit = fitScale(content, stage);
  return { min: Math.min(fit, 1), max: Math.max(fit, MAX_SCALE) };
}

/** The centre coordinate along one axis: centred when the picture is narrower than the stage, else kept
 * so that no empty band opens at an edge. */
function clampCentre(c: number, stagePx: number, contentPx: number): number {
  const half = contentPx > 0 ? stagePx / (2 * contentPx) : 0.5;
  return half >= 0.5 ? 0.5 : clamp(c, half, 1 - half);
}

/** The same view, within the limits for these sizes. */
export function clampState(s: ZoomState, content: Size | null, stage: Size | null): ZoomState {
  if (!usable(content) || !usable(stage)) return { ...FIT, zoom: s.zoom };
  const fit = fitScale(content, stage);
  const { min, max } = scaleLimits(content, stage);
  const scale = clamp(fit * s.zoom, min, max);
  return {
    zoom: scale / fit,
    cx: clampCentre(s.cx, stage.w, content.w * scale),
    cy: clampCentre(s.cy, stage.h, content.h * scale),
  };
}

/** Where to draw the picture for view `s`. */
export function place(s: ZoomState, content: Size | null, stage: Size | null): Placement {
  const c = clampState(s, content, stage);
  const scale = fitScale(content, stage) * c.zoom;
  if (!usable(content) || !usable(stage)) return { scale, x: 0, y: 0 };
  return { scale, x: stage.w / 2 - c.cx * content.w * scale, y: stage.h / 2 - c.cy * content.h * scale };
}

/** The view that draws the picture at `p` (clamped). */
export function fromPlacement(p: Placement, content: Size | null, stage: Size | null): ZoomState {
  if (!usable(content) || !usable(stage)) return { ...FIT, zoom: p.scale };
  const s = {
    zoom: p.scale / fitScale(content, stage),
    cx: (stage.w / 2 - p.x) / (content.w * p.scale),
    cy: (stage.h / 2 - p.y) / (content.h * p.scale),
  };
  return clampState(s, content, stage);
}

/** Zooms by `factor` keeping the picture's point under `at` (stage pixels; default its centre) in place. */
export function zoomAt(s: ZoomState, factor: number, at: Point | null, content: Size | null, stage: Size | null): ZoomState {
  const p = place(s, content, stage);
  const { min, max } = scaleLimits(content, stage);
  const scale = clamp(p.scale * factor, min, max);
  const point = at ?? (usable(stage) ? { x: stage.w / 2, y: stage.h / 2 } : { x: 0, y: 0 });
  // The picture pixel under the point, before and after.
  const u = (point.x - p.x) / p.scale;
  const v = (point.y - p.y) / p.scale;
  return fromPlacement({ scale, x: point.x - u * scale, y: point.y - v * scale }, content, stage);
}

/** Moves the picture by (dx, dy) stage pixels (a drag), as far as its edges allow. */
export function panBy(s: ZoomState, dx: number, dy: number, content: Size | null, stage: Size | null): ZoomState {
  const p = place(s, content, stage);
  return fromPlacement({ ...p, x: p.x + dx, y: p.y + dy }, content, stage);
}

/** 1:1, one picture pixel per screen pixel, centred. */
export function actualSize(content: Size | null, stage: Size | null): ZoomState {
  return clampState({ zoom: 1 / fitScale(content, stage), cx: 0.5, cy: 0.5 }, content, stage);
}

/** The picture is larger than the stage along an axis: dragging pans it. */
export function pannable(s: ZoomState, content: Size | null, stage: Size | null): boolean {
  if (!usable(content) || !usable(stage)) return false;
  const { scale } = place(s, content, stage);
  return content.w * scale > stage.w + 0.5 || content.h * scale > stage.h + 0.5;
}

/** A wheel turn as a zoom factor: smooth for touchpads (pixels), one step per notch for mice (lines). */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-pixels * 0.0025);
}
