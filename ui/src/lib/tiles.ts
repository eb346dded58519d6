// What a grid tile says about its record besides the picture: its kind, a video's or sound's length,
// a document's pages, a file's extension, the user's own vote. Plain text for text nodes.
import { t } from "./i18n";
import { currentLocale } from "./i18n/locale";
import type { GridItem } from "./bindings/GridItem";
import type { MediaKind } from "./bindings/MediaKind";

/** Fields of GridItem that older saved copies (and older backends) lack: read as null when absent. */
type Extra = { duration?: number | null; pages?: number | null; extension?: string | null };

export type TileBadges = {
  /** The kind's name, for every kind but images (a photo needs no label). */
  kind: string | null;
  /** `m:ss` (or `h:mm:ss`) for video and audio. */
  duration: string | null;
  /** "12 pages" for documents with a page count. */
  pages: string | null;
  /** `PDF`, `ZIP`… for everything but images. */
  extension: string | null;
};

/** A length in seconds as a player shows it: `0:07`, `3:25`, `1:02:03`. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export function kindLabel(kind: MediaKind): string {
  const labels: Record<MediaKind, string> = {
    image: t.kindImage,
    video: t.kindVideo,
    audio: t.kindAudio,
    document: t.kindDocument,
    story: t.story,
    unknown: t.kindOther,
  };
  return labels[kind];
}

/** An extension as a tile shows it: letters and digits only (server text), at most 5, upper case by
 * the rules of the window's language (`locale`), not the system's: Turkish "zip" is "ZİP". */
function shownExtension(ext: string | null | undefined, locale: string): string | null {
  const clean = (ext ?? "").replace(/[^\p{L}\p{N}]/gu, "").slice(0, 5);
  return clean ? clean.toLocaleUpperCase(locale) : null;
}

/** What a tile says of `item`; `locale` (the window's by default) cases the extension. */
export function tileBadges(item: GridItem, locale: string = currentLocale()): TileBadges {
  const extra = item as GridItem & Extra;
  const timed = item.kind === "video" || item.kind === "audio";
  const duration = typeof extra.duration === "number" && extra.duration > 0 ? extra.duration : null;
  const pages = typeof extra.pages === "number" && extra.pages > 0 ? extra.pages : null;
  return {
    kind: item.kind === "image" ? null : kindLabel(item.kind),
    duration: timed && duration !== null ? clock(duration) : null,
    pages: pages !== null && item.kind !== "image" ? t.pages(pages) : null,
    extension: item.kind === "image" || item.kind === "story" ? null : shownExtension(extra.extension, locale),
  };
}

/** The user's own vote on a tile, or null when they have not voted (nothing shows then). */
export function ownVote(item: GridItem): { agreed: boolean; mark: string; title: string } | null {
  const vote = item.vote;
  if (!vote || vote.agreement === null) return null;
  const agreed = vote.agreement;
  return { agreed, mark: agreed ? "✓" : "✗", title: t.yourVote(agreed, vote.yes, vote.no) };
}

/** A tile drawn `width`×`height` px is bigger than its thumbnail: it loads the preview over it. */
export function wantsPreview(item: GridItem, width: number, height: number): boolean {
  // Only images: a video's or a sound's preview is the media itself, not a picture.
  if (item.kind !== "image" || !item.thumb) return false;
  return width > item.thumb.w * 1.15 || height > item.thumb.h * 1.15;
}
