// "Keep offline" (issue #14): the baskets each profile keeps on this computer (ipc.keptBaskets), the
// keeps under way with their progress, and the last failure of each. The backend fetches and pins; this
// store only says how it goes. A finished keep is announced to `onKeepFinished` listeners (a
// notification when the window is not focused is hooked there).
import { ipc } from "./ipc";
import { attempt, type Problem } from "./errors";
import { currentLocale } from "./i18n/locale";
import type { KeptBasket } from "./bindings/KeptBasket";

/** A keep under way: what it fetches, and how far it got (after each record). */
export type KeepRun = { profile: string; basketId: number; originals: boolean; done: number; total: number; bytes: number };

/** How a keep ended: `kept` (the basket's new entry), `failed` (its problem), or `cancelled`. */
export type KeepFinished = {
  profile: string;
  basketId: number;
  outcome: "kept" | "failed" | "cancelled";
  kept: KeptBasket | null;
  problem: Problem | null;
};

export type KeepListener = (finished: KeepFinished) => void;

const key = (profile: string, basketId: number) => `${profile}|${basketId}`;

export class KeepState {
  /** Per profile, its kept baskets as the backend last listed them. */
  #kept = $state<Record<string, KeptBasket[]>>({});
  /** Keeps under way, by `profile|basket`. */
  #running = $state<Record<string, KeepRun>>({});
  /** The last failure of a basket's keep, with the choice it was made with (Retry makes it again). */
  #failed = $state<Record<string, { problem: Problem; originals: boolean }>>({});
  #listeners = new Set<KeepListener>();

  /** The profile's kept baskets ([] until listed). */
  keptOf(profile: string): KeptBasket[] {
    return this.#kept[profile] ?? [];
  }

  /** The entry of a kept basket, or null when it is not kept. */
  kept(profile: string, basketId: number): KeptBasket | null {
    return this.keptOf(profile).find((k) => k.basket_id === basketId) ?? null;
  }

  /** The keep of this basket under way, or null. */
  running(profile: string, basketId: number): KeepRun | null {
    return this.#running[key(profile, basketId)] ?? null;
  }

  /** Why this basket's last keep failed, or null. */
  problem(profile: string, basketId: number): Problem | null {
    return this.#failed[key(profile, basketId)]?.problem ?? null;
  }

  /** What every kept basket of the profile takes on disk. */
  totalBytes(profile: string): number {
    return this.keptOf(profile).reduce((sum, k) => sum + k.bytes, 0);
  }

  /** Lists the profile's kept baskets again (with the basket list, and after each keep or forget). A
   * failure leaves the list as it was: it is local, and a later refresh says. */
  async load(profile: string) {
    if (!profile) return;
    const list = await Promise.resolve(ipc.keptBaskets(profile)).catch(() => undefined);
    if (Array.isArray(list)) this.#kept[profile] = list;
  }

  /** Keeps the basket offline (again: an update); resolves once it ended, however it did. */
  async keep(profile: string, basketId: number, originals: boolean): Promise<KeptBasket | null> {
    const k = key(profile, basketId);
    if (this.#running[k]) return null;
    delete this.#failed[k];
    this.#running[k] = { profile, basketId, originals, done: 0, total: 0, bytes: 0 };
    let problem: Problem | null = null;
    const kept = await attempt(
      () =>
        ipc.keepOffline(profile, basketId, originals, (p) => {
          const run = this.#running[k];
          if (run) this.#running[k] = { ...run, done: p.done, total: p.total, bytes: p.bytes };
        }),
      (p) => (problem = p),
    );
    delete this.#running[k];
    // Cancelled is what the person asked for: nothing to show.
    const cancelled = (problem as Problem | null)?.code === "cancelled";
    if (problem && !cancelled) this.#failed[k] = { problem, originals };
    await this.load(profile);
    const outcome = kept ? "kept" : cancelled ? "cancelled" : "failed";
    this.#announce({ profile, basketId, outcome, kept: kept ?? null, problem: cancelled ? null : problem });
    return kept ?? null;
  }

  /** Retry of a failed keep: the same keep again. */
  retry(profile: string, basketId: number) {
    const failed = this.#failed[key(profile, basketId)];
    return this.keep(profile, basketId, failed?.originals ?? false);
  }

  /** The ✕ of a keep's problem. */
  dismiss(profile: string, basketId: number) {
    delete this.#failed[key(profile, basketId)];
  }

  /** Stops the keep under way (what was fetched stays cached); its `keep` then ends as cancelled. */
  cancel(profile: string, basketId: number) {
    Promise.resolve(ipc.cancelKeep(profile, basketId)).catch(() => {});
  }

  /** No longer keeps the basket (local: works offline); the list comes back from the backend. */
  async forget(profile: string, basketId: number) {
    const k = key(profile, basketId);
    delete this.#failed[k];
    let problem: Problem | null = null;
    const list = await attempt(() => ipc.forgetOffline(profile, basketId), (p) => (problem = p));
    if (Array.isArray(list)) this.#kept[profile] = list;
    else if (problem) this.#failed[k] = { problem, originals: this.kept(profile, basketId)?.originals ?? false };
  }

  /** Hears every keep that ends; returns the way to stop hearing. */
  onFinished(listener: KeepListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #announce(finished: KeepFinished) {
    for (const listener of this.#listeners) {
      try {
        listener(finished);
      } catch {
        // One listener failing must not keep the others from hearing.
      }
    }
  }
}

/** The app's one keep store. */
export const keeping = new KeepState();

/** Hears every keep of the app that ends (kept, failed or cancelled); returns the way to stop. */
export function onKeepFinished(listener: KeepListener): () => void {
  return keeping.onFinished(listener);
}

const relative = new Map<string, Intl.RelativeTimeFormat>();

/** How long ago `at` (seconds since 1970) was, in the window's language: "5 minutes ago", "il y a 2 heures". */
export function formatAgo(at: number, now = Date.now(), locale: string = currentLocale()): string {
  let f = relative.get(locale);
  if (!f) relative.set(locale, (f = new Intl.RelativeTimeFormat(locale, { numeric: "auto" })));
  const seconds = Math.max(0, Math.round(now / 1000 - at));
  if (seconds < 60) return f.format(0, "second");
  if (seconds < 3600) return f.format(-Math.floor(seconds / 60), "minute");
  if (seconds < 86400) return f.format(-Math.floor(seconds / 3600), "hour");
  return f.format(-Math.floor(seconds / 86400), "day");
}
