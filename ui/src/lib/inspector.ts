// The record panel as an inspector: technical fields with human labels and units ("1/250 s", "f/5.6",
// "24 MP (6000×4000)", "3:42", "44.1 kHz"), caption values as chips, versions named for people. Plain
// text only: every value comes from the server.
import { t } from "./i18n";
import { formatBytes, formatDuration, formatNumber } from "./format";
import type { StatusFlag } from "./bindings/StatusFlag";
import type { SubdefInfo } from "./bindings/SubdefInfo";
import type { TechnicalInfo } from "./bindings/TechnicalInfo";

type Value = TechnicalInfo["value"];

/** "CameraModel" → "Camera model": the fallback for a field the app has no label for. */
export function spaced(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim();
  const lower = words.toLowerCase().replace(/\b(iso|gps|id)\b/g, (w) => w.toUpperCase());
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** The label people read for a technical field. */
export function techLabel(name: string): string {
  return t.techLabels[name] ?? spaced(name);
}

const num = (v: Value): number | null => {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
};

/** At most `digits` decimals, the language's way (5.6, 5,6). */
const decimal = (n: number, digits = 1) => formatNumber(Math.round(n * 10 ** digits) / 10 ** digits);

/** An exposure time in seconds: 0.004 → "1/250 s", 0.5 → "1/2 s", 2 → "2 s". */
export function shutterSpeed(seconds: number): string {
  if (seconds <= 0) return `${decimal(seconds, 3)} s`;
  if (seconds < 1) return `1/${formatNumber(Math.round(1 / seconds))} s`;
  return `${decimal(seconds)} s`;
}

/** Hertz as people read a sample rate: 44100 → "44.1 kHz", 48000 → "48 kHz". */
export function sampleRate(hz: number): string {
  return hz >= 1000 ? `${decimal(hz / 1000)} kHz` : `${formatNumber(hz)} Hz`;
}

/** Bits a second: 128000 → "128 kbit/s", 4500000 → "4.5 Mbit/s". */
export function bitRate(bps: number): string {
  if (bps >= 1_000_000) return `${decimal(bps / 1_000_000)} Mbit/s`;
  if (bps >= 1000) return `${decimal(bps / 1000)} kbit/s`;
  return `${formatNumber(bps)} bit/s`;
}

/** Pixels as a camera says them: 6000×4000 → "24 MP (6000×4000)"; small images by their size alone. */
export function resolution(width: number, height: number): string {
  const mp = (width * height) / 1_000_000;
  if (mp < 0.1) return `${width}×${height}`;
  return t.megapixels(mp >= 10 ? formatNumber(Math.round(mp)) : decimal(mp), width, height);
}

/** How each known field's value reads; the others show as they came. */
const FORMATS: Record<string, (n: number) => string> = {
  ShutterSpeed: shutterSpeed,
  Aperture: (n) => `f/${decimal(n)}`,
  Duration: (n) => formatDuration(n),
  AudioSamplerate: sampleRate,
  FileSize: (n) => formatBytes(n),
  Size: (n) => formatBytes(n),
  FocalLength: (n) => `${decimal(n)} mm`,
  FrameRate: (n) => `${decimal(n, 2)} fps`,
  AudioBitrate: bitRate,
  VideoBitrate: bitRate,
  Width: (n) => `${formatNumber(n)} px`,
  Height: (n) => `${formatNumber(n)} px`,
  ISO: (n) => formatNumber(n),
};

/** A technical value for people: units, fractions, yes / no. */
export function techValue(name: string, value: Value): string {
  if (value === null) return "";
  if (typeof value === "boolean") return value ? t.yes : t.no;
  const format = FORMATS[name];
  const n = num(value);
  if (format && n !== null) return format(n);
  return typeof value === "number" ? formatNumber(value) : String(value);
}

/** One line of the inspector: what people read, and the field it came from (for tests and e2e). */
export type Fact = { key: string; label: string; value: string };

/** The facts worth seeing first, in this order (the rest stays under "Technical details"). */
const FIRST = ["MimeType", "FileSize", "Size", "Resolution", "Duration", "CameraModel", "ShutterSpeed", "Aperture", "ISO", "FocalLength", "AudioSamplerate", "FrameRate"];

/** The inspector's facts: the record's type and size, the picture's resolution (width and height read
 * together), then the camera and media facts the server gave, each labelled and with its unit. */
export function facts(technical: TechnicalInfo[], mime: string | null): Fact[] {
  const by = new Map(technical.map((i) => [i.name, i.value] as const));
  const out: Fact[] = [];
  const type = mime ?? (typeof by.get("MimeType") === "string" ? (by.get("MimeType") as string) : null);
  if (type) out.push({ key: "MimeType", label: techLabel("MimeType"), value: type });
  const width = num(by.get("Width") ?? null);
  const height = num(by.get("Height") ?? null);
  for (const key of FIRST) {
    if (key === "MimeType") continue;
    if (key === "Size" && by.has("FileSize")) continue;
    if (key === "Resolution") {
      if (width && height) out.push({ key, label: techLabel(key), value: resolution(width, height) });
      continue;
    }
    const value = by.get(key);
    if (value === undefined || value === null || value === "") continue;
    out.push({ key, label: techLabel(key), value: techValue(key, value) });
  }
  return out;
}

/** Every technical field as it came, labelled (the "Technical details" disclosure). */
export function rawFacts(technical: TechnicalInfo[]): Fact[] {
  return technical.map((i) => ({ key: i.name, label: techLabel(i.name), value: techValue(i.name, i.value) }));
}

/** A caption value the server joined with ";" (a multi-valued field), as its distinct values; null
 * when it reads as one value (no separator, or parts too long to be keywords). */
export function chips(value: string | null): string[] | null {
  if (!value || !value.includes(";")) return null;
  const parts = value.split(";").map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0 || parts.some((p) => p.length > 60 || p.includes("\n"))) return null;
  return [...new Set(parts)];
}

/** A version's name for people: the original, the preview, the thumbnail; others as the server names them. */
export function versionName(subdef: string): string {
  if (subdef === "document") return t.versionOriginal;
  if (subdef === "preview") return t.versionPreview;
  if (subdef === "thumbnail") return t.versionThumbnail;
  return subdef;
}

/** The user may download the original: the server lists the `document` version only then. */
export const mayDownloadOriginal = (subdefs: SubdefInfo[]) => subdefs.some((s) => s.name === "document");

/** The picture at the top of the panel: the preview when it is an image, else the thumbnail. */
export function panelPicture(subdefs: SubdefInfo[]): SubdefInfo | null {
  return (
    subdefs.find((s) => s.name === "preview" && s.plays === "image") ??
    subdefs.find((s) => s.name === "thumbnail" && s.plays === "image") ??
    null
  );
}

/** The status flags: the set ones (shown), the unset ones (said quietly). */
export function flags(status: StatusFlag[]): { set: string[]; unset: string[] } {
  const name = (s: StatusFlag) => s.label ?? s.on_label ?? `#${s.bit}`;
  return {
    set: status.filter((s) => s.state).map(name),
    unset: status.filter((s) => !s.state).map((s) => s.on_label ?? s.label ?? `#${s.bit}`),
  };
}
