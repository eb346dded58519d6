// "Seen before, shown at once": what the app received last time (kept on disk per account) shows while
// the server is asked again. SavedCopy is the state line of one such view (`#view-state`…).
import type { Cached } from "./bindings/Cached";
import { formatMonthDay, formatTime } from "./format";
import { currentLocale } from "./i18n/locale";

/** Updating: the copy shows, the server is asked. Updated / changed: the fresh answer replaced it
 * (briefly said). Unreachable: the copy stays, the server could not give a fresh one. */
export type CopyState = "updating" | "updated" | "changed" | "unreachable";

/** How long "Updated" and "Changed on the server" stay. */
const SAID_MS = { updated: 2500, changed: 8000 } as const;

/** The saved copy of a view, or null: the cache is a help, never a failure (nor a missing command). */
export async function savedCopy<C extends Cached<unknown>>(ask: () => Promise<C | null>): Promise<C | null> {
  try {
    return (await ask()) ?? null;
  } catch {
    return null;
  }
}

export class SavedCopy {
  /** When the server sent the copy shown (unix seconds); null when what shows is fresh. */
  savedAt = $state<number | null>(null);
  state = $state<CopyState | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** A saved copy shows while the server is asked. */
  shown(savedAt: number) {
    clearTimeout(this.#timer);
    this.savedAt = savedAt;
    this.state = "updating";
  }

  /** The fresh answer replaced the copy: says so for a moment (`quiet`: says nothing). */
  fresh(changed: boolean, quiet = false) {
    clearTimeout(this.#timer);
    const was = this.state;
    this.savedAt = null;
    this.state = null;
    if (was !== "updating" || quiet) return;
    const said: CopyState = changed ? "changed" : "updated";
    this.state = said;
    this.#timer = setTimeout(() => {
      if (this.state === said) this.state = null;
    }, SAID_MS[said]);
  }

  /** The server failed: the copy stays on screen, and the line says it is only a copy. */
  failed() {
    if (this.state === "updating") this.state = "unreachable";
  }

  clear() {
    clearTimeout(this.#timer);
    this.savedAt = null;
    this.state = null;
  }

  /** A saved copy is on screen (updating, or the server unreachable). */
  get showing(): boolean {
    return this.state === "updating" || this.state === "unreachable";
  }
}

/** A saved copy's time for the state line: the time today, else the date and time, both in the window's
 *  language (format.ts), not the system's. */
export function savedTime(savedAt: number, now = Date.now(), locale: string = currentLocale()): string {
  const time = formatTime(savedAt, locale);
  const sameDay = new Date(savedAt * 1000).toDateString() === new Date(now).toDateString();
  return sameDay ? time : `${formatMonthDay(savedAt, locale)} ${time}`;
}
