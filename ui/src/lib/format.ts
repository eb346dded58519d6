// How server values are shown to people. Everything returns plain text for text nodes. Numbers, dates,
// sizes and durations follow the window's language (i18n/locale.ts) unless a locale is given.
import { currentLocale } from "./i18n/locale";

/** `https://dam.example.org/` → `dam.example.org` (port kept when not the default). */
export function hostOf(server: string): string {
  try {
    return new URL(server).host || server;
  } catch {
    return server;
  }
}

// Building an Intl formatter costs far more than using one: grids format hundreds of values.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

const SHORT_DATE: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };

/** A number the way the language writes it: 10,000 (en), 10 000 (fr, a narrow no-break space), 10.000 (de). */
export function formatNumber(n: number, locale: string = currentLocale()): string {
  return numberFormat(locale).format(n);
}

/** The instant of an ISO date (ms since the epoch), or null when unknown or unreadable. Dates carry
 * different offsets: compare these, never the strings. */
export function parseDate(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** An ISO date as a short local date, or "" when unknown. */
export function formatDate(iso: string | null | undefined, locale: string = currentLocale()): string {
  const t = parseDate(iso);
  return t === null ? "" : dateFormat(locale, SHORT_DATE).format(new Date(t));
}

const BYTE_UNITS = ["kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/** Bytes for people, decimal units named the language's way: 12.5 MB (en), 12,5 Mo (fr), 12,5 MB (de),
 *  340 kB; one decimal below 100. */
export function formatBytes(n: number | null | undefined, locale: string = currentLocale()): string {
  if (n === null || n === undefined || n < 0) return "";
  // Below a kilobyte the unit is spelt out: "512 bytes", "512 octets" (the short English form is "byte").
  if (n < 1000) return numberFormat(locale, { style: "unit", unit: "byte", unitDisplay: "long" }).format(n);
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < BYTE_UNITS.length - 1);
  // 99.96 rounds to 100.0: shown whole, as every value from 100 on.
  const digits = Math.round(v * 10) / 10 < 100 ? 1 : 0;
  return numberFormat(locale, { style: "unit", unit: BYTE_UNITS[u], unitDisplay: "short", maximumFractionDigits: digits }).format(v);
}

/** A `YYYY-MM-DD` day (a date input's value) as a short local date; the text itself when unreadable.
 * Read as a local day: `Date.parse` would take it as UTC midnight, the day before west of Greenwich. */
export function formatDay(day: string, locale: string = currentLocale()): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dateFormat(locale, SHORT_DATE).format(date);
}

/** Seconds since 1970 as a local time of day (14:32, or 2:32 PM where that is the custom). */
export function formatTime(unixSeconds: number, locale: string = currentLocale()): string {
  return dateFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(unixSeconds * 1000));
}

/** Seconds since 1970 as a day of this year, without it: "May 2" (en-US), "2 mai" (fr), "2. Mai" (de). */
export function formatMonthDay(unixSeconds: number, locale: string = currentLocale()): string {
  return dateFormat(locale, { month: "short", day: "numeric" }).format(new Date(unixSeconds * 1000));
}

/** A duration as a clock reads: 0:45, 3:42, 1:02:03, with the language's digits. */
export function formatDuration(seconds: number, locale: string = currentLocale()): string {
  const s = Math.max(0, Math.round(seconds));
  const whole = numberFormat(locale, { useGrouping: false });
  const two = numberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = two.format(s % 60);
  return h ? `${whole.format(h)}:${two.format(m)}:${rest}` : `${whole.format(m)}:${rest}`;
}
