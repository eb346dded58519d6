// How server values are shown to people. Everything returns plain text for text nodes.

/** `https://dam.example.org/` → `dam.example.org` (port kept when not the default). */
export function hostOf(server: string): string {
  try {
    return new URL(server).host || server;
  } catch {
    return server;
  }
}

/** The instant of an ISO date (ms since the epoch), or null when unknown or unreadable. Dates carry
 * different offsets: compare these, never the strings. */
export function parseDate(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** An ISO date as a short local date, or "" when unknown. */
export function formatDate(iso: string | null | undefined, locale?: string): string {
  const t = parseDate(iso);
  return t === null ? "" : new Date(t).toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric" });
}

/** Bytes for people: 1.2 MB, 340 kB. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || n < 0) return "";
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** A `YYYY-MM-DD` day (a date input's value) as a short local date; the text itself when unreadable.
 * Read as a local day: `Date.parse` would take it as UTC midnight, the day before west of Greenwich. */
export function formatDay(day: string, locale?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return date.toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric" });
}

/** Seconds since 1970 as a local time of day (14:32). */
export function formatTime(unixSeconds: number, locale?: string): string {
  return new Date(unixSeconds * 1000).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}

/** A duration for people: 45 s, 3 min, 1 h 20 min. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}
