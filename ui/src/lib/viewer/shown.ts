// What the viewer shows of a record: which file, and the facts of the info overlay and the file card.
import type { GridItem } from "../bindings/GridItem";
import type { MediaKind } from "../bindings/MediaKind";
import type { RecordDetails } from "../bindings/RecordDetails";
import type { SubdefInfo } from "../bindings/SubdefInfo";
import { formatBytes } from "../format";
import { t } from "../i18n";
import type { Size } from "./zoom";

/** When the server does not say a video's frame rate: PAL's. */
export const DEFAULT_FPS = 25;

export const previewOf = (d: RecordDetails | null): SubdefInfo | null => d?.subdefs.find((s) => s.name === "preview") ?? null;
export const originalOf = (d: RecordDetails | null): SubdefInfo | null => d?.subdefs.find((s) => s.name === "document") ?? null;

/** A subdef's or thumbnail's size, when it says one. */
export function sizeOf(s: { width: number; height: number } | { w: number; h: number } | null | undefined): Size | null {
  if (!s) return null;
  const [w, h] = "w" in s ? [s.w, s.h] : [s.width, s.height];
  return w > 0 && h > 0 ? { w, h } : null;
}

/** The video's frames per second, from its technical information (`FrameRate`), else DEFAULT_FPS. */
export function frameRate(d: RecordDetails | null): number {
  const info = d?.technical.find((i) => /^frame.?rate$/i.test(i.name));
  const fps = typeof info?.value === "number" ? info.value : Number(info?.value);
  return Number.isFinite(fps) && fps > 0 ? fps : DEFAULT_FPS;
}

export function kindName(kind: MediaKind): string {
  const names: Record<MediaKind, string> = {
    image: t.viewerKindImage, video: t.viewerKindVideo, audio: t.viewerKindAudio,
    document: t.viewerKindDocument, story: t.viewerKindStory, unknown: t.viewerKindUnknown,
  };
  return names[kind];
}

/** The facts of the info overlay and the file card, as text (server text stays text). */
export type Facts = { title: string; name: string; type: string; pixels: string | null; bytes: string | null };

export function factsOf(item: GridItem, d: RecordDetails | null): Facts {
  // The original's facts when the user may see it, else the preview's.
  const file = originalOf(d) ?? previewOf(d);
  const size = sizeOf(file);
  return {
    title: d?.title ?? item.title,
    name: d?.original_name ?? item.title,
    type: [kindName(d?.kind ?? item.kind), d?.mime ?? file?.mime ?? null].filter(Boolean).join(" · "),
    pixels: size ? `${size.w} × ${size.h} px` : null,
    bytes: file && file.filesize > 0 ? formatBytes(file.filesize) : null,
  };
}
